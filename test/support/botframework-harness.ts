import { createRuntime, type ParleyRuntime } from '../../app/runtime';
import type { ConversationRuntime } from '../../core/runtime';
import { createConnectorRegistry } from '../../core/connector-registry';
import type { Stores } from '../../core/ports';
import { createMemoryStores } from '../../stores/memory';
import { silentLogger } from '../../stores/silent-logger';
import { redactText } from '../../transcripts/redact';
import { kitDialog, kitNlu } from '../handoff/support/desk-kit';
import { createHttpServer, type ParleyHttpServer } from '../../connectors/http/http-server';
import {
  createBotFrameworkConnector,
  type BotFrameworkConnectorOptions,
} from '../../connectors/botframework/botframework.connector';

/**
 * A real Parley runtime (pipeline, memory stores, a scripted dialog that echoes and escalates on "human")
 * behind the real HTTP server with the Bot Framework connector, wired as `npm start` wires it: agents'
 * replies to Bot Framework customers go out through the connector's sender.
 */
export interface BotUnderTest {
  url: string;
  runtime: ParleyRuntime;
  stores: Stores;
  close(): Promise<void>;
}

export async function startBot(
  options: BotFrameworkConnectorOptions,
  {
    turnDelayMs = 0,
    stores = createMemoryStores({ retentionMs: 60_000 }),
  }: { turnDelayMs?: number; stores?: Stores } = {},
): Promise<BotUnderTest> {
  const connectors = createConnectorRegistry();
  const runtime = createRuntime({
    stores,
    nlu: kitNlu,
    dialog: kitDialog,
    redact: redactText,
    logger: silentLogger,
  });
  connectors.register(createBotFrameworkConnector(options));
  connectors.plugInto(runtime.outbox);
  const slow: ConversationRuntime = {
    ...runtime,
    handle: async (message) => {
      await new Promise((resolve) => setTimeout(resolve, turnDelayMs));
      return runtime.handle(message);
    },
  };
  const server: ParleyHttpServer = createHttpServer({
    runtime: turnDelayMs > 0 ? slow : runtime,
    logger: silentLogger,
    connectors,
  });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    url,
    runtime,
    stores,
    async close() {
      await server.close();
      await runtime.close();
    },
  };
}

/** An activity as a channel sends it; override any field. */
export function activity(channelUrl: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `act-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl: channelUrl,
    conversation: { id: 'conv-1' },
    from: { id: 'user-1', name: 'Alice' },
    recipient: { id: 'bot-1', name: 'Acme' },
    text: 'hello',
    locale: 'en-GB',
    ...fields,
  };
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}
