import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { CliOutput } from '../commands/flows';

export const TEMPLATES = ['support', 'minimal'] as const;
export type TemplateName = (typeof TEMPLATES)[number];
/** The languages the framework's built-in skills and sentences speak (nlu/skills/, locales/). */
const LANGUAGES = ['en', 'es'] as const;

export interface NewOptions {
  template: string;
  language: string;
}

const PARLEY_ROOT = resolve(__dirname, '..', '..');
const TEMPLATES_DIR = resolve(__dirname, '..', 'templates');
const LANGUAGE_MARK = /\s*# lang:([a-z]{2})\s*$/;

/** `acme-shop` → `Acme Shop`: the company name customers see until the designer sets it. */
const companyOf = (name: string): string =>
  name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');

function parseLanguages(option: string): string[] {
  const languages = option.split(',').map((language) => language.trim().toLowerCase());
  const unknown = languages.filter((language) => !(LANGUAGES as readonly string[]).includes(language));
  if (unknown.length > 0 || languages[0] !== 'en' || new Set(languages).size !== languages.length)
    throw new Error(`--language: en, or en,es (the first is the default; got "${option}")`);
  return languages;
}

/** A template file's path belongs to a language when a folder or the file is named after it (`nlu/es/`, `es.conv.yaml`). */
function languageOfPath(path: string): string | undefined {
  return path
    .split(/[/\\]/)
    .map((part) => /^([a-z]{2})(\.|$)/.exec(part)?.[1])
    .find((language) => language !== undefined && (LANGUAGES as readonly string[]).includes(language));
}

/** Keeps the lines of the chosen languages (`# lang:es` marks a line as Spanish only) and names the bot. */
function render(text: string, languages: string[], name: string): string {
  const lines = text.split('\n').flatMap((line) => {
    const mark = LANGUAGE_MARK.exec(line);
    if (!mark) return [line];
    return languages.includes(mark[1]) ? [line.replace(LANGUAGE_MARK, '')] : [];
  });
  return lines.join('\n').replaceAll('template-bot', name).replaceAll('Template Co', companyOf(name));
}

async function templateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Makes `import … from 'parley'` resolve from the bot's folder, as `npm link parley` would. */
async function linkParley(target: string): Promise<boolean> {
  // Node's own look-up, done by hand: require.resolve from here would find Parley by self-reference.
  for (let dir = target; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', 'parley', 'package.json'))) return false;
    if (dirname(dir) === dir) break;
  }
  await mkdir(join(target, 'node_modules'), { recursive: true });
  await symlink(PARLEY_ROOT, join(target, 'node_modules', 'parley'), 'dir');
  return true;
}

/** `parley new <dir>`: writes a working bot from a template; refuses a folder that has files in it. */
export async function newCommand(dir: string, options: NewOptions, io: CliOutput): Promise<void> {
  if (!(TEMPLATES as readonly string[]).includes(options.template))
    throw new Error(`--template: ${TEMPLATES.join(' or ')} (got "${options.template}")`);
  const languages = parseLanguages(options.language);
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0)
    throw new Error(`${dir} already exists and is not empty: choose a new folder`);
  const name = basename(target)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-');
  const source = join(TEMPLATES_DIR, options.template);
  for (const file of await templateFiles(source)) {
    const language = languageOfPath(file);
    if (language && !languages.includes(language)) continue;
    const text = await readFile(join(source, file), 'utf8');
    await mkdir(dirname(join(target, file)), { recursive: true });
    await writeFile(join(target, file), render(text, languages, name));
  }
  const manifest = {
    name,
    private: true,
    description: `${companyOf(name)}'s Parley bot`,
    scripts: { test: 'parley test --bot . --coverage', chat: 'parley chat --bot .' },
    dependencies: { parley: `file:${PARLEY_ROOT}` },
  };
  await writeFile(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const linked = await linkParley(target);
  io.out(
    [
      `Created bot "${name}" in ${dir} (${options.template} template; ${languages.join(', ')})`,
      ...(linked ? [`  linked node_modules/parley -> ${PARLEY_ROOT}`] : []),
      '',
      'Next, from the Parley folder:',
      `  npm start -- --bot ${target}`,
      `  npx parley test --bot ${target} --coverage`,
      `  npx parley chat --bot ${target}`,
      '',
    ].join('\n'),
  );
}
