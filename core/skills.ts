/**
 * Conversation skills every bot inherits: the framework ships their training phrases (English and Spanish,
 * `nlu/skills/`) and the dialog engine's behaviour for them (`dialogs/skills.ts`).
 */
export const BUILTIN_SKILLS = [
  'greet',
  'goodbye',
  'thanks',
  'help',
  'human_agent',
  'affirm',
  'deny',
  'cancel',
  'repeat',
] as const;

export type BuiltinSkill = (typeof BUILTIN_SKILLS)[number];

/**
 * How a bot takes a skill's framework phrases, set in any of its training files (`skills: { repeat: off }`):
 * `add` its own phrases to them (the default), `replace` them with its own, or switch the skill `off`
 * (no framework phrases, so the NLU only knows the intent if the bot trains it itself).
 */
export const SKILL_MODES = ['add', 'replace', 'off'] as const;

export type SkillMode = (typeof SKILL_MODES)[number];

export function isBuiltinSkill(intent: string): intent is BuiltinSkill {
  return (BUILTIN_SKILLS as readonly string[]).includes(intent);
}
