import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRuntime, type ParleyRuntime } from '../../app/runtime';
import {
  createAlexaConnector,
  ALEXA_WEBHOOK_PATH,
  type AlexaAccountLookup,
  type AlexaOptions,
} from '../../connectors/alexa/alexa.connector';
import { createHttpServer, type ParleyHttpServer } from '../../connectors/http/http-server';
import { memoryLogger } from './fake-runtime';
import { createConnectorRegistry } from '../../core/connector-registry';
import type { DialogEngine, DialogOutcome } from '../../core/dialog';
import type { NluParser } from '../../core/nlu';
import type { Stores } from '../../core/ports';
import { loadMessages } from '../../locales/load';
import { createMemoryStores } from '../../stores/memory';
import { createProgressiveSender } from '../../connectors/alexa/alexa.progressive';
import { createTestCa, type TestCa } from './alexa-ca';
import { alexaConversationId, alexaUserKey } from '../../connectors/alexa/alexa.inbound';
import type { AlexaResponseBody } from '../../connectors/alexa/alexa.render';
import { stripSsml } from '../../core/degrade';
import type { ConnectorClient } from '../contracts/connector.contract';

export const SKILL_ID = 'amzn1.ask.skill.00000000-test-parley';
export const ALEXA_USER = 'amzn1.ask.account.TESTUSER0001';
export const API_TOKEN = 'test-api-access-token';

/** What the dialog saw: the text (or input type) and the NLU's intent and entities. */
export interface Step {
  said: string;
  intent?: string;
  entities?: string[];
}

const nlu: NluParser = {
  async parse(text) {
    const intent = { name: 'echo', confidence: 0.9 };
    return { text, intent, intent_ranking: [intent], entities: [], locale: 'en' };
  },
};

/**
 * A small bot: a launch greets with a question, payload intents are named back (`goodbye` ends the
 * session), `slow` takes `slowMs`, `human` escalates, `ask` asks a question, anything else is echoed.
 */
function testDialog(harness: { slowMs: number }, steps: Step[]): DialogEngine {
  return {
    async step(state, input): Promise<DialogOutcome> {
      const reply = (text: string, extra: object = {}): DialogOutcome => ({
        state: state ?? {},
        replies: [{ from: 'bot', text, ...extra }],
        events: [],
      });
      if (input.type !== 'user') {
        steps.push({ said: input.type });
        return reply('Hi! How can I help you today?');
      }
      const { text, nlu: understood } = input;
      const intent = understood.intent.name;
      steps.push({
        said: text,
        intent,
        entities: understood.entities.map((e) => `${e.entity}=${String(e.value)}`),
      });
      if (intent === 'goodbye') return reply('Goodbye!', { endSession: true });
      if (intent !== 'echo') return reply(`Intent ${intent}.`);
      if (text === 'slow') {
        await new Promise((resolve) => setTimeout(resolve, harness.slowMs));
        return reply('Sorry for the wait: found it.');
      }
      if (text === 'human')
        return { ...reply('Let me find you a person.'), escalation: { reason: 'customer_request' } };
      if (text === 'ask')
        return reply('Your order has shipped.', {
          expectInput: true,
          speech: '<speak>Your order has <emphasis>shipped</emphasis>. Anything else?</speak>',
        });
      return reply(`You said: ${text}`);
    },
    summarize: () => ({ slots: {}, tried: [] }),
  };
}

export interface ProgressiveCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: { header: { requestId: string }; directive: { type: string; speech: string } };
}

export interface AlexaHarness {
  url: string;
  webhook: string;
  apiEndpoint: string;
  runtime: ParleyRuntime;
  stores: Stores;
  ca: TestCa;
  steps: Step[];
  progressive: ProgressiveCall[];
  slowMs: number;
  /** What the local Progressive Response API answers (204 unless a test sets it). */
  progressiveStatus: number;
  /** POSTs a body signed by the test CA (or with the given headers instead). */
  post(body: object | string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

let sharedCa: TestCa | undefined;

/** One CA per test file (key generation takes a moment), valid around the real clock. */
export function testCa(): TestCa {
  sharedCa ??= createTestCa(Date.now());
  return sharedCa;
}

/** A local Progressive Response API that records what it is sent. */
async function startProgressiveApi(
  calls: ProgressiveCall[],
  status: () => number,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      calls.push({
        path: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(raw) as ProgressiveCall['body'],
      });
      res.statusCode = status();
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * A real runtime (memory stores, turn pipeline, handoff) behind the Alexa connector on a real HTTP server,
 * verifying against a local test CA, with a local Progressive Response API.
 */
export async function startAlexaHarness(
  options: Partial<AlexaOptions> = {},
  accountLookup?: AlexaAccountLookup,
): Promise<AlexaHarness> {
  const ca = testCa();
  const stores = createMemoryStores({ retentionMs: 3_600_000 });
  const steps: Step[] = [];
  const progressive: ProgressiveCall[] = [];
  const harness = { slowMs: 0, progressiveStatus: 204 } as AlexaHarness;
  const api = await startProgressiveApi(progressive, () => harness.progressiveStatus);
  const logger = memoryLogger();
  const messages = loadMessages({});
  const runtime = createRuntime({
    stores,
    nlu,
    dialog: testDialog(harness, steps),
    redact: (text) => ({ text, redactions: [] }),
    logger,
    messages,
  });
  const connector = createAlexaConnector({
    skillId: SKILL_ID,
    messages,
    cardTitle: 'Acme support',
    progressiveAfterMs: 150,
    replyWithinMs: 2000,
    testOnly: {
      trustedRoots: ca.trustedRoots,
      fetchChain: ca.fetchChain,
      progressive: createProgressiveSender(),
      allowApiEndpoint: (url) => url === api.url,
    },
    ...(accountLookup ? { accounts: { lookup: accountLookup, identities: stores.identities } } : {}),
    ...options,
  });
  const server: ParleyHttpServer = createHttpServer({
    runtime,
    logger,
    connectors: createConnectorRegistry([connector]),
  });
  const { url } = await server.listen(0);
  const webhook = `${url}${ALEXA_WEBHOOK_PATH}`;
  return Object.assign(harness, {
    url,
    webhook,
    apiEndpoint: api.url,
    runtime,
    stores,
    ca,
    steps,
    progressive,
    async post(body: object | string, headers?: Record<string, string>) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      return fetch(webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(headers ?? ca.signedHeaders(raw)) },
        body: raw,
      });
    },
    async close() {
      await server.close();
      await new Promise((resolve) => api.server.close(resolve));
      await runtime.close();
    },
  });
}

let requestNumber = 0;

/** An Alexa request envelope for the harness's skill and user. */
export function alexaRequest(
  request: Record<string, unknown>,
  options: {
    apiEndpoint?: string;
    accessToken?: string;
    newSession?: boolean;
    locale?: string;
    /** The request's time (epoch ms): the verifier's clock must be within 150 s of it. */
    at?: number;
  } = {},
): Record<string, unknown> {
  requestNumber += 1;
  return {
    version: '1.0',
    session: {
      new: options.newSession ?? request.type === 'LaunchRequest',
      sessionId: 'amzn1.echo-api.session.test',
      application: { applicationId: SKILL_ID },
      user: { userId: ALEXA_USER },
    },
    context: {
      System: {
        application: { applicationId: SKILL_ID },
        user: { userId: ALEXA_USER, ...(options.accessToken ? { accessToken: options.accessToken } : {}) },
        ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint, apiAccessToken: API_TOKEN } : {}),
      },
    },
    request: {
      requestId: `amzn1.echo-api.request.${requestNumber}-${Date.now()}`,
      timestamp: new Date(options.at ?? Date.now()).toISOString(),
      locale: options.locale ?? 'en-US',
      ...request,
    },
  };
}

export const launch = (options?: Parameters<typeof alexaRequest>[1]) =>
  alexaRequest({ type: 'LaunchRequest' }, options);

export function intent(
  name: string,
  slots: Record<string, string> = {},
  options?: Parameters<typeof alexaRequest>[1],
): Record<string, unknown> {
  const slotObjects = Object.fromEntries(
    Object.entries(slots).map(([slot, value]) => [slot, { name: slot, value }]),
  );
  return alexaRequest(
    { type: 'IntentRequest', intent: { name, confirmationStatus: 'NONE', slots: slotObjects } },
    options,
  );
}

export const utterance = (text: string, options?: Parameters<typeof alexaRequest>[1]) =>
  intent('ParleyCatchAllIntent', { utterance: text }, options);

/** A speaker talking to a mounted Alexa connector, for the connector contract (clock fixed at `at`). */
export function alexaContractClient(url: string, ca: TestCa, at: number): ConnectorClient {
  const userKey = alexaUserKey(ALEXA_USER);
  return {
    address: () => ({
      conversationId: alexaConversationId(userKey),
      address: { channel: 'alexa', userId: userKey },
      session: alexaConversationId(userKey),
    }),
    async say(text) {
      const raw = JSON.stringify(utterance(text, { at }));
      const response = await fetch(`${url}${ALEXA_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ca.signedHeaders(raw) },
        body: raw,
      });
      const body = (await response.json()) as AlexaResponseBody;
      const ssml = body.response.outputSpeech?.ssml;
      return { texts: ssml ? [stripSsml(ssml)] : [], raw: JSON.stringify(body) };
    },
    nextPushed: () => Promise.reject(new Error('a speaker cannot be reached outside a request')),
    close: async () => undefined,
  };
}
