import { z } from 'zod';
import type { Button } from '../../core/message';
import type { KeyValueStore } from '../../core/ports';

/** Twilio's standard opt-out, opt-in and help keywords (a message that is exactly one of them). */
const OPT_OUT = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit']);
const OPT_IN = new Set(['start', 'yes', 'unstop']);
const HELP = new Set(['help', 'info']);

export type Keyword = 'opt-out' | 'opt-in' | 'help';

/** The keyword a message is, ignoring case, spacing and final punctuation; undefined for anything else. */
export function keywordOf(text: string): Keyword | undefined {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/[.!?]+$/, '');
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
  if (HELP.has(word)) return 'help';
  return undefined;
}

const conversationValue = z.object({
  options: z.array(z.object({ title: z.string(), payload: z.string() })).default([]),
  /** The Twilio number the customer last wrote to: the sender of out-of-turn replies when none is set. */
  ourNumber: z.string().optional(),
});

export type TwilioConversation = z.infer<typeof conversationValue>;

/**
 * What the Twilio connector remembers between turns, in the shared key-value store so every process sees
 * it: per conversation, the options it last offered (so "2" can be mapped back) and the number written
 * to; per phone number and channel, the opt-out.
 */
export class TwilioState {
  constructor(private readonly store: KeyValueStore) {}

  async conversation(conversationId: string): Promise<TwilioConversation> {
    const parsed = conversationValue.safeParse(await this.store.get(conversationKey(conversationId)));
    return parsed.success ? parsed.data : { options: [] };
  }

  async update(conversationId: string, change: Partial<TwilioConversation>): Promise<void> {
    const next = { ...(await this.conversation(conversationId)), ...change };
    await this.store.set(conversationKey(conversationId), {
      options: next.options.map(({ title, payload }) => ({ title, payload })),
      ...(next.ourNumber ? { ourNumber: next.ourNumber } : {}),
    });
  }

  async offered(conversationId: string, options: readonly Button[]): Promise<void> {
    await this.update(conversationId, { options: [...options] });
  }

  async isOptedOut(conversationId: string): Promise<boolean> {
    return (await this.store.get(optOutKey(conversationId))) !== undefined;
  }

  /** Records (or refreshes: every key has the retention TTL) an opt-out. */
  async optOut(conversationId: string, at: number): Promise<void> {
    await this.store.set(optOutKey(conversationId), { at });
  }

  async optIn(conversationId: string): Promise<void> {
    await this.store.delete(optOutKey(conversationId));
  }
}

// A conversation is one phone number on one channel (`sms:+15550001111`), so its id keys the opt-out too.
const conversationKey = (conversationId: string) => `twilio:conversation:${conversationId}`;
const optOutKey = (conversationId: string) => `twilio:opt-out:${conversationId}`;
