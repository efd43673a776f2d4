import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameworkMessages } from '../locales/load';
import { lineView } from './event-lines';
import { parseDeskConfig, routeToQueue } from './desk-config';
import { persistedTokenSecret } from './token-secret';
import { priorityCategory, sentimentCategory } from './case-view';

const en = { messages: frameworkMessages(), locale: 'en' };
const es = { messages: frameworkMessages(), locale: 'es' };

describe('event lines in plain words', () => {
  it('turns system events into sentences with a topic, in the desk locale', () => {
    const rejected = {
      at: 1,
      speaker: 'system' as const,
      channel: 'webchat',
      event: 'slot.rejected',
      data: { flow: 'order_status', slot: 'order_number', attempts: 2 },
    };
    expect(lineView(rejected, en)).toEqual({
      at: 1,
      speaker: 'system',
      by: 'System',
      channel: 'webchat',
      kind: 'event',
      topic: 'slot',
      event: 'slot.rejected',
      text: 'Bot could not use the answer for order number (try 2).',
    });
    expect(lineView({ ...rejected, event: 'flow.started' }, en).text).toBe('Bot started "Order status".');
    const escalated = {
      at: 2,
      speaker: 'system' as const,
      event: 'escalated',
      data: { reason: 'complaint' },
    };
    expect(lineView(escalated, en)).toMatchObject({
      topic: 'handoff',
      text: 'Handed to a person: Complaint.',
    });
    expect(lineView(escalated, es).text).toBe('Pasado a una persona: Queja.');
    expect(lineView({ at: 3, speaker: 'system', event: 'brand.new' }, en)).toMatchObject({
      topic: 'system',
      text: 'System event: brand.new.',
    });
  });

  it('keeps said text and notes as they are', () => {
    expect(lineView({ at: 1, speaker: 'customer', text: 'hi' }, en)).toMatchObject({
      kind: 'message',
      by: 'Customer',
      text: 'hi',
    });
    expect(
      lineView({ at: 1, speaker: 'agent', agent: 'Sam', event: 'case.note', text: 'vip' }, en),
    ).toMatchObject({
      kind: 'note',
      by: 'Sam',
      text: 'vip',
    });
  });

  it('bands sentiment and priority', () => {
    expect([-0.6, 0.21, 0.3].map(sentimentCategory)).toEqual(['negative', 'neutral', 'positive']);
    expect([2, 0, -1].map(priorityCategory)).toEqual(['high', 'normal', 'low']);
  });
});

describe('queues', () => {
  const config = parseDeskConfig({
    queues: [
      { id: 'general' },
      { id: 'orders', intents: ['order_status'] },
      { id: 'spanish', languages: ['es'] },
      { id: 'voice-orders', intents: ['order_status'], channels: ['voice'] },
    ],
  });
  it('routes by intent, language and channel; a named queue wins; otherwise the default', () => {
    expect(routeToQueue(config, { intent: 'order_status', channel: 'webchat' })).toBe('orders');
    expect(routeToQueue(config, { intent: 'greet', language: 'es-MX' })).toBe('spanish');
    expect(routeToQueue(config, { intent: 'greet', language: 'en' })).toBe('general');
    expect(routeToQueue(config, { intent: 'order_status' }, 'vip')).toBe('vip');
  });
  it('refuses a bad configuration with the reason', () => {
    expect(() => parseDeskConfig({ queues: [{ id: 'a' }, { id: 'a' }] })).toThrow(/queue a is defined twice/);
    expect(() => parseDeskConfig({ defaultQueue: 'x', queues: [{ id: 'a' }] })).toThrow(/defaultQueue x/);
    expect(() => parseDeskConfig({ queues: [{ id: 'Bad Id' }] })).toThrow(/queues.0.id/);
  });
});

describe('persisted token secret', () => {
  it('is created once with mode 0600 and read back the same after a "restart"', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'secret-')), 'dir', 'agent-token-secret');
    const [a, b] = await Promise.all([persistedTokenSecret(path), persistedTokenSecret(path)]);
    expect(a).toBe(b);
    expect(await persistedTokenSecret(path)).toBe(a);
    expect(readFileSync(path, 'utf8').trim()).toBe(a);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
