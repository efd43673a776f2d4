import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DialogInput, DialogOutcome } from '../../core/dialog';
import type { JsonValue } from '../../core/json';
import type { ConsentRecord } from '../../core/privacy';
import { createMemoryStores } from '../../stores/memory';
import { said, turnAt } from '../../test/support/nlu-fixtures';
import { CONSENT_ASK_WORDING } from '../consent';
import { formatIssue, loadDialogEngine, validateFlows, type FlowDialogEngine } from '..';

const NOW = Date.UTC(2025, 5, 2, 9, 0);
const INTENTS = ['newsletter', 'tips', 'affirm', 'deny', 'greet'];

function setUp() {
  const ledger = createMemoryStores({ retentionMs: 3_600_000 }).consent;
  const engine = loadDialogEngine({
    flowsDir: join(__dirname, 'fixtures/consent'),
    implementations: { consentLedger: ledger },
    options: { intents: INTENTS },
  });
  return { ledger, engine };
}

/** One conversation: each `send` continues from the last state, in `locale`. */
function conversation(engine: FlowDialogEngine, locale = 'en') {
  let state: JsonValue | undefined;
  return async (input: DialogInput): Promise<DialogOutcome> => {
    const outcome = await engine.step(state, input, { ...turnAt(NOW), locale });
    state = outcome.state;
    return outcome;
  };
}

const texts = (outcome: DialogOutcome) => outcome.replies.map((reply) => reply.text);

describe('a flow state that needs consent', () => {
  it('asks with yes/no buttons, records a yes with everything Art. 7 asks for, and goes on', async () => {
    const { ledger, engine } = setUp();
    const send = conversation(engine);
    const asked = await send(said('sign me up', 'newsletter'));
    expect(texts(asked)).toEqual([
      'May we use your data for marketing? You can change your mind at any time.',
    ]);
    expect(asked.replies[0]?.buttons?.map((b) => b.payload)).toEqual(['/affirm', '/deny']);
    expect(asked.events).toContainEqual({ event: 'consent.asked', data: { purpose: 'marketing' } });
    expect(await ledger.history('cust-1')).toEqual([]);

    const answered = await send(said('yes', 'affirm'));
    expect(texts(answered)).toEqual(['Subscribed.']);
    const expected: ConsentRecord = {
      customerId: 'cust-1',
      purpose: 'marketing',
      granted: true,
      at: NOW,
      channel: 'test',
      locale: 'en',
      wordingVersion: CONSENT_ASK_WORDING,
      source: 'conversation',
    };
    expect(await ledger.history('cust-1')).toEqual([expected]);
  });

  it("records a no and takes the flow's refused path", async () => {
    const { ledger, engine } = setUp();
    const send = conversation(engine);
    await send(said('sign me up', 'newsletter'));
    expect(texts(await send(said('no', 'deny')))).toEqual(['Not subscribed.']);
    const [record] = await ledger.history('cust-1');
    expect(record).toMatchObject({ purpose: 'marketing', granted: false, source: 'conversation' });
  });

  it('does not ask a customer who already answered, either way', async () => {
    const { ledger, engine } = setUp();
    const base = { customerId: 'cust-1', at: NOW - 1000, wordingVersion: 'v0' };
    await ledger.record({ ...base, purpose: 'marketing', granted: true });
    await ledger.record({ ...base, purpose: 'personalisation', granted: false });
    const send = conversation(engine);
    const yes = await send(said('sign me up', 'newsletter'));
    expect(texts(yes)).toEqual(['Subscribed.']);
    expect(yes.events.map((e) => e.event)).not.toContain('consent.asked');
    // No `refused:` in the flow: the engine ends it politely.
    expect(texts(await send(said('tips please', 'tips')))).toEqual([
      "No problem, we won't use your data for personalisation. Is there anything else I can help with?",
    ]);
    expect(await ledger.history('cust-1')).toHaveLength(2);
  });

  it('asks in the conversation locale and ends politely on a no without a refused path', async () => {
    const messages = {
      defaultLocale: 'en',
      locales: () => ['en', 'es'],
      template: (locale: string | undefined, key: string): string | undefined =>
        (<Record<string, string>>{
          'es:engine.consentAsk': '¿Podemos usar tus datos para {purpose}?',
          'es:engine.consentDeclined': 'De acuerdo, no usaremos tus datos para {purpose}.',
          'es:privacy.purpose.personalisation': 'personalización',
        })[`${locale}:${key}`],
      text: () => '',
    };
    const ledger = createMemoryStores({ retentionMs: 3_600_000 }).consent;
    const es = loadDialogEngine({
      flowsDir: join(__dirname, 'fixtures/consent'),
      implementations: { consentLedger: ledger },
      options: { intents: INTENTS },
      messages,
    });
    const send = conversation(es, 'es');
    expect(texts(await send(said('consejos', 'tips')))).toEqual([
      '¿Podemos usar tus datos para personalización?',
    ]);
    expect(texts(await send(said('no', 'deny')))).toEqual([
      'De acuerdo, no usaremos tus datos para personalización.',
    ]);
    expect(await ledger.history('cust-1')).toMatchObject([{ locale: 'es', granted: false }]);
  });

  it('asks again after something else, and only a yes or a no answers', async () => {
    const { ledger, engine } = setUp();
    const send = conversation(engine);
    await send(said('sign me up', 'newsletter'));
    const other = await send(said('hello', 'greet'));
    expect(texts(other).at(-1)).toMatch(/^May we use your data for marketing\?/);
    expect(await ledger.history('cust-1')).toEqual([]);
    expect(texts(await send(said('yes', 'affirm')))).toEqual(['Subscribed.']);
  });
});

describe('consent in the flow schema and checks', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function issuesOf(states: string): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'parley-consent-flows-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'f.flow.yaml'), `id: f\ntriggers: [tips]\ninitial: ask\nstates:\n${states}`);
    return validateFlows({ flowsDir: dir, implementations: {}, options: { intents: INTENTS } }).issues.map(
      formatIssue,
    );
  }

  it('names the purposes when given another', () => {
    const issues = issuesOf(
      '  ask:\n    consent: newsletters\n    on: { granted: done }\n  done: { type: final }\n',
    );
    expect(issues.join('\n')).toContain(
      'a consent purpose: transcript_storage, personalisation, analytics, marketing',
    );
  });

  it('needs granted, and sends granted and refused only to a consent state', () => {
    const issues = issuesOf(
      '  ask:\n    consent: marketing\n    on: { refused: done }\n  other:\n    prompt: Hi?\n    on: { granted: done }\n  done: { type: final }\n',
    ).join('\n');
    expect(issues).toContain('a state that asks for consent must handle "granted"');
    expect(issues).toContain('"granted" is only sent to a state that asks for consent');
  });
});
