import type { Case, CaseStatus } from '../../core/case';
import type { CaseStore, TranscriptReader } from '../../core/ports';
import type { TranscriptEntry } from '../../core/transcript';
import { cosine, terms, TfIdf } from '../../nlu/tfidf';

/** A reply an agent can insert into the open case with one click. */
export interface Suggestion {
  text: string;
  /** The past case the reply comes from, so the agent can look at it. */
  fromCaseId: string;
  /** 0..1: how alike the two customers' problems are (TF-IDF cosine), nudged by how on-topic the reply is. */
  score: number;
}

export interface ReplySuggester {
  /** Up to `limit` replies from the most similar past cases, best first; empty when nothing is alike. */
  suggest(openCase: Case, limit?: number): Promise<Suggestion[]>;
}

export interface ReplySuggesterOptions {
  cases: Pick<CaseStore, 'list'>;
  /**
   * Where agents' replies are read: they are said after the handoff, so the package (the record at
   * handoff) does not hold them. Without it only lines already in the packages are used.
   */
  transcripts?: Pick<TranscriptReader, 'read' | 'count'>;
  /** Which past cases to learn from (default `['resolved']`: cases that ended well). */
  statuses?: readonly CaseStatus[];
  /** Cases less alike than this give no suggestions (default 0.1). */
  minSimilarity?: number;
  /**
   * Whether a past case may help other customers: using a customer's conversation beyond serving them
   * needs their consent (`transcript_storage`; see `consentGate`). Default: every case.
   */
  mayUse?: (item: Case) => Promise<boolean>;
}

/** What one past case contributes: the customer's side (to compare) and the agent's replies (to offer). */
interface PastCase {
  id: string;
  /** Terms of everything the customer said. */
  customer: string[];
  replies: string[];
}

/** Greetings and sign-offs fit every case and help none: these stems are not content. */
const COURTESY = new Set(
  terms(
    'hi hello hey morning afternoon evening thanks thank welcome pleasure bye goodbye nice great good lovely ' +
      'day weekend waiting patience anything else sorry',
  ),
);
/** Replies this alike (Jaccard over terms) say the same thing: offer one of them. */
const DUPLICATE = 0.7;

/**
 * Suggests replies for an open case from similar past cases: TF-IDF cosine over the customer's side of
 * each case (what they said to the bot and to the agent), then the agent replies of the closest cases,
 * without greetings, sign-offs, internal notes or near-duplicates.
 *
 * @example
 * const suggester = createReplySuggester({ cases: stores.cases, transcripts: stores.transcripts });
 * // GET /api/cases/:id/suggestions
 * const suggestions = await suggester.suggest(await caseService.get(id).then((d) => d.case));
 */
export function createReplySuggester(options: ReplySuggesterOptions): ReplySuggester {
  const statuses = options.statuses ?? ['resolved'];
  const minSimilarity = options.minSimilarity ?? 0.1;
  // A finished case no longer changes: read and tokenise each once.
  const cache = new Map<string, { updatedAt: number; past: PastCase }>();

  const load = async (item: Case): Promise<PastCase> => {
    const cached = cache.get(item.id);
    if (cached?.updatedAt === item.updatedAt) return cached.past;
    const past = splitSides(item, await caseLines(item, options.transcripts));
    cache.set(item.id, { updatedAt: item.updatedAt, past });
    return past;
  };

  return {
    async suggest(openCase, limit = 3) {
      const listed = (await Promise.all(statuses.map((status) => options.cases.list({ status })))).flat();
      const others = listed.filter((item) => item.id !== openCase.id && !item.erasedAt);
      const mayUse = options.mayUse;
      const allowed = mayUse
        ? (await Promise.all(others.map(async (item) => ((await mayUse(item)) ? [item] : [])))).flat()
        : others;
      const past = await Promise.all(allowed.map(load));
      const corpus = past.filter((item) => item.replies.length > 0);
      if (corpus.length === 0 || limit <= 0) return [];
      const open = splitSides(openCase, await caseLines(openCase, options.transcripts));
      if (open.customer.length === 0) return [];
      const index = new TfIdf(corpus.map((item) => item.customer));
      const queryVector = index.vector(open.customer);
      const ranked = corpus
        .map((item) => ({ item, similarity: cosine(queryVector, index.vector(item.customer)) }))
        .filter(({ similarity }) => similarity >= minSimilarity)
        .sort((a, b) => b.similarity - a.similarity);
      const candidates = ranked.flatMap(({ item, similarity }) =>
        item.replies.map((text) => ({
          text,
          fromCaseId: item.id,
          // Within a case, a reply that shares words with this customer's problem is the better pick.
          score: similarity * (0.8 + 0.2 * cosine(queryVector, index.vector(terms(text)))),
        })),
      );
      return pickDistinct(candidates, limit);
    },
  };
}

/** Best first, skipping replies that say what a better one already says. */
function pickDistinct(candidates: Suggestion[], limit: number): Suggestion[] {
  const picked: Array<Suggestion & { terms: Set<string> }> = [];
  for (const candidate of [...candidates].sort((a, b) => b.score - a.score)) {
    const words = new Set(terms(candidate.text));
    if (picked.some((other) => jaccard(words, other.terms) >= DUPLICATE)) continue;
    picked.push({ ...candidate, score: Math.round(candidate.score * 1000) / 1000, terms: words });
    if (picked.length === limit) break;
  }
  return picked.map(({ terms: _terms, ...suggestion }) => suggestion);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * A case's lines: the package (the record at handoff), then what was said in the conversation after it,
 * up to the line that ended this case or the handoff of the next one.
 */
async function caseLines(
  item: Case,
  transcripts: Pick<TranscriptReader, 'read' | 'count'> | undefined,
): Promise<TranscriptEntry[]> {
  const handoff = item.package.transcript;
  if (!transcripts) return handoff;
  const total = await transcripts.count(item.conversationId);
  const after =
    total > handoff.length
      ? await transcripts.read(item.conversationId, { offset: handoff.length, limit: total - handoff.length })
      : [];
  const end = after.findIndex(
    (entry) =>
      (entry.event === 'escalated' && entry.data?.['caseId'] !== item.id) ||
      (/^case\.(resolved|closed)$/.test(entry.event ?? '') && entry.data?.['caseId'] === item.id),
  );
  return [...handoff, ...(end === -1 ? after : after.slice(0, end))];
}

function splitSides(item: Case, lines: TranscriptEntry[]): PastCase {
  const customer = lines
    .filter((line) => line.speaker === 'customer')
    .flatMap((line) => terms(line.text ?? ''));
  const replies = lines
    // An agent line with an event is an internal note, never for the customer.
    .filter((line) => line.speaker === 'agent' && line.text && line.event === undefined)
    .map((line) => (line.text ?? '').trim())
    .filter(isSubstantive);
  return { id: item.id, customer, replies };
}

/** At least two content words once greetings and sign-offs are set aside ("Hi, Sam here." has one). */
function isSubstantive(text: string): boolean {
  return terms(text).filter((term) => !COURTESY.has(term)).length >= 2;
}
