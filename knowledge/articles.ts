import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** One `##` section of a help-centre article: the unit the knowledge base retrieves and cites. */
export interface Section {
  /** `<file without .md>#<heading slug>`, stable while the heading stays. */
  id: string;
  articleTitle: string;
  heading: string;
  /** Plain text of the section body (markdown markup removed). */
  text: string;
  url?: string;
  locale: string;
}

/** A problem with an article file, named by file and line like every other designer-facing error. */
export class ArticleError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'ArticleError';
  }
}

const FrontMatter = z.strictObject({
  title: z.string().min(1),
  url: z.url().optional(),
  locale: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a BCP 47 tag such as en or es')
    .optional(),
});

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;

/**
 * Reads every `*.md` in a bot's `knowledge/` folder (and its sub-folders) into sections. Each file starts
 * with front matter (`title`, optional `url` and `locale`); each `## Heading` starts a section.
 */
export function readArticles(directory: string, defaultLocale = 'en'): Section[] {
  return markdownFiles(directory).flatMap((file) =>
    // Named from the bot's folder ("knowledge/billing.md:2: …"), as flow and training-file errors are.
    parseArticle(
      readFileSync(file, 'utf8'),
      join(basename(directory), relative(directory, file)),
      defaultLocale,
    ),
  );
}

function markdownFiles(directory: string): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) return markdownFiles(path);
      return name.endsWith('.md') && name.toLowerCase() !== 'readme.md' ? [path] : [];
    });
}

/** Parses one article; `file` is the name used in ids and error messages. */
export function parseArticle(source: string, file: string, defaultLocale = 'en'): Section[] {
  const match = FRONT_MATTER.exec(source);
  if (!match) throw new ArticleError(file, 1, 'an article starts with front matter: ---, title: …, ---');
  const front = FrontMatter.safeParse(parseYaml(match[1]));
  if (!front.success) {
    const issue = front.error.issues[0];
    throw new ArticleError(file, 2, `front matter ${issue.path.join('.') || ''}: ${issue.message}`.trim());
  }
  const { title, url, locale } = front.data;
  const articleId = basename(file, '.md');
  const sections: Section[] = [];
  const lines = source.slice(match[0].length).split(/\r?\n/);
  let heading: string | undefined;
  let body: string[] = [];
  const flush = (): void => {
    const text = plainText(body.join('\n'));
    if (heading && text) {
      const id = `${articleId}#${slug(heading)}`;
      sections.push({
        id,
        articleTitle: title,
        heading,
        text,
        locale: locale ?? defaultLocale,
        ...(url ? { url } : {}),
      });
    }
  };
  for (const line of lines) {
    const h2 = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h2) {
      flush();
      heading = h2[1];
      body = [];
    } else body.push(line);
  }
  flush();
  if (sections.length === 0) {
    throw new ArticleError(file, 1, 'no "## " sections: each answerable part of an article needs a heading');
  }
  return sections;
}

export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Markdown to the words a customer reads: links keep their text, emphasis and list markers go. */
function plainText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, '$1')
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '')
    .replace(/^#+\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}
