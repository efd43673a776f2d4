import type { Case, CaseStatus } from '../../core/case';
import type { Stores } from '../../core/ports';
import type { TranscriptEntry } from '../../core/transcript';
import { createMemoryStores } from '../../stores/memory';
import { createReplySuggester } from './reply-suggester';
import { consentGate } from '../../core/privacy';
import { cosine, terms, TfIdf } from '../../nlu/tfidf';

type Line = [TranscriptEntry['speaker'], string];

/**
 * Stores a case the way Parley does: the package holds the conversation up to the handoff; the agent's
 * side happens afterwards, in the conversation transcript.
 */
async function addCase(
  stores: Stores,
  id: string,
  before: Line[],
  after: Line[],
  status: CaseStatus = 'resolved',
): Promise<Case> {
  let at = 1_000;
  const entry = ([speaker, text]: Line): TranscriptEntry => ({
    at: (at += 1000),
    speaker,
    channel: 'webchat',
    ...(speaker === 'agent' ? { agent: 'Sam' } : {}),
    ...(speaker === 'system' ? { event: text, data: { caseId: id } } : { text }),
  });
  const handoff = [...before.map(entry), entry(['system', 'escalated'])];
  const item: Case = {
    id,
    conversationId: `conv-${id}`,
    customerId: `cust-${id}`,
    channels: ['webchat'],
    queue: 'general',
    priority: 0,
    status,
    createdAt: at,
    updatedAt: at,
    package: {
      version: 1,
      reason: 'customer_request',
      summary: { slots: {}, tried: [] },
      customer: { id: `cust-${id}`, identities: [] },
      transcript: handoff,
    },
  };
  await stores.cases.create(item);
  await stores.transcripts.append(item.conversationId, [...handoff, ...after.map(entry)]);
  return item;
}

async function setup() {
  const stores = createMemoryStores({ retentionMs: 3_600_000 });
  await addCase(
    stores,
    'outage-1',
    [['customer', 'my broadband is down, no internet since this morning']],
    [
      ['agent', 'Hi, Sam here.'],
      ['agent', "There's a fault at the exchange in your area; engineers expect service back by 6pm today."],
      ['customer', 'thanks'],
      ['agent', 'You are welcome, have a nice day'],
      ['system', 'case.resolved'],
    ],
  );
  await addCase(
    stores,
    'outage-2',
    [['customer', 'internet keeps dropping, the router light is red and there is no connection']],
    [
      ['agent', "I've reset your line from our side; please restart your router and wait two minutes."],
      ['agent', 'There is a fault at the exchange in your area; engineers expect service back by 6pm.'],
      ['system', 'case.resolved'],
    ],
  );
  await addCase(
    stores,
    'billing-1',
    [['customer', 'I was charged twice on my bill this month']],
    [
      ['agent', "I've refunded the duplicate charge; it will show on your statement in 3 to 5 days."],
      ['system', 'case.resolved'],
    ],
  );
  await addCase(
    stores,
    'billing-2',
    [['customer', 'why is my bill so high, I want a refund']],
    [['agent', 'Your bill went up because your discount ended; I have applied a new 12-month discount.']],
  );
  return stores;
}

describe('createReplySuggester', () => {
  it('learns only from cases of customers who consent to transcript use, never from tombstones', async () => {
    const stores = await setup();
    const open = await addCase(
      stores,
      'open-c',
      [['customer', 'no internet at all, my broadband is down']],
      [],
      'assigned',
    );
    const suggester = createReplySuggester({
      cases: stores.cases,
      transcripts: stores.transcripts,
      mayUse: (item) => consentGate(stores.consent, 'transcript_storage')(item.customerId),
    });
    expect(await suggester.suggest(open)).toEqual([]);
    await stores.consent.record({
      customerId: 'cust-outage-1',
      purpose: 'transcript_storage',
      granted: true,
      at: 1,
      wordingVersion: 'ask.v1',
    });
    const allowed = await suggester.suggest(open);
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.every((s) => s.fromCaseId === 'outage-1')).toBe(true);
    await stores.consent.record({
      customerId: 'cust-outage-1',
      purpose: 'transcript_storage',
      granted: false,
      at: 2,
      wordingVersion: 'withdraw-in-conversation.v1',
    });
    expect(await suggester.suggest(open)).toEqual([]);
  });

  it('offers outage replies for an outage case, not billing ones', async () => {
    const stores = await setup();
    const open = await addCase(
      stores,
      'open-1',
      [['customer', 'no internet at all, my broadband is down']],
      [],
      'assigned',
    );
    const suggestions = await createReplySuggester({
      cases: stores.cases,
      transcripts: stores.transcripts,
    }).suggest(open);
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(3);
    expect(suggestions.every((s) => s.fromCaseId.startsWith('outage'))).toBe(true);
    expect(suggestions[0]?.text).toMatch(/fault at the exchange/);
    for (let i = 1; i < suggestions.length; i += 1) {
      expect(suggestions[i - 1]!.score).toBeGreaterThanOrEqual(suggestions[i]!.score);
    }
  });

  it('offers billing replies for a billing case', async () => {
    const stores = await setup();
    const open = await addCase(
      stores,
      'open-2',
      [['customer', 'you charged me twice, I need a refund on my bill']],
      [],
      'queued',
    );
    const suggestions = await createReplySuggester({
      cases: stores.cases,
      transcripts: stores.transcripts,
    }).suggest(open);
    expect(suggestions[0]).toMatchObject({
      fromCaseId: 'billing-1',
      text: expect.stringMatching(/refunded the duplicate charge/),
    });
    expect(suggestions.some((s) => s.fromCaseId.startsWith('outage'))).toBe(false);
  });

  it('skips greetings, sign-offs and near-duplicate replies', async () => {
    const stores = await setup();
    const open = await addCase(
      stores,
      'open-3',
      [['customer', 'broadband down, no internet, router light red']],
      [],
    );
    const texts = (
      await createReplySuggester({ cases: stores.cases, transcripts: stores.transcripts }).suggest(open, 5)
    ).map((s) => s.text);
    expect(texts.join('\n')).not.toMatch(/Sam here|welcome/);
    expect(texts.filter((t) => /fault at the exchange/.test(t))).toHaveLength(1);
    expect(texts).toContain(
      "I've reset your line from our side; please restart your router and wait two minutes.",
    );
  });

  it('learns only from resolved cases by default, and never from the open case itself', async () => {
    const stores = await setup();
    await addCase(
      stores,
      'closed-1',
      [['customer', 'my broadband is down and the router is dead']],
      [['agent', 'I am sending you a replacement router by courier today.']],
      'closed',
    );
    const open = await addCase(
      stores,
      'open-4',
      [['customer', 'my broadband is down, router dead']],
      [['agent', 'Looking into the broadband outage for you now']],
      'assigned',
    );
    const byDefault = await createReplySuggester({
      cases: stores.cases,
      transcripts: stores.transcripts,
    }).suggest(open);
    expect(byDefault.map((s) => s.fromCaseId)).not.toContain('open-4');
    expect(byDefault.map((s) => s.fromCaseId)).not.toContain('closed-1');
    const withClosed = await createReplySuggester({
      cases: stores.cases,
      transcripts: stores.transcripts,
      statuses: ['resolved', 'closed'],
    }).suggest(open);
    expect(withClosed[0]).toMatchObject({
      fromCaseId: 'closed-1',
      text: expect.stringMatching(/replacement router/),
    });
  });

  it('returns nothing when no past case is alike, or there is nothing to compare', async () => {
    const stores = await setup();
    const suggester = createReplySuggester({ cases: stores.cases, transcripts: stores.transcripts });
    const unrelated = await addCase(stores, 'open-5', [['customer', 'do you sell garden furniture']], []);
    expect(await suggester.suggest(unrelated)).toEqual([]);
    const silent = await addCase(stores, 'open-6', [], []);
    expect(await suggester.suggest(silent)).toEqual([]);
    const empty = createMemoryStores({ retentionMs: 1000 });
    expect(await createReplySuggester({ cases: empty.cases }).suggest(unrelated)).toEqual([]);
  });

  it('never offers an internal agent note', async () => {
    const stores = createMemoryStores({ retentionMs: 3_600_000 });
    const past = await addCase(stores, 'vip', [['customer', 'my broadband is down']], []);
    await stores.transcripts.append(past.conversationId, [
      {
        at: 9_000,
        speaker: 'agent',
        channel: 'webchat',
        agent: 'Sam',
        event: 'case.note',
        text: 'customer threatened to leave, offer credit',
      },
      {
        at: 9_001,
        speaker: 'agent',
        channel: 'webchat',
        agent: 'Sam',
        text: 'I have booked an engineer to fix your broadband tomorrow morning.',
      },
    ]);
    const open = await addCase(stores, 'open-7', [['customer', 'broadband down again']], [], 'queued');
    const texts = (
      await createReplySuggester({ cases: stores.cases, transcripts: stores.transcripts }).suggest(open)
    ).map((s) => s.text);
    expect(texts).toEqual(['I have booked an engineer to fix your broadband tomorrow morning.']);
  });

  it('uses agent lines already in the packages when no transcript reader is given', async () => {
    const stores = createMemoryStores({ retentionMs: 3_600_000 });
    await addCase(
      stores,
      'in-package',
      [
        ['customer', 'my broadband is down'],
        ['agent', 'Please unplug the router for thirty seconds and plug it back in.'],
      ],
      [],
    );
    const open = await addCase(stores, 'open-8', [['customer', 'broadband down']], [], 'queued');
    const [first] = await createReplySuggester({ cases: stores.cases }).suggest(open);
    expect(first?.fromCaseId).toBe('in-package');
  });
});

describe('TF-IDF', () => {
  it('stems, drops stop words, and weighs rare terms above common ones', () => {
    // "not" is kept on purpose: "working" and "not working" are different problems.
    expect(terms('The routers are not working')).toEqual(['router', 'not', 'work']);
    const index = new TfIdf([terms('broadband down'), terms('broadband bill'), terms('broadband router')]);
    const query = index.vector(terms('broadband bill'));
    expect(cosine(query, index.vector(terms('bill')))).toBeGreaterThan(
      cosine(query, index.vector(terms('broadband'))),
    );
    expect(cosine(query, query)).toBeCloseTo(1);
    expect(cosine(query, index.vector([]))).toBe(0);
  });
});
