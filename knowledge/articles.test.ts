import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArticleError, parseArticle, readArticles } from './articles';

const ARTICLE = `---
title: Delivery
url: https://help.example.com/delivery
---

Intro text that no heading owns is not an answer.

## How long delivery takes

Standard delivery takes **3 to 5** working days. See [our courier](https://courier.example) for more.

## Delivery costs ##

- Free over £30.
- £3.95 below.
`;

describe('help-centre articles', () => {
  it('splits an article into its ## sections, as plain text with ids, titles and links', () => {
    const sections = parseArticle(ARTICLE, 'delivery.md');
    expect(sections).toEqual([
      {
        id: 'delivery#how-long-delivery-takes',
        articleTitle: 'Delivery',
        heading: 'How long delivery takes',
        text: 'Standard delivery takes 3 to 5 working days. See our courier for more.',
        url: 'https://help.example.com/delivery',
        locale: 'en',
      },
      {
        id: 'delivery#delivery-costs',
        articleTitle: 'Delivery',
        heading: 'Delivery costs',
        text: 'Free over £30. £3.95 below.',
        url: 'https://help.example.com/delivery',
        locale: 'en',
      },
    ]);
  });

  it('names the file and line of a bad article', () => {
    expect(() => parseArticle('## Heading\ntext', 'a.md')).toThrow(
      new ArticleError('a.md', 1, 'an article starts with front matter: ---, title: …, ---'),
    );
    expect(() => parseArticle('---\nurl: not a url\n---\n## H\ntext', 'b.md')).toThrow(
      /^b\.md:2: front matter/,
    );
    expect(() => parseArticle('---\ntitle: T\n---\nno sections here', 'c.md')).toThrow(
      /^c\.md:1: no "## " sections/,
    );
  });

  it('reads every .md under the folder, sub-folders too, with each file’s locale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-kb-'));
    mkdirSync(join(dir, 'es'));
    writeFileSync(join(dir, 'delivery.md'), ARTICLE);
    writeFileSync(join(dir, 'README.md'), 'not an article');
    writeFileSync(
      join(dir, 'es', 'entrega.md'),
      '---\ntitle: Entrega\nlocale: es\n---\n## Plazos\nDe 3 a 5 días.',
    );
    const sections = readArticles(dir);
    expect(sections.map((s) => [s.id, s.locale])).toEqual([
      ['delivery#how-long-delivery-takes', 'en'],
      ['delivery#delivery-costs', 'en'],
      ['entrega#plazos', 'es'],
    ]);
  });
});
