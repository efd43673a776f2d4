/**
 * Answers from a bot's help-centre articles: the last thing the engine tries before its fallback, when no
 * intent is confident. Implementations live in `knowledge/`.
 */

/** A section an answer is taken from, cited to the customer so they can read the whole article. */
export interface KnowledgeSource {
  /** Stable id: `<article file>#<section slug>`. */
  id: string;
  /** "Delivery — Missed deliveries". */
  title: string;
  url?: string;
}

export interface KnowledgeAnswer {
  /** A short extract of the section, or a generated answer built only from the cited sections. */
  text: string;
  sources: KnowledgeSource[];
  /** `extract` when the text is the article's own words; `generated` when a language model wrote it. */
  kind: 'extract' | 'generated';
  /** The retrieval score of the best section (0–1), for events and tuning. */
  score: number;
}

export interface KnowledgeQuestion {
  /** The customer's message, already redacted. */
  text: string;
  /** The conversation's locale: only articles in that language answer. */
  locale: string;
  /**
   * Answer only a message worded as a question ("how…", "…?"): set while a flow waits for an answer, so
   * "no idea" at a postcode question is the flow's to handle, not the help centre's.
   */
  onlyQuestions?: boolean;
  /**
   * The intent the NLU also found for the message. The help centre answers instead only when the NLU is
   * unsure of it and a section matches the question strongly ("can I get my bill by post" is not a
   * balance request).
   */
  rival?: { intent: string; confidence: number };
}

/** A bot's knowledge base; `undefined` means "no section answers this well enough": fall back. */
export interface KnowledgeBase {
  answer(question: KnowledgeQuestion): Promise<KnowledgeAnswer | undefined>;
}
