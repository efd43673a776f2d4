import type { Case } from '../../core/case';
import type { Message, Reply } from '../../core/message';
import type { TranscriptEntry } from '../../core/transcript';
import { parseConversationFile } from '../testing/conversation-script';
import { runConversation, type ScriptTarget } from '../testing/conversation-runner';

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
