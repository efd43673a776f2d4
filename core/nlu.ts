import type { JsonValue } from './json';

/** The intent name every parser returns when nothing it knows fits well enough. */
export const OUT_OF_SCOPE = 'out_of_scope';

export interface IntentScore {
  name: string;
  /** A calibrated probability in [0, 1]: comparable to a threshold across bots. */
  confidence: number;
}

/**
 * An entity found in the text, Rasa-shaped so existing tools read it.
 * `value` is normalised: ISO 8601 for dates, E.164 for phones, numbers as numbers,
 * `{ amount, currency }` for money, the canonical name for a synonym.
 */
export interface Entity {
  entity: string;
  value: JsonValue;
  text: string;
  start: number;
  end: number;
  confidence?: number;
  extractor?: string;
}

export interface NluResult {
  text: string;
  intent: IntentScore;
  intent_ranking: IntentScore[];
  entities: Entity[];
  /** The language the text was understood in (BCP 47 primary tag, e.g. `en`, `es`). */
  locale: string;
}

export interface ParseOptions {
  /** The locale the channel states for this message; wins when the parser speaks its language. */
  locale?: string;
  /** The conversation's language so far: kept unless the text clearly is in another language. */
  current?: string;
  /** The bot's default locale, for a conversation with no language yet and nothing to guess from. */
  fallback?: string;
  /** Reference time for relative dates ("tomorrow"). */
  now?: Date;
}

/** Understands one utterance. Implementations live in `nlu/`. */
export interface NluParser {
  parse(text: string, options?: ParseOptions): Promise<NluResult>;
}
