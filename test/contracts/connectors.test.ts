import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { WebSocket } from 'ws';
import { createBotFrameworkConnector } from '../../connectors/botframework/botframework.connector';
import { startLocalChannel, type LocalChannel } from '../support/botframework';
import { createRestConnector } from '../../connectors/rest/rest.connector';
import { createTerminalConnector } from '../../connectors/terminal/terminal.connector';
import { createWebChatConnector } from '../../connectors/webchat/webchat.connector';
import {
  describeConnector,
  eventually,
  targetOf,
  type ConnectorClient,
  type ConnectorFixture,
} from './connector.contract';
import { createTwilioConnectors, TWILIO_WEBHOOK_PATH } from '../../connectors/twilio/twilio.connector';
import {
  messageSid,
  OUR_NUMBER,
  postSigned,
  startFakeTwilioApi,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  twimlMessages,
} from '../support/twilio';
import { createMemoryStores } from '../../stores/memory';
import { createAlexaConnector } from '../../connectors/alexa/alexa.connector';
import { createTestCa } from '../support/alexa-ca';
import { alexaContractClient, SKILL_ID, utterance } from '../support/alexa-harness';

/** REST: the customer POSTs to the webhook; pushes (with a callback URL) arrive at the customer's server. */
async function restClient(url: string | undefined, callbacks?: string[]): Promise<ConnectorClient> {
  const address = targetOf('rest', 'alice');
  let seen = callbacks?.length ?? 0;
  return {
    address: () => address,
    async say(text) {
      const response = await fetch(`${url}/webhooks/rest/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sender: 'alice', message: text }),
      });
      const body = (await response.json()) as { text: string }[];
      return { texts: body.map((reply) => reply.text), raw: JSON.stringify(body) };
    },
    async nextPushed() {
      if (!callbacks) throw new Error('no callback URL: REST cannot push');
      const at = seen;
      const body = await eventually(() => callbacks[at], 'a callback POST');
      seen = at + 1;
      return body;
    },
    close: async () => undefined,
  };
}

async function callbackReceiver(): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(body);
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, bodies, server };
}

const REST_PAYLOADS = { valid: { sender: 'alice', message: 'hello' }, invalid: { message: 'no sender' } };

describeConnector('rest', async () => ({
  connector: createRestConnector(),
  connect: (url) => restClient(url),
  payloads: REST_PAYLOADS,
}));

describeConnector('rest with a callback URL', async () => {
  const receiver = await callbackReceiver();
  return {
    connector: createRestConnector({ callbackUrl: receiver.url }),
    connect: (url) => restClient(url, receiver.bodies),
    payloads: REST_PAYLOADS,
    reachesAnyAddress: true,
    cleanup: () => new Promise<void>((resolve) => receiver.server.close(() => resolve())),
  };
});

interface Frame {
  type: string;
  replyTo?: string;
  sessionId?: string;
  active?: boolean;
  reply?: { text: string };
}

/** Web chat: a browser's WebSocket, hello first, one frame per reply. */
async function webChatClient(url: string | undefined): Promise<ConnectorClient> {
  const socket = new WebSocket(`${url?.replace(/^http/, 'ws')}/webchat/socket`);
  const frames: Frame[] = [];
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as Frame));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'hello' }));
  const ready = await eventually(() => frames.find((frame) => frame.type === 'ready'), 'ready');
  // The greeting turn ends with typing off.
  await eventually(
    () => frames.find((frame) => frame.type === 'typing' && frame.active === false),
    'greeting',
  );
  const sessionId = ready.sessionId as string;
  let sent = 0;
  let seen = frames.length;
  return {
    address: () => targetOf('webchat', sessionId, `webchat:${sessionId}`),
    async say(text) {
      const id = `m${(sent += 1)}`;
      const from = frames.length;
      socket.send(JSON.stringify({ type: 'message', id, text }));
      await eventually(
        () => frames.slice(from).find((frame) => frame.type === 'typing' && frame.active === false),
        'the end of the turn',
      );
      const replies = frames.slice(from).filter((frame) => frame.type === 'reply' && frame.replyTo === id);
      seen = frames.length;
      return { texts: replies.map((frame) => frame.reply?.text ?? ''), raw: JSON.stringify(replies) };
    },
    async nextPushed() {
      const from = seen;
      const frame = await eventually(
        () => frames.slice(from).find((candidate) => candidate.type === 'reply' && !candidate.replyTo),
        'a pushed reply',
      );
      seen = frames.indexOf(frame) + 1;
      return JSON.stringify(frame);
    },
    async close() {
      socket.close();
      await new Promise((resolve) => socket.once('close', resolve));
    },
  };
}

describeConnector('webchat', async () => ({
  connector: createWebChatConnector(),
  connect: webChatClient,
  // Published on the bus: whichever process holds the session shows it; the transcript keeps it either way.
  reachesAnyAddress: true,
  payloads: {
    valid: { sessionId: 'abcdefghijklmnop1234', frame: { type: 'message', text: 'hello' } },
    invalid: { sessionId: 'short', frame: { type: 'message', text: 'hello' } },
  },
}));

describeConnector('terminal', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  let mark = 0;
  const client: ConnectorClient = {
    address: () => targetOf('terminal', 'designer'),
    async say(text) {
      const from = printed.length;
      input.write(`${text}\n`);
      // The turn is over when the prompt comes back after the echoed line.
      const out = await eventually(() => {
        const after = printed.slice(from);
        return after.endsWith('you> ') && after.length > `${text}\nyou> `.length ? after : undefined;
      }, 'the prompt after the reply');
      mark = printed.length;
      const texts = out
        .split('\n')
        .filter((line) => line.startsWith('bot> '))
        .map((line) => line.slice('bot> '.length));
      return { texts, raw: out };
    },
    async nextPushed() {
      const from = mark;
      return eventually(() => {
        const line = printed
          .slice(from)
          .split('\n')
          .find((candidate) => candidate.startsWith('agent '));
        return line;
      }, 'a pushed line');
    },
    close: async () => {
      input.end();
    },
  };
  return {
    connector: createTerminalConnector({ input, output }),
    connect: async () => client,
    payloads: { valid: 'hello', invalid: '   ' },
  };
});

/** SMS and WhatsApp: Twilio POSTs signed forms and reads TwiML; pushes reach a local Messages API. */
async function twilioFixture(channel: 'sms' | 'whatsapp'): Promise<ConnectorFixture> {
  const api = await startFakeTwilioApi();
  const stores = createMemoryStores({ retentionMs: 60_000 });
  const [sms, whatsapp] = createTwilioConnectors({
    authToken: TEST_AUTH_TOKEN,
    accountSid: TEST_ACCOUNT_SID,
    apiUrl: api.url,
    smsFrom: OUR_NUMBER,
    whatsappFrom: OUR_NUMBER,
    state: stores.keyValue,
  });
  const from = channel === 'whatsapp' ? 'whatsapp:+15550001111' : '+15550001111';
  const client = (url: string | undefined): ConnectorClient => {
    let seen = 0;
    return {
      address: () => targetOf(channel, '+15550001111'),
      async say(text) {
        const params = { MessageSid: messageSid(), From: from, To: OUR_NUMBER, Body: text };
        const response = await postSigned(`${url}${TWILIO_WEBHOOK_PATH}`, params);
        const xml = await response.text();
        return { texts: twimlMessages(xml), raw: xml };
      },
      async nextPushed() {
        const at = seen;
        const call = await eventually(() => api.calls[at], 'a Messages API call');
        seen = at + 1;
        return JSON.stringify(call);
      },
      close: async () => undefined,
    };
  };
  return {
    connector: channel === 'sms' ? sms : whatsapp,
    connect: async (url) => client(url),
    payloads: {
      valid: { MessageSid: messageSid(), From: from, To: OUR_NUMBER, Body: 'hello' },
      invalid: { From: from, Body: 'hello without a message SID' },
    },
    reachesAnyAddress: true,
    cleanup: async () => {
      await api.close();
      await stores.close();
    },
  };
}

describeConnector('twilio sms', () => twilioFixture('sms'));
describeConnector('twilio whatsapp', () => twilioFixture('whatsapp'));

/** Bot Framework: the channel POSTs activities to /api/messages; replies arrive at the local channel server. */
function botFrameworkClient(url: string | undefined, channel: LocalChannel): ConnectorClient {
  const address = targetOf('botframework', 'test:user-1', 'botframework:test:conv-contract');
  let sent = 0;
  let seen = channel.posts.length;
  return {
    address: () => address,
    async say(text) {
      const from = channel.posts.length;
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `contract-${(sent += 1)}`,
          channelId: 'test',
          serviceUrl: channel.url,
          conversation: { id: 'conv-contract' },
          from: { id: 'user-1' },
          recipient: { id: 'bot' },
          text,
        }),
      });
      if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}`);
      const posts = channel.posts.slice(from).filter((post) => post.activity.type === 'message');
      seen = channel.posts.length;
      return { texts: posts.map((post) => post.activity.text ?? ''), raw: JSON.stringify(posts) };
    },
    async nextPushed() {
      const at = seen;
      const post = await eventually(() => channel.posts[at], 'a proactive activity');
      seen = at + 1;
      return JSON.stringify(post);
    },
    close: async () => undefined,
  };
}

describeConnector('botframework', async () => {
  const channel = await startLocalChannel();
  return {
    connector: createBotFrameworkConnector(),
    connect: async (url) => botFrameworkClient(url, channel),
    payloads: {
      valid: {
        type: 'message',
        id: 'a-1',
        channelId: 'test',
        serviceUrl: 'http://127.0.0.1:9/',
        conversation: { id: 'c-1' },
        from: { id: 'u-1' },
        recipient: { id: 'bot' },
        text: 'hello',
      },
      invalid: { type: 'message', text: 'hello' },
    },
    cleanup: () => channel.close(),
  };
});

/** Alexa: the speaker POSTs requests signed by a local test CA valid at the contract's fixed clock. */
const CONTRACT_NOW = 1_700_000_000_000;
let alexaCa: ReturnType<typeof createTestCa> | undefined;
describeConnector('alexa', async () => {
  // Made on first use: key generation takes a moment, and only these tests need it.
  const ca = (alexaCa ??= createTestCa(CONTRACT_NOW));
  return {
    connector: createAlexaConnector({
      skillId: SKILL_ID,
      cardTitle: 'Acme support',
      testOnly: { trustedRoots: ca.trustedRoots, fetchChain: ca.fetchChain },
    }),
    connect: async (url) => alexaContractClient(url ?? '', ca, CONTRACT_NOW),
    payloads: { valid: utterance('hello'), invalid: { version: '1.0', request: { type: 'IntentRequest' } } },
  };
});
