import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DialogEngine } from '../core/dialog';
import type { JsonValue } from '../core/json';
import type { Reply } from '../core/message';
import { Pipeline } from '../core/pipeline';
import { createOutbox } from '../outbox/outbox';
import { createMemoryStores } from '../stores/memory';
import { silentLogger } from '../stores/silent-logger';
import {
  createDelivery,
  ConversationNotFoundError,
  HANDBACK_FALLBACK,
  type OutboundSender,
} from './delivery';
import { createRestCallbackSender } from '../connectors/rest/rest.callback';
import { renderRest } from '../connectors/rest/rest.connector';

const redact = (text: string) => ({ text: text.replace(/4111111111111111/g, '[card]'), redactions: [] });

function setup(options: { outbound?: OutboundSender; dialog?: DialogEngine['step'] } = {}) {
  const stores = createMemoryStores({ retentionMs: 60_000 });
  const step: DialogEngine['step'] =
    options.dialog ??
    (async (_state, input) => ({
      state: { back: input.type },
      replies: [{ from: 'bot', text: 'Back! Happy?' }],
      events: [{ event: 'handback.seen' }],
    }));
  const outbox = createOutbox({ bus: stores.bus, logger: silentLogger });
  if (options.outbound) outbox.register('rest', options.outbound);
  const pipeline = new Pipeline({
    stores,
    outbox,
    nlu: { parse: async () => Promise.reject(new Error('no customer turns here')) },
    dialog: { step, summarize: () => ({ slots: {}, tried: [] }) },
    handoff: { route: async () => false, escalate: async () => undefined },
    redact,
    clock: { now: () => 5000 },
    logger: silentLogger,
  });
  const delivery = createDelivery(pipeline);
  const conversation = async (channel: 'rest' | 'webchat', caseId?: string) => {
    await stores.conversations.put({
      conversationId: `${channel}:c`,
      customerId: 'cust',
      channel,
      channelUserId: 'c',
      updatedAt: 1,
      ...(caseId ? { caseId } : {}),
    });
    return `${channel}:c`;
  };
  return { stores, delivery, conversation };
}

const agentReply: Reply = { from: 'agent', text: 'card 4111111111111111 noted', agentName: 'Sam' };

describe('out-of-turn delivery', () => {
  it('pushes to live channels and records the redacted line', async () => {
    const { stores, delivery, conversation } = setup();
    const id = await conversation('webchat');
    const pushed: JsonValue[] = [];
    await stores.bus.subscribe(`push:${id}`, (payload) => pushed.push(payload));
    await delivery.deliver(id, agentReply);
    expect(pushed).toEqual([{ from: 'agent', text: 'card [card] noted', agentName: 'Sam' }]);
    expect(await stores.transcripts.read(id)).toEqual([
      { at: 5000, speaker: 'agent', channel: 'webchat', text: 'card [card] noted', agent: 'Sam' },
    ]);
    expect((await stores.conversations.get(id))?.pending).toBeUndefined();
  });

  it('keeps replies for a REST customer until their next request', async () => {
    const { stores, delivery, conversation } = setup();
    const id = await conversation('rest');
    await delivery.deliver(id, agentReply);
    await delivery.deliver(id, { from: 'agent', text: 'second', agentName: 'Sam' });
    expect((await stores.conversations.get(id))?.pending?.map((r) => r.text)).toEqual([
      'card [card] noted',
      'second',
    ]);
  });

  it('hands back: clears the case, steps the dialog, records lines in order', async () => {
    const { stores, delivery, conversation } = setup();
    const id = await conversation('webchat', 'case-1');
    await delivery.handBack(id, {
      caseId: 'case-1',
      agentName: 'Sam',
      lines: [{ speaker: 'system', event: 'case.resolved' }],
    });
    const state = await stores.conversations.get(id);
    expect(state?.caseId).toBeUndefined();
    expect(state?.dialog).toEqual({ back: 'handback' });
    expect((await stores.transcripts.read(id)).map((l) => l.event ?? l.text)).toEqual([
      'case.resolved',
      'handback.seen',
      'Back! Happy?',
    ]);
  });

  it('still gives the bot back with a plain greeting when the dialog step fails', async () => {
    const { stores, delivery, conversation } = setup({
      dialog: async () => {
        throw new Error('flow broke');
      },
    });
    const id = await conversation('rest', 'case-2');
    await delivery.handBack(id, { caseId: 'case-2' });
    const state = await stores.conversations.get(id);
    expect(state?.caseId).toBeUndefined();
    expect(state?.pending).toEqual([HANDBACK_FALLBACK]);
  });

  it('refuses a conversation the stores do not know', async () => {
    const { delivery } = setup();
    await expect(delivery.deliver('rest:gone', agentReply)).rejects.toBeInstanceOf(ConversationNotFoundError);
  });
});

describe('REST callback', () => {
  async function callbackServer(statuses: number[]) {
    const received: unknown[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        // Not chained: restify, loaded by other test files in this worker, patches writeHead to return nothing.
        res.statusCode = statuses.shift() ?? 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('POSTs replies in Rasa shape and keeps nothing pending', async () => {
    const callback = await callbackServer([]);
    const { stores, delivery, conversation } = setup({
      outbound: createRestCallbackSender({ url: callback.url, logger: silentLogger, render: renderRest }),
    });
    const id = await conversation('rest');
    await delivery.deliver(id, {
      from: 'agent',
      text: 'Hi',
      agentName: 'Sam',
      buttons: [{ title: 'OK', payload: '/ok' }],
    });
    expect(callback.received).toEqual([
      {
        recipient_id: 'c',
        text: 'Hi',
        buttons: [{ title: 'OK', payload: '/ok' }],
        custom: { from: 'agent', agent_name: 'Sam' },
      },
    ]);
    expect((await stores.conversations.get(id))?.pending).toBeUndefined();
    await callback.close();
  });

  it('keeps the replies the callback refused for the next request', async () => {
    const callback = await callbackServer([200, 503]);
    const { stores, delivery, conversation } = setup({
      outbound: createRestCallbackSender({ url: callback.url, logger: silentLogger, render: renderRest }),
    });
    const id = await conversation('rest');
    await delivery.handBack(id, { caseId: 'x' }); // one reply, delivered
    await delivery.deliver(id, { from: 'agent', text: 'refused', agentName: 'Sam' });
    expect(callback.received).toHaveLength(2);
    expect((await stores.conversations.get(id))?.pending?.map((r) => r.text)).toEqual(['refused']);
    await callback.close();
  });
});
