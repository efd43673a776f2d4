import { join } from 'node:path';
import type { BuiltinSkill, SkillMode } from '../core/skills';
import { isBuiltinSkill } from '../core/skills';
import { loadTrainingData, TrainingDataError, type TrainingData, type TrainingExample } from './loader';

/** The framework's own phrases for the built-in skills, one file per language. */
export const SKILLS_NLU_DIR = join(__dirname, 'skills');

let builtinCache: Promise<TrainingData> | undefined;

/** The built-in skills' phrases (read once per process: they ship with the framework). */
export function loadBuiltinSkillData(): Promise<TrainingData> {
  builtinCache ??= loadTrainingData(SKILLS_NLU_DIR);
  return builtinCache;
}

/**
 * How phrases are compared for collisions: case, accents, punctuation and spacing do not make two
 * phrases different ("¿Qué?" and "que" are the same message to a customer).
 */
export function normalisePhrase(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A bot phrase that the framework ships under another intent. */
export interface SkillCollision {
  example: TrainingExample;
  skill: BuiltinSkill;
}

const key = (example: TrainingExample): string => `${example.language}\u0000${normalisePhrase(example.text)}`;

/** Bot phrases that are, once normalised, a built-in skill's phrase under a different intent. */
export function findSkillCollisions(bot: TrainingData, builtin: TrainingData): SkillCollision[] {
  const skillOf = new Map<string, BuiltinSkill>();
  for (const example of builtin.examples)
    if (isBuiltinSkill(example.intent)) skillOf.set(key(example), example.intent);
  return bot.examples.flatMap((example) => {
    const skill = skillOf.get(key(example));
    return skill && skill !== example.intent && modeOf(bot, skill) === 'add' ? [{ example, skill }] : [];
  });
}

function modeOf(bot: TrainingData, skill: BuiltinSkill): SkillMode {
  return bot.skills?.[skill] ?? 'add';
}

/**
 * The bot's phrases plus the built-in skills' phrases in the languages the bot speaks. A skill set to
 * `replace` or `off` contributes nothing; a built-in phrase the bot also wrote (under any intent) is left
 * out, so the bot's own label always wins.
 */
export function mergeSkillPhrases(
  bot: TrainingData,
  builtin: TrainingData,
  source = 'training data',
): TrainingData {
  const languages = new Set(bot.examples.map((example) => example.language));
  for (const [skill, mode] of Object.entries(bot.skills ?? {})) {
    const own = bot.examples.some((example) => example.intent === skill);
    if (mode === 'replace' && !own)
      throw new TrainingDataError(
        source,
        undefined,
        `skills.${skill} is "replace" but the bot has no phrases for "${skill}": write some, or use "off"`,
      );
  }
  const written = new Set(bot.examples.map(key));
  const added = builtin.examples.filter(
    (example) =>
      languages.has(example.language) &&
      isBuiltinSkill(example.intent) &&
      modeOf(bot, example.intent) === 'add' &&
      !written.has(key(example)),
  );
  return { ...bot, examples: [...bot.examples, ...added] };
}

/**
 * Reads a bot's `nlu/` folder and merges in the built-in skills: what the server trains on.
 *
 * @example
 * const data = await loadBotTrainingData('bots/acme/nlu');
 * const model = await trainNlu(data);
 */
export async function loadBotTrainingData(nluDir: string): Promise<TrainingData> {
  const bot = await loadTrainingData(nluDir);
  return mergeSkillPhrases(bot, await loadBuiltinSkillData(), nluDir);
}
