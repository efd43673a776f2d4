import { existsSync } from 'node:fs';
import type { KnowledgeAnswer, KnowledgeBase, KnowledgeQuestion, KnowledgeSource } from '../core/knowledge';
import type { Logger } from '../core/ports';
import { loadPretrainedVectors, vectorSourceFor } from '../nlu/vectors/pretrained';
import { readArticles, type Section } from './articles';
import { extractAnswer } from './extract';
import { isQuestion } from './question-form';
import { askLlm, type LlmSettings } from './llm';
import { KnowledgeSearch, type SearchHit } from './search';

export interface KnowledgeOptions {
  /**
   * The least score (0–1, `SearchHit.score`) at which a section answers. Tuned on acme's development
   * questions (`bench/knowledge/`): lower answers more questions and more of them wrongly.
   */
  minScore?: number;
  /**
   * The least share of the question's words (IDF-weighted) the section must hold. Closeness of meaning
   * alone answered near misses on the development questions ("where is your head office"); tuned there.
   */
  minCoverage?: number;
  /**
   * Against an intent the NLU found (`KnowledgeQuestion.rival`): only a question, only when the intent's
   * confidence is under `below`, and only from a section scoring at least `minScore`. Tuned on dev.
   */
  overIntent?: { below: number; minScore: number };
  /** Generated answers from the retrieved sections; extracts only when unset. */
  llm?: LlmSettings;
  /** Named in the model's instructions ("for Acme"). */
  company?: string;
  logger?: Logger;
}

export const DEFAULT_MIN_SCORE = 0.5;
export const DEFAULT_MIN_COVERAGE = 0.6;
export const DEFAULT_OVER_INTENT = { below: 0.8, minScore: 0.7 };
const MIN_STATEMENT_TERMS = 3;
/** Sections handed to the model: enough to combine two, few enough to keep it on topic. */
const LLM_SECTIONS = 3;

/**
 * Card and account questions never go to a language model: a redaction marker, a long run of digits
 * (an order, account or card number) or words about credentials or the customer's own balance.
 */
const PERSONAL =
  /\[[\p{L} ]+ removed\]|\d[\d\s-]{4,}\d|\b(?:card number|cvv|cvc|security code|password|passcode|pin|sort code|iban|account number|my balance|contraseña|número de cuenta|tarjeta)\b/iu;

export function isPersonal(text: string): boolean {
  return PERSONAL.test(text);
}

/** A knowledge base over sections already read (tests, tools). */
export function createKnowledgeBase(
  sections: readonly Section[],
  options: KnowledgeOptions = {},
): KnowledgeBase {
  const search = new KnowledgeSearch(sections, { vectors: pretrainedVectors });
  const overIntent = options.overIntent ?? DEFAULT_OVER_INTENT;
  return {
    async answer(question: KnowledgeQuestion): Promise<KnowledgeAnswer | undefined> {
      if (!worthSearching(question, search)) return undefined;
      const { rival } = question;
      if (rival && (rival.confidence >= overIntent.below || !isQuestion(question.text, question.locale)))
        return undefined;
      const minScore = rival ? overIntent.minScore : (options.minScore ?? DEFAULT_MIN_SCORE);
      const hits = search.search(question.text, question.locale);
      const best = hits[0];
      const minCoverage = options.minCoverage ?? DEFAULT_MIN_COVERAGE;
      if (!best || best.score < minScore || best.coverage < minCoverage) return undefined;
      if (options.llm && !isPersonal(question.text)) {
        const generated = await generate(options, question, hits, minScore);
        if (generated !== 'unavailable') return generated;
      }
      const analysed = search.analyse(question.text, question.locale);
      if (!analysed) return undefined;
      return {
        kind: 'extract',
        text: extractAnswer(best.section.text, analysed.terms, analysed.tools),
        sources: [sourceOf(best.section)],
        score: best.score,
      };
    },
  };
}

/** The model's answer, `undefined` when it refuses, or `unavailable` when it failed (the extract answers). */
async function generate(
  options: KnowledgeOptions & { llm?: LlmSettings },
  question: KnowledgeQuestion,
  hits: SearchHit[],
  minScore: number,
): Promise<KnowledgeAnswer | undefined | 'unavailable'> {
  if (!options.llm) return 'unavailable';
  // Close runners-up go along, so an answer that needs two sections can cite both.
  const given = hits.filter((hit) => hit.score >= minScore * 0.8).slice(0, LLM_SECTIONS);
  try {
    const outcome = await askLlm(
      options.llm,
      question,
      given.map((hit) => hit.section),
      options.company,
    );
    if (outcome.kind === 'refused') return undefined;
    return {
      kind: 'generated',
      text: outcome.text,
      sources: outcome.cited.map(sourceOf),
      score: hits[0].score,
    };
  } catch (error) {
    options.logger?.warn(
      { err: (error as Error).message },
      'knowledge: language model unavailable, answering with an extract',
    );
    return 'unavailable';
  }
}

/**
 * Short remarks ("not sure", "last week") share a word with some section by chance; the help centre
 * answers questions, and statements of three content words or more ("my parcel arrived damaged").
 */
function worthSearching(question: KnowledgeQuestion, search: KnowledgeSearch): boolean {
  if (isQuestion(question.text, question.locale)) return true;
  if (question.onlyQuestions) return false;
  return (search.analyse(question.text, question.locale)?.terms.size ?? 0) >= MIN_STATEMENT_TERMS;
}

function sourceOf(section: Section): KnowledgeSource {
  return {
    id: section.id,
    title: `${section.articleTitle} — ${section.heading}`,
    ...(section.url ? { url: `${section.url}#${section.id.split('#')[1]}` } : {}),
  };
}

function pretrainedVectors(locale: string) {
  const source = vectorSourceFor(locale.split('-')[0]);
  return source ? loadPretrainedVectors(source) : undefined;
}

/** A bot's `knowledge/` folder as a knowledge base; `undefined` when the bot has none. */
export function loadKnowledgeBase(
  directory: string,
  options: KnowledgeOptions & { defaultLocale?: string } = {},
): KnowledgeBase | undefined {
  if (!existsSync(directory)) return undefined;
  const sections = readArticles(directory, options.defaultLocale);
  return sections.length > 0 ? createKnowledgeBase(sections, options) : undefined;
}
