import type { LanguageTools } from '../nlu/text';

const MAX_EXTRACT = 280;
/** A section this short is the answer whole: cutting it loses the context ("Below that it costs £3.95"). */
const WHOLE_SECTION = 320;

/**
 * The part of a section that answers the question: a short section whole, else its sentences ranked by how many of the question's
 * content words they hold, the best one or two kept in the article's own order, within about 280
 * characters. The customer gets the article's words, never a paraphrase.
 */
export function extractAnswer(
  sectionText: string,
  questionTerms: ReadonlySet<string>,
  tools: LanguageTools,
): string {
  if (sectionText.length <= WHOLE_SECTION) return sectionText;
  const sentences = splitSentences(sectionText);
  const ranked = sentences
    .map((sentence, order) => ({ sentence, order, hits: overlap(sentence, questionTerms, tools) }))
    .sort((a, b) => b.hits - a.hits || a.order - b.order);
  const chosen = [ranked[0]];
  const second = ranked[1];
  if (second && chosen[0].sentence.length + second.sentence.length < MAX_EXTRACT) chosen.push(second);
  const text = chosen
    .sort((a, b) => a.order - b.order)
    .map((c) => c.sentence)
    .join(' ');
  return text.length <= MAX_EXTRACT ? text : `${text.slice(0, MAX_EXTRACT - 1).replace(/\s+\S*$/, '')}…`;
}

export function splitSentences(text: string): string[] {
  // A full stop followed by a capital starts a new sentence; "£4.99" and "192.168.1.1" stay whole.
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}¿¡"“])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

function overlap(sentence: string, terms: ReadonlySet<string>, tools: LanguageTools): number {
  const seen = new Set(tools.tokenize(sentence).map((token) => tools.stem(token)));
  let hits = 0;
  for (const term of terms) if (seen.has(term)) hits++;
  return hits;
}
