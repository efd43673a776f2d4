import { createRuntime, type ParleyRuntime } from '../../app/runtime';
import type { DialogEngine, DialogOutcome } from '../../core/dialog';
import { createConnectorRegistry } from '../../core/connector-registry';
import type { NluParser } from '../../core/nlu';
import type { Stores } from '../../core/ports';
import { createHttpServer, type ParleyHttpServer } from '../../connectors/http/http-server';
import { memoryLogger } from './fake-runtime';
import { createMemoryStores } from '../../stores/memory';
import {
  createTwilioConnectors,
  TWILIO_WEBHOOK_PATH,
  type TwilioOptions,
} from '../../connectors/twilio/twilio.connector';
import { OUR_NUMBER, startFakeTwilioApi, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './twilio';

export const MENU = [
  { title: 'Track my order', payload: '/order_status' },
  { title: 'Opening hours', payload: '/opening_hours' },
];

export const LONG_TEXT = Array.from(
  { length: 40 },
  (_, i) => `Sentence number ${i + 1} explains one more detail of your order and its delivery.`,
).join(' ');

/** The NLU: a quick-reply payload is parsed by the pipeline itself; anything else is `echo`. */
const nlu: NluParser = {
  async parse(text) {
    const intent = { name: 'echo', confidence: 0.9 };
    return { text, intent, intent_ranking: [intent], entities: [], locale: 'en' };
  },
};

/**
 * A small bot: `menu` offers two buttons, a picked option is named back, `long` answers 3,000 characters,
 * `brief` has a short form, `slow` takes `slowMs`, `human` escalates, anything else is echoed.
 */
export function testDialog(slowMs: () => number, steps: string[]): DialogEngine {
  return {
    async step(state, input): Promise<DialogOutcome> {
      const said = input.type === 'user' ? input.text : input.type;
      steps.push(said);
      const reply = (text: string, extra: object = {}): DialogOutcome => ({
        state: state ?? {},
        replies: [{ from: 'bot', text, ...extra }],
        events: [],
      });
      if (input.type !== 'user') return reply("Hi, I'm back.");
      if (input.nlu.intent.name === 'order_status') return reply('Order status it is.');
      if (input.nlu.intent.name === 'opening_hours') return reply('We are open 9 to 5.');
      if (said === 'menu') return reply('What can I do?', { buttons: MENU });
      if (said === 'long') return reply(LONG_TEXT);
      if (said === 'brief') return reply(LONG_TEXT, { short: 'Your order ships Monday.' });
      if (said === 'slow') {
        await new Promise((resolve) => setTimeout(resolve, slowMs()));
        return reply('Sorry for the wait: found it.');
      }
      if (said === 'human') {
        return { ...reply('Connecting you to a person.'), escalation: { reason: 'customer_request' } };
      }
      return reply(`You said: ${said}`);
    },
    summarize: () => ({ slots: {}, tried: [] }),
  };
}

export interface Harness {
  url: string;
  webhook: string;
  runtime: ParleyRuntime;
  stores: Stores;
  api: Awaited<ReturnType<typeof startFakeTwilioApi>>;
  /** What the dialog was asked, in order. */
  steps: string[];
  slowMs: number;
  /** A second server process's connectors over the same stores. */
  secondServer(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real runtime (memory stores, turn pipeline, handoff and delivery as `npm start` wires them) behind the
 * Twilio connectors on a real HTTP server, and a local Twilio Messages API.
 */
export async function startHarness(
  options: Partial<TwilioOptions> = {},
  { stores = createMemoryStores({ retentionMs: 3_600_000 }) }: { stores?: Stores } = {},
): Promise<Harness> {
  const api = await startFakeTwilioApi();
  const steps: string[] = [];
  const logger = memoryLogger();
  const registries: ReturnType<typeof createConnectorRegistry>[] = [];
  const harness = { slowMs: 0 } as Harness;
  const runtime = createRuntime({
    stores,
    nlu,
    dialog: testDialog(() => harness.slowMs, steps),
    redact: (text) => ({ text, redactions: [] }),
    logger,
  });
  const servers: ParleyHttpServer[] = [];
  const serve = async (): Promise<string> => {
    const connectors = createConnectorRegistry(
      createTwilioConnectors({
        authToken: TEST_AUTH_TOKEN,
        accountSid: TEST_ACCOUNT_SID,
        apiUrl: api.url,
        smsFrom: OUR_NUMBER,
        state: stores.keyValue,
        api: { baseDelayMs: 1, maxDelayMs: 5 },
        ...options,
      }),
    );
    // One runtime behind every server here: the first server's connectors send its out-of-turn replies.
    if (registries.length === 0) connectors.plugInto(runtime.outbox);
    registries.push(connectors);
    const server = createHttpServer({ runtime, logger, connectors });
    servers.push(server);
    return (await server.listen(0)).url;
  };
  const url = await serve();
  return Object.assign(harness, {
    url,
    webhook: `${url}${TWILIO_WEBHOOK_PATH}`,
    runtime,
    stores,
    api,
    steps,
    secondServer: serve,
    async close() {
      for (const server of servers) await server.close();
      await api.close();
      await runtime.close();
    },
  });
}
