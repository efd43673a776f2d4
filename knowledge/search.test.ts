import { join } from 'node:path';
import { readArticles } from './articles';
import { KnowledgeSearch } from './search';

const search = new KnowledgeSearch(readArticles(join(__dirname, '..', 'bots', 'acme', 'knowledge')));

describe('knowledge search: analysing a message', () => {
  it('gives the same content terms for a short message asked again, in a set of its own each time', () => {
    const first = search.analyse('my parcel arrived damaged', 'en');
    const again = search.analyse('my parcel arrived damaged', 'en');
    expect(first?.terms.size).toBeGreaterThanOrEqual(3);
    expect(again?.terms).toEqual(first?.terms);
    first?.terms.clear();
    expect(search.analyse('my parcel arrived damaged', 'en')?.terms).toEqual(again?.terms);
  });

  it('keeps locales apart and analyses long messages too', () => {
    const long = `${'the parcel arrived damaged and the box was wet '.repeat(3)}what now`;
    expect(search.analyse(long, 'en')?.terms.size).toBeGreaterThan(3);
    expect(search.analyse('my parcel arrived damaged', 'xx')).toBeUndefined();
  });
});
