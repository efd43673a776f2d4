import type { Case } from '../../core/case';
import type { Message, Reply } from '../../core/message';
import type { TranscriptEntry } from '../../core/transcript';
import { parseConversationFile } from '../testing/conversation-script';
import { runConversation, type ScriptTarget } from '../testing/conversation-runner';
import { withScriptLookups } from '../../app/bot-tests';
import { turnAt } from '../../test/support/nlu-fixtures';

/** Echoes the customer; "agent" opens a case. Enough to see the runner hold a script to account. */
function echoTarget(): ScriptTarget {
  const entries: TranscriptEntry[] = [];
  const cases: Case[] = [];
  return {
    async handle(message: Message): Promise<Reply[]> {
      entries.push({ at: 0, speaker: 'customer', channel: 'test', text: message.text, intent: 'echo' });
      if (message.text === 'agent') {
        cases.push({
          id: 'case-1',
          conversationId: message.conversationId,
          package: {
            version: 1,
            reason: 'customer_request',
            summary: { slots: {}, tried: ['asked for an agent'] },
          },
        } as Case);
      }
      return [
        { from: 'bot', text: `you said ${message.text}`, buttons: [{ title: 'Again', payload: '/again' }] },
      ];
    },
    handBack: async () => [],
    stores: {
      cases: { list: async () => cases },
      transcripts: { read: async () => entries, count: async () => entries.length },
    },
    setNow: () => undefined,
  };
}

const script = (steps: string) =>
  parseConversationFile('t.conv.yaml', `conversations:\n  - name: s\n    steps:\n${steps}`)[0];

describe('conversation runner', () => {
  it('passes a script that matches every reply, intent, button and case', async () => {
    const passing = script(
      [
        '      - user: hello',
        '      - intent: echo',
        '      - bot: /said hel+o/',
        '      - buttons: [Again]',
        '      - user: agent',
        '      - bot: YOU SAID AGENT',
        '      - escalated: customer_request',
        '      - summary: { tried: [asked for] }',
      ].join('\n'),
    );
    await expect(runConversation(passing, echoTarget())).resolves.toBeUndefined();
  });

  it('fails at the step that does not hold, naming file, line and step', async () => {
    const wrong = script(['      - user: hello', '      - bot: goodbye'].join('\n'));
    await expect(runConversation(wrong, echoTarget())).rejects.toThrow(
      't.conv.yaml:5 "s" step 2: expected a reply matching "goodbye", got "you said hello"',
    );
  });

  it('fails when a reply or a case goes unmentioned', async () => {
    await expect(runConversation(script('      - user: hello'), echoTarget())).rejects.toThrow(
      'unexpected bot replies: ["you said hello"]',
    );
    const silentCase = script(['      - user: agent', '      - bot: agent'].join('\n'));
    await expect(runConversation(silentCase, echoTarget())).rejects.toThrow(
      'a case was opened (customer_request) but not asserted',
    );
  });
});

describe('script-level stubs, outside events and customers', () => {
  const parse = (body: string) => parseConversationFile('t.conv.yaml', `conversations:\n${body}`);

  it('reads look-up stubs and refuses one that neither returns nor fails', () => {
    const [parsed] = parse(
      [
        '  - name: s',
        '    lookups: { sendLinkCode: { returns: { status: sent } }, unlinkChannel: { fails: down } }',
        '    steps: [{ user: hi }]',
      ].join('\n'),
    );
    expect(parsed.lookups).toEqual({
      sendLinkCode: { returns: { status: 'sent' } },
      unlinkChannel: { fails: 'down' },
    });
    expect(() =>
      parse(['  - name: s', '    lookups: { x: { answer: 1 } }', '    steps: [{ user: hi }]'].join('\n')),
    ).toThrow(/t\.conv\.yaml conversations\.0\.lookups\.x/);
  });

  it("stubs answer in place of the bot's look-ups; the others stay", async () => {
    const implementations = withScriptLookups(
      { lookups: { real: () => 'real', stubbed: () => 'real' } },
      { stubbed: { returns: { ok: true } }, broken: { fails: 'gateway down' } },
    );
    const scope = { slots: {}, results: {}, turn: turnAt(0) };
    expect(await implementations.lookups?.real(scope)).toBe('real');
    expect(await implementations.lookups?.stubbed(scope)).toEqual({ ok: true });
    expect(() => implementations.lookups?.broken(scope)).toThrow('gateway down');
  });

  it("sends an outside event as an event message for the flows, and writes from the customer's address", async () => {
    const sent: Message[] = [];
    const recorded: Array<{ customerId: string; purpose: string; granted: boolean }> = [];
    const base = echoTarget();
    const target: ScriptTarget = {
      ...base,
      handle: async (message: Message) => (sent.push(message), []),
      stores: {
        ...base.stores,
        identities: {
          resolve: async (address) => ({ customerId: `c:${address.userId}`, conversationId: 'older' }),
          beginConversation: async () => undefined,
        },
        consent: { record: async (record) => void recorded.push(record) },
      },
    };
    const [parsed] = parse(
      [
        '  - name: s',
        "    customer: { address: '+447700900123' }",
        '    steps:',
        '      - outside: { name: device.fault, data: { code: wan_down } }',
      ].join('\n'),
    );
    await runConversation(parsed, target);
    expect(sent).toEqual([
      expect.objectContaining({
        kind: 'event',
        event: 'device.fault',
        toFlows: true,
        metadata: { code: 'wan_down' },
        channelUserId: '+447700900123',
      }),
    ]);
    // Every purpose on record, so what earlier scripts recorded cannot change this one.
    expect(recorded.map(({ purpose, granted }) => [purpose, granted])).toEqual([
      ['transcript_storage', false],
      ['personalisation', false],
      ['analytics', false],
      ['marketing', false],
    ]);
  });
});
