/**
 * Parley's NLU: intents from a bot's YAML phrases, calibrated confidences with an
 * out-of-scope threshold, and entities with normalised values.
 *
 * @example
 * const model = await trainBotNlu('bots/acme/nlu');
 * const result = await model.parse('where is my order A1001?', { now: new Date() });
 * // result.intent.name === 'order_status'; result.entities[0].value === 'A1001'
 */
import { loadBotTrainingData } from './builtin-skills';
import type { TrainingData } from './loader';
import { NluModel, type NluOptions } from './model';

export { loadTrainingData, TrainingDataError } from './loader';
export type { TrainingData, TrainingExample } from './loader';
export {
  findSkillCollisions,
  loadBotTrainingData,
  loadBuiltinSkillData,
  mergeSkillPhrases,
  normalisePhrase,
  SKILLS_NLU_DIR,
  type SkillCollision,
} from './builtin-skills';
export { NluModel, DEFAULT_THRESHOLD } from './model';
export type { NluOptions } from './model';
export type { EntityDefinition } from './entities';

export async function trainNlu(data: TrainingData, options?: NluOptions): Promise<NluModel> {
  return NluModel.train(data, options);
}

export function loadNluModel(json: string, options?: Pick<NluOptions, 'cacheSize'>): NluModel {
  return NluModel.load(json, options);
}

/** Load (with the built-in skills merged in) and train in one step, as the server does at start-up. */
export async function trainBotNlu(nluDir: string, options?: NluOptions): Promise<NluModel> {
  return NluModel.train(await loadBotTrainingData(nluDir), options);
}
