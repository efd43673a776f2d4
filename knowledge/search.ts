import MiniSearch from 'minisearch';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import { words as spanishStopwords } from 'natural/lib/natural/util/stopwords_es';
import { smoothIdf } from '../nlu/idf';
import { LruCache } from '../nlu/parse-cache';
import { languageTools, stripAccents, type LanguageTools } from '../nlu/text';
import { embedTokens } from '../nlu/vectors/sentence';
import type { WordVectors } from '../nlu/vectors/word-vectors';
import type { Section } from './articles';

const STOPWORDS: Record<string, ReadonlySet<string>> = {
  en: new Set([
    ...englishStopwords,
    'can',
    'do',
    'does',
    'did',
    'my',
    'i',
    'me',
    'you',
    'your',
    'get',
    'please',
  ]),
  es: new Set(spanishStopwords.map(stripAccents)),
};

/** A section and how well it matches a question. */
export interface SearchHit {
  section: Section;
  /**
   * 0–1: the mean of how much of the question the section covers and, where the language has word
   * vectors, how close their meanings are. Without vectors it is the coverage alone.
   */
  score: number;
  /** IDF-weighted share of the question's content words found in the section (typos forgiven). */
  coverage: number;
  /** Cosine of the IDF-weighted mean word vectors of question and section. */
  similarity?: number;
}

export interface SearchOptions {
  /** Word vectors per language (the NLU's pretrained ones); languages without them rank by words alone. */
  vectors?: (locale: string) => WordVectors | undefined;
  /** Hits returned, best first. */
  limit?: number;
}

interface SectionEntry {
  section: Section;
  vector?: Float32Array;
}

interface LocaleIndex {
  keywords: MiniSearch<Section>;
  tools: LanguageTools;
  stopwords: ReadonlySet<string>;
  /** Smoothed IDF of stemmed terms over the locale's sections. */
  idf: Map<string, number>;
  maxIdf: number;
  vectors?: WordVectors;
  sections: Map<string, SectionEntry>;
}

/**
 * Finds the sections that answer a question. MiniSearch matches the question's words to sections
 * (stemmed, with typos forgiven); the pretrained word vectors the NLU uses catch a question that shares no
 * word with its answer ("how much is postage" and "delivery costs"). Both give a 0–1 score a threshold can
 * use, which BM25's unbounded one cannot.
 */
export class KnowledgeSearch {
  private readonly locales = new Map<string, LocaleIndex>();
  /** Content terms of recent short messages: the engine asks about most turns' text ("thanks", "bye"). */
  private readonly recentTerms = new LruCache<readonly string[]>(2000);

  constructor(
    sections: readonly Section[],
    private readonly options: SearchOptions = {},
  ) {
    const byLocale = new Map<string, Section[]>();
    for (const section of sections)
      byLocale.set(section.locale, [...(byLocale.get(section.locale) ?? []), section]);
    for (const [locale, list] of byLocale) this.locales.set(locale, this.buildIndex(locale, list));
  }

  get size(): number {
    return [...this.locales.values()].reduce((n, index) => n + index.sections.size, 0);
  }

  /** The question's stemmed content words and the language's tools, for extracting an answer. */
  analyse(question: string, locale: string): { terms: Set<string>; tools: LanguageTools } | undefined {
    const index = this.indexFor(locale);
    if (!index) return undefined;
    const terms = this.recentTerms.forMessage(
      question,
      () => `${locale}\u0000${question}`,
      () => this.contentTerms(index, question),
    );
    return { terms: new Set(terms), tools: index.tools };
  }

  search(question: string, locale: string): SearchHit[] {
    const index = this.indexFor(locale);
    if (!index) return [];
    const terms = [...new Set(this.contentTerms(index, question))];
    if (terms.length === 0) return [];
    const total = terms.reduce((sum, term) => sum + this.idfOf(index, term), 0);
    const matched = new Map<string, number>();
    for (const result of index.keywords.search(terms.join(' '), {
      fuzzy: typoAllowance,
      combineWith: 'OR',
    })) {
      // queryTerms: the question's words this section matched, exactly or within the typo allowance.
      const covered = result.queryTerms.reduce((sum, term) => sum + this.idfOf(index, term), 0);
      matched.set(String(result.id), Math.min(1, covered / total));
    }
    const meaning = this.meaning(index, question);
    // Every section is scored, not only keyword matches: a help centre is small enough to score whole.
    return [...index.sections.values()]
      .map((entry) => score(entry, matched.get(entry.section.id) ?? 0, meaning))
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, this.options.limit ?? 5);
  }

  private indexFor(locale: string): LocaleIndex | undefined {
    return this.locales.get(locale) ?? this.locales.get(locale.split('-')[0]);
  }

  private idfOf(index: LocaleIndex, term: string): number {
    return index.idf.get(term) ?? index.maxIdf;
  }

  private buildIndex(locale: string, sections: Section[]): LocaleIndex {
    const tools = languageTools(locale);
    const stopwords = STOPWORDS[locale] ?? STOPWORDS.en;
    const base = { tools, stopwords };
    const documentFrequency = new Map<string, number>();
    for (const section of sections) {
      for (const term of new Set(this.contentTerms(base, `${section.heading} ${section.text}`))) {
        documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
      }
    }
    const idf = new Map([...documentFrequency].map(([term, df]) => [term, smoothIdf(sections.length, df)]));
    const vectors = this.options.vectors?.(locale);
    const keywords = new MiniSearch<Section>({
      fields: ['heading', 'text'],
      tokenize: (text) => tools.tokenize(text),
      processTerm: (term) => (stopwords.has(term) ? null : tools.stem(term)),
    });
    keywords.addAll(sections);
    const index: LocaleIndex = {
      ...base,
      keywords,
      idf,
      maxIdf: smoothIdf(sections.length, 0),
      sections: new Map(),
      ...(vectors ? { vectors } : {}),
    };
    for (const section of sections) {
      // The heading twice: it says what the section is about more surely than any sentence of it.
      const vector = this.meaning(index, `${section.heading} ${section.heading} ${section.text}`);
      index.sections.set(section.id, { section, ...(vector ? { vector } : {}) });
    }
    return index;
  }

  private contentTerms(index: Pick<LocaleIndex, 'tools' | 'stopwords'>, text: string): string[] {
    return index.tools
      .tokenize(text)
      .filter((token) => !index.stopwords.has(token) && /\p{L}|\p{N}/u.test(token))
      .map((token) => index.tools.stem(token));
  }

  /** The text's meaning as the IDF-weighted mean of its content words' vectors, unit length. */
  private meaning(index: LocaleIndex, text: string): Float32Array | undefined {
    if (!index.vectors) return undefined;
    const tokens = index.tools.tokenize(text).filter((token) => !index.stopwords.has(token));
    const idfOf = (token: string): number => this.idfOf(index, index.tools.stem(token));
    return embedTokens(tokens, index.vectors, idfOf, 1);
  }
}

/** One typo in words of six letters or more: shorter words are too easily another word ("sell", "well"). */
function typoAllowance(term: string): number | false {
  return term.length >= 6 ? 1 : false;
}

function score(entry: SectionEntry, coverage: number, question: Float32Array | undefined): SearchHit {
  const { section, vector } = entry;
  if (!question || !vector) return { section, score: coverage, coverage };
  let dot = 0;
  for (let d = 0; d < question.length; d++) dot += question[d] * vector[d];
  const similarity = Math.max(0, dot);
  return { section, score: (coverage + similarity) / 2, coverage, similarity };
}
