import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { BUILTIN_SKILLS, SKILL_MODES, type BuiltinSkill, type SkillMode } from '../core/skills';
import type { EntityDefinition } from './entities';

export interface TrainingExample {
  text: string;
  intent: string;
  /** BCP 47 primary tag. */
  language: string;
  /** Where the phrase was written, for tools that point a designer at it. */
  where?: { file: string; line?: number };
}

/** A bot's NLU material: labelled phrases in one or more languages and its entity definitions. */
export interface TrainingData {
  examples: TrainingExample[];
  entities: EntityDefinition[];
  /** How the bot takes the framework's built-in skills (`add` when not said). */
  skills?: Partial<Record<BuiltinSkill, SkillMode>>;
}

const phrase = z.string().trim().min(1, 'empty phrase');

const entitySchema = z
  .object({
    pattern: z.string().optional(),
    flags: z
      .string()
      .regex(/^[imsuy]*$/, 'flags may only use i, m, s, u, y')
      .optional(),
    case: z.enum(['upper', 'lower']).optional(),
    synonyms: z.record(z.string(), z.array(phrase)).optional(),
  })
  .strict()
  .refine((e) => (e.pattern === undefined) !== (e.synonyms === undefined), {
    message: 'an entity needs exactly one of `pattern` or `synonyms`',
  })
  .refine(
    (e) => {
      if (e.pattern === undefined) return true;
      try {
        new RegExp(e.pattern, 'u');
        return true;
      } catch {
        return false;
      }
    },
    { message: 'pattern is not a valid regular expression' },
  );

const fileSchema = z
  .object({
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'language must be a primary tag such as en or es')
      .optional(),
    intents: z
      .record(z.string().regex(/^[\w.-]+$/, 'intent names are letters, digits, _ . -'), z.array(phrase))
      .optional(),
    entities: z
      .record(z.string().regex(/^\w+$/, 'entity names are letters, digits and _'), entitySchema)
      .optional(),
    skills: z.partialRecord(z.enum(BUILTIN_SKILLS), z.enum(SKILL_MODES)).optional(),
  })
  .strict();

type ParsedFile = z.infer<typeof fileSchema> & {
  /** The line of a phrase, by intent and position. */
  lineOf(intent: string, index: number): number | undefined;
};

/** Thrown for a training file that cannot be used; the message names the file, line and reason. */
export class TrainingDataError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'TrainingDataError';
  }
}

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(e.name) ? [path] : [];
    }),
  );
  return nested.flat().sort();
}

function parseFile(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    throw new TrainingDataError(file, error.linePos?.[0].line, error.message.split('\n')[0]);
  }
  const result = fileSchema.safeParse(doc.toJS() ?? {});
  if (result.success) {
    const lineOf = (intent: string, index: number): number | undefined => {
      const node = doc.getIn(['intents', intent, index], true) as
        { range?: [number, number, number] } | undefined;
      return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    };
    return { ...result.data, lineOf };
  }
  const issue = result.error.issues[0];
  // Walk up the path until a node exists: a missing key is reported at its parent.
  let line: number | undefined;
  for (let depth = issue.path.length; depth >= 0 && line === undefined; depth--) {
    const node = doc.getIn(issue.path.slice(0, depth), true) as
      { range?: [number, number, number] } | undefined;
    if (node?.range) line = lineCounter.linePos(node.range[0]).line;
  }
  const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new TrainingDataError(file, line, `${issue.message}${where}`);
}

/** A file's language: its `language:` field, else a two-letter folder such as `nlu/es/`, else English. */
function languageOf(declared: string | undefined, file: string, root: string): string {
  if (declared) return declared;
  const folder = basename(dirname(file));
  if (resolve(dirname(file)) !== resolve(root) && /^[a-z]{2}$/.test(folder)) return folder;
  return 'en';
}

/**
 * Reads every `*.yaml` under a bot's `nlu/` folder.
 *
 * @example
 * const data = await loadTrainingData('bots/acme/nlu');
 * const model = await trainNlu(data);
 */
export async function loadTrainingData(nluDir: string): Promise<TrainingData> {
  const files = await yamlFiles(nluDir);
  if (files.length === 0) throw new TrainingDataError(nluDir, undefined, 'no *.yaml training files found');
  const data: TrainingData = { examples: [], entities: [] };
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    const parsed = parseFile(await readFile(file, 'utf8'), shown);
    const language = languageOf(parsed.language, file, nluDir);
    for (const [intent, phrases] of Object.entries(parsed.intents ?? {})) {
      phrases.forEach((text, index) => {
        const where = { file: shown, line: parsed.lineOf(intent, index) };
        data.examples.push({ text, intent, language, where });
      });
    }
    for (const [skill, mode] of Object.entries(parsed.skills ?? {}) as [BuiltinSkill, SkillMode][]) {
      const said = data.skills?.[skill];
      if (said && said !== mode)
        throw new TrainingDataError(
          shown,
          undefined,
          `skills.${skill} is "${mode}" here but "${said}" elsewhere`,
        );
      data.skills = { ...data.skills, [skill]: mode };
    }
    for (const [name, def] of Object.entries(parsed.entities ?? {})) {
      // Patterns are language-neutral; synonym words belong to the file's language.
      data.entities.push({ name, ...def, ...(def.synonyms ? { language } : {}) });
    }
  }
  return data;
}
