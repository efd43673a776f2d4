import { z } from 'zod';
import {
  BUILT_IN_INTENTS,
  CATCH_ALL_INTENT,
  DATE_INTENT,
  DATE_SLOT,
  NUMBER_INTENT,
  NUMBER_SLOT,
  UTTERANCE_SLOT,
} from './alexa.inbound';

/** The custom slot type that carries whatever the customer said; its values only bias recognition. */
export const UTTERANCE_TYPE = 'PARLEY_UTTERANCE';

/** Alexa's limits: lower-case letters, spaces, apostrophes and periods; at least two words or a brand. */
export const invocationNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z .']{1,49}$/, 'use 2 to 50 lower-case letters, spaces, apostrophes or periods')
  .refine((name) => !/\b(alexa|amazon|echo|skill|app|launch|ask|tell|open)\b/.test(name), {
    message:
      'must not contain launch words or wake words (alexa, amazon, echo, skill, app, open, ask, tell…)',
  });

export interface ModelInput {
  invocationName: string;
  /** BCP 47 primary tag of the model (`en`, `es`): which training phrases and carrier phrases to use. */
  language: string;
  /** The bot's training phrases in that language (built-in skills included). */
  phrases: readonly string[];
  /** The entities the bot's flows collect into slots (`datetime`, `account_number`…). */
  slotEntities: readonly string[];
  /** The bot's pattern entities, to tell which are numbers Alexa should hear as digits. */
  patterns: Readonly<Record<string, string>>;
}

interface ModelIntent {
  name: string;
  slots?: { name: string; type: string }[];
  samples: string[];
}

export interface InteractionModel {
  interactionModel: {
    languageModel: {
      invocationName: string;
      intents: ModelIntent[];
      types: { name: string; values: { name: { value: string } }[] }[];
    };
  };
}

const CARRIERS: Record<string, { date: string[]; number: string[] }> = {
  en: {
    date: ['{date}', 'on {date}', 'for {date}', 'how about {date}', '{date} please', 'i can do {date}'],
    number: [
      '{number}',
      'it is {number}',
      "it's {number}",
      'the number is {number}',
      'my number is {number}',
    ],
  },
  es: {
    date: ['{date}', 'el {date}', 'para el {date}', 'qué tal el {date}', '{date} por favor'],
    number: ['{number}', 'es el {number}', 'el número es {number}', 'mi número es {number}'],
  },
};

const MAX_VALUE_CHARS = 140;

/**
 * The interaction model for the Alexa developer console (Build → JSON Editor): the built-in intents Parley
 * maps to its own skills, a catch-all intent whose slot carries the customer's words to Parley's NLU, and
 * date and number intents when the bot's flows collect dates or numbers (Alexa's own slot types hear
 * "next Tuesday" and "one two three four" better than free text does).
 */
export function buildInteractionModel(input: ModelInput): InteractionModel {
  const carriers = CARRIERS[input.language] ?? CARRIERS.en;
  const intents: ModelIntent[] = Object.keys(BUILT_IN_INTENTS).map((name) => ({ name, samples: [] }));
  intents.push({
    name: CATCH_ALL_INTENT,
    slots: [{ name: UTTERANCE_SLOT, type: UTTERANCE_TYPE }],
    samples: [`{${UTTERANCE_SLOT}}`],
  });
  if (input.slotEntities.includes('datetime'))
    intents.push({
      name: DATE_INTENT,
      slots: [{ name: DATE_SLOT, type: 'AMAZON.DATE' }],
      samples: carriers.date,
    });
  if (input.slotEntities.some((entity) => entity === 'number' || isDigitsPattern(input.patterns[entity])))
    intents.push({
      name: NUMBER_INTENT,
      slots: [{ name: NUMBER_SLOT, type: 'AMAZON.NUMBER' }],
      samples: carriers.number,
    });
  const values = [...new Set(input.phrases.map(slotValue).filter((value) => value.length > 0))];
  return {
    interactionModel: {
      languageModel: {
        invocationName: input.invocationName,
        intents,
        types: [{ name: UTTERANCE_TYPE, values: values.map((value) => ({ name: { value } })) }],
      },
    },
  };
}

/**
 * A training phrase as an Alexa slot value: lower case, words only. Alexa takes no digits or symbols in
 * sample values, so "where's order A1001?" becomes "where's order".
 */
export function slotValue(phrase: string): string {
  return phrase
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => !/\d/.test(word))
    .map((word) => word.replace(/[^\p{L}\p{M}']/gu, ''))
    .filter((word) => word.length > 0)
    .join(' ')
    .slice(0, MAX_VALUE_CHARS)
    .trim();
}

/** True for a pattern that matches digits and nothing else (`\b\d{8}\b`): an account number, a PIN. */
export function isDigitsPattern(pattern: string | undefined): boolean {
  if (!pattern || !pattern.includes('\\d')) return false;
  const rest = pattern.replace(/\\[bd]|\\s|\{\d+(,\d*)?\}|[+*?()|^$]/g, '');
  return rest.length === 0;
}
