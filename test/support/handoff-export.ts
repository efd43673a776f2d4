import type { Case } from '../../core/case';
import type { TranscriptEntry } from '../../core/transcript';
import { validateHandoffPackage } from '../../handoff/package.schema';

const T0 = Date.UTC(2025, 0, 18, 19, 0, 0);

/** A conversation that starts on web chat and continues on the REST channel, then escalates. */
export const crossChannelTranscript: TranscriptEntry[] = [
  {
    at: T0,
    speaker: 'customer',
    channel: 'webchat',
    messageId: 'w1',
    text: 'my internet is down',
    intent: 'report_outage',
    confidence: 0.93,
    data: { sentiment: 0 },
  },
  {
    at: T0 + 10,
    speaker: 'system',
    channel: 'webchat',
    event: 'flow.started',
    data: { flow: 'report_outage' },
  },
  { at: T0 + 20, speaker: 'bot', channel: 'webchat', text: 'Sorry to hear that. What is your postcode?' },
  {
    at: T0 + 60_000,
    speaker: 'customer',
    channel: 'rest',
    messageId: 'r1',
    text: 'SW1A 1AA',
    intent: 'inform',
    confidence: 0.81,
    data: { sentiment: 0 },
  },
  {
    at: T0 + 60_010,
    speaker: 'system',
    channel: 'rest',
    event: 'slot.filled',
    data: { slot: 'postcode', value: 'SW1A 1AA' },
  },
  {
    at: T0 + 60_020,
    speaker: 'bot',
    channel: 'rest',
    text: 'There is no known outage at SW1A 1AA. Have you restarted your router?',
    data: { buttons: ['Yes', 'No'] },
  },
  {
    at: T0 + 120_000,
    speaker: 'customer',
    channel: 'rest',
    messageId: 'r2',
    text: "yes and it's still useless, I'm furious",
    intent: 'affirm',
    confidence: 0.64,
    data: { sentiment: -0.84 },
  },
  {
    at: T0 + 120_010,
    speaker: 'system',
    channel: 'rest',
    event: 'sentiment.negative',
    data: { score: -0.84 },
  },
  { at: T0 + 120_020, speaker: 'bot', channel: 'rest', text: "I'm passing you to a colleague." },
  {
    at: T0 + 120_030,
    speaker: 'system',
    channel: 'rest',
    event: 'escalated',
    data: { caseId: 'case-42', reason: 'negative_sentiment' },
  },
];

/** A realistic case, validated by the same schema the bot uses before a package leaves it. */
export function sampleCase(overrides: Partial<Case> = {}): Case {
  return {
    id: 'case-42',
    conversationId: 'conv-7',
    customerId: 'cust-1',
    channels: ['webchat', 'rest'],
    queue: 'technical',
    priority: 1,
    status: 'queued',
    createdAt: T0 + 120_030,
    updatedAt: T0 + 120_030,
    package: validateHandoffPackage({
      version: 1,
      reason: 'negative_sentiment',
      detail: 'very negative message (sentiment -0.84)',
      summary: {
        lastIntent: 'affirm',
        slots: { postcode: 'SW1A 1AA' },
        tried: [
          'customer reported an outage',
          'bot checked SW1A 1AA: no known outage',
          'bot suggested a router restart',
        ],
        sentiment: -0.42,
      },
      customer: {
        id: 'cust-1',
        identities: [
          { channel: 'webchat', id: 'session-abc' },
          { channel: 'rest', id: '+447700900123' },
        ],
      },
      transcript: crossChannelTranscript,
    }),
    ...overrides,
  };
}
