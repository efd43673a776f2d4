import type { CountryCode } from 'libphonenumber-js';
import {
  OUT_OF_SCOPE,
  type IntentScore,
  type NluParser,
  type NluResult,
  type ParseOptions,
} from '../core/nlu';
import {
  DEFAULT_CLASSIFIER,
  IntentClassifier,
  type ClassifierConfig,
  type ClassifierState,
  type ProgressListener,
} from './classifier';
import type { SparseVector } from './features';
import { EntityExtractor, type EntityDefinition } from './entities';
import { LanguageGuesser, type LanguageGuesserState } from './language';
import { LruCache, normaliseForCache } from './parse-cache';
import { OOS_SCORES, oosScore, type OosScoreKind } from './oos';
import type { TrainingData } from './loader';
import { chooseLocale, type LanguageGuess } from '../core/locale';

export interface NluOptions {
  /**
   * Calibrated probability below which the intent becomes `out_of_scope`. Because confidences
   * are calibrated on held-out phrases, 0.5 means "right at least half the time" for any bot.
   */
  threshold?: number;
  /**
   * What the threshold applies to (`nlu/oos.ts`): the best intent's calibrated `probability`
   * (default; it beat the margin rules on CLINC150 validation), or `margin`, `blend`, `log-ratio`.
   */
  oosScore?: OosScoreKind;
  /** Used when a message has no locale and the guesser has nothing to go on. */
  defaultLanguage?: string;
  /** Region for phone numbers written without a country code, per language. */
  regions?: Record<string, CountryCode>;
  /** Verdicts kept for repeated short messages (`nlu/parse-cache.ts`); 0 turns the cache off. Default 2000. */
  cacheSize?: number;
  classifier?: Partial<ClassifierConfig>;
  /** Training progress across all languages, for progress bars. */
  onProgress?: ProgressListener;
}

export const DEFAULT_THRESHOLD = 0.5;
export const DEFAULT_OOS_SCORE: OosScoreKind = 'probability';
const DEFAULT_REGIONS: Record<string, CountryCode> = { en: 'GB', es: 'ES', de: 'DE', fr: 'FR' };
export const DEFAULT_CACHE_SIZE = 2000;

interface Verdict {
  intent: IntentScore;
  ranking: IntentScore[];
}

interface ModelFile {
  format: 'parley-nlu';
  version: 1;
  threshold: number;
  /** Absent in files written before it existed: `probability`. */
  oosScore?: OosScoreKind;
  defaultLanguage: string;
  regions: Record<string, CountryCode>;
  entities: EntityDefinition[];
  guesser: LanguageGuesserState;
  classifiers: Record<string, ClassifierState>;
}

/** A trained NLU: intent classifiers per language, entity extractors and a language guesser. */
export class NluModel implements NluParser {
  private readonly extractor: EntityExtractor;
  /** Keyed by normalised text (guesses) and by locale + normalised text (verdicts). */
  private readonly guesses: LruCache<{ guess: LanguageGuess | undefined }>;
  private readonly verdicts: LruCache<Verdict>;

  private constructor(
    private readonly classifiers: Map<string, IntentClassifier>,
    private readonly guesser: LanguageGuesser,
    private readonly entities: EntityDefinition[],
    readonly threshold: number,
    readonly defaultLanguage: string,
    private readonly regions: Record<string, CountryCode>,
    readonly oosScore: OosScoreKind,
    cacheSize = DEFAULT_CACHE_SIZE,
  ) {
    this.extractor = new EntityExtractor(entities, { cacheSize });
    this.guesses = new LruCache(cacheSize);
    this.verdicts = new LruCache(cacheSize);
  }

  static async train(data: TrainingData, options: NluOptions = {}): Promise<NluModel> {
    const config: ClassifierConfig = { ...DEFAULT_CLASSIFIER, ...options.classifier };
    const languages = [...new Set(data.examples.map((e) => e.language))].sort();
    if (languages.length === 0) throw new Error('training data has no phrases');
    const classifiers = new Map<string, IntentClassifier>();
    const totals = new Map<string, number>();
    const done = new Map<string, number>();
    const report = (): void => {
      const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
      options.onProgress?.(sum(done), sum(totals));
    };
    for (const language of languages) {
      const phrases = data.examples.filter((e) => e.language === language);
      const classifier = await IntentClassifier.train(phrases, language, config, (d, total) => {
        done.set(language, d);
        totals.set(language, total);
        report();
      });
      classifiers.set(language, classifier);
    }
    const defaultLanguage = options.defaultLanguage ?? (languages.includes('en') ? 'en' : languages[0]);
    return new NluModel(
      classifiers,
      LanguageGuesser.train(data.examples),
      data.entities,
      options.threshold ?? DEFAULT_THRESHOLD,
      defaultLanguage,
      { ...DEFAULT_REGIONS, ...options.regions },
      options.oosScore ?? DEFAULT_OOS_SCORE,
      options.cacheSize,
    );
  }

  static load(json: string, options: Pick<NluOptions, 'cacheSize'> = {}): NluModel {
    const file = JSON.parse(json) as ModelFile;
    if (file.format !== 'parley-nlu' || file.version !== 1)
      throw new Error('not a Parley NLU model (format/version)');
    const kind = file.oosScore ?? DEFAULT_OOS_SCORE;
    if (!OOS_SCORES.includes(kind)) throw new Error(`unknown oosScore ${String(kind)}`);
    const classifiers = new Map(
      Object.entries(file.classifiers).map(([l, s]) => [l, IntentClassifier.fromState(s)]),
    );
    return new NluModel(
      classifiers,
      LanguageGuesser.fromState(file.guesser),
      file.entities,
      file.threshold,
      file.defaultLanguage,
      file.regions,
      kind,
      options.cacheSize,
    );
  }

  serialize(): string {
    const file: ModelFile = {
      format: 'parley-nlu',
      version: 1,
      threshold: this.threshold,
      oosScore: this.oosScore,
      defaultLanguage: this.defaultLanguage,
      regions: this.regions,
      entities: this.entities,
      guesser: this.guesser.toState(),
      classifiers: Object.fromEntries([...this.classifiers].map(([l, c]) => [l, c.toState()])),
    };
    return JSON.stringify(file);
  }

  /** Intent names the model can return, besides `out_of_scope`. */
  intents(): string[] {
    const names = new Set<string>();
    for (const c of this.classifiers.values()) for (const l of c.labels) if (l !== OUT_OF_SCOPE) names.add(l);
    return [...names].sort();
  }

  languages(): string[] {
    return [...this.classifiers.keys()];
  }

  /**
   * The language to understand `text` in (`core/locale.ts` has the rule): the channel's stated locale when
   * the model speaks it, else the guesser's when it is confident enough to set or switch the
   * conversation's language, else the conversation's language, else the default.
   */
  languageFor(text: string, options: Pick<ParseOptions, 'locale' | 'current' | 'fallback'> = {}): string {
    const fallback = options.fallback ?? this.defaultLanguage;
    return chooseLocale({
      ...(options.locale ? { stated: options.locale } : {}),
      ...(options.current ? { current: options.current } : {}),
      guess: this.guess(text),
      fallback: this.classifiers.has(fallback) ? fallback : this.defaultLanguage,
      supported: this.languages(),
    });
  }

  /**
   * Calibrated ranking of the trained classes, `out_of_scope` included if it was trained.
   * Cheaper than `parse` (no entities): what benchmarks time.
   */
  rank(text: string, language: string): IntentScore[] {
    const classifier = this.classifiers.get(language) ?? this.classifiers.get(this.defaultLanguage);
    if (!classifier) throw new Error(`no classifier for language ${language}`);
    return classifier.rank(text);
  }

  /**
   * The classifier's own features of `text` (TF-IDF word and character views, and the phrase vector where
   * the language has one): texts that mean alike lie close. The report clusters unanswered questions by it.
   */
  meaningVector(text: string, language = this.languageFor(text)): SparseVector {
    const classifier = this.classifiers.get(language) ?? this.classifiers.get(this.defaultLanguage);
    if (!classifier) throw new Error(`no classifier for language ${language}`);
    return classifier.features(text);
  }

  /** How in-scope a ranking looks, on the scale the threshold applies to. */
  scopeScore(ranked: readonly IntentScore[]): number {
    return oosScore(ranked, this.oosScore);
  }

  /** Applies the threshold: the ranking keeps real intents, the verdict may be `out_of_scope`. */
  decide(ranked: IntentScore[], threshold = this.threshold): { intent: IntentScore; ranking: IntentScore[] } {
    const ranking = ranked.filter((r) => r.name !== OUT_OF_SCOPE);
    const top = ranking[0];
    if (!top || ranked[0].name === OUT_OF_SCOPE || this.scopeScore(ranked) < threshold) {
      return { intent: { name: OUT_OF_SCOPE, confidence: 1 - (top?.confidence ?? 0) }, ranking };
    }
    return { intent: top, ranking };
  }

  async parse(text: string, options: ParseOptions = {}): Promise<NluResult> {
    const locale = this.languageFor(text, options);
    const { intent, ranking } = this.verdict(text, locale);
    const entities = this.extractor.extract(text, {
      language: locale,
      now: options.now ?? new Date(),
      region: this.regions[locale] ?? 'GB',
    });
    // Copies: a caller that edits its result must not edit the cached verdict.
    return {
      text,
      intent: { ...intent },
      intent_ranking: ranking.slice(0, 10).map((r) => ({ ...r })),
      entities,
      locale,
    };
  }

  private guess(text: string): LanguageGuess | undefined {
    return this.guesses.forMessage(
      text,
      () => normaliseForCache(text),
      () => ({ guess: this.guesser.weigh(text) }),
    ).guess;
  }

  private verdict(text: string, locale: string): Verdict {
    return this.verdicts.forMessage(
      text,
      () => `${locale}\u0000${normaliseForCache(text)}`,
      () => this.decide(this.rank(text, locale)),
    );
  }
}
