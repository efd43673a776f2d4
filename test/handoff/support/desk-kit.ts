import type { HandoffSummary } from '../../../core/case';
import type { DialogEngine, DialogInput, DialogOutcome } from '../../../core/dialog';
import type { JsonValue } from '../../../core/json';
import type { NluParser, NluResult } from '../../../core/nlu';
import type { Redactor } from '../../../core/pipeline';
import type { Clock, Logger, Stores } from '../../../core/ports';
import { createHttpServer, type BoundAddress } from '../../../connectors/http/http-server';
import { createRuntime, type ParleyRuntime } from '../../../app/runtime';
import { createAgentDesk, type ReplySuggester } from '../../../desk';
import {
  createAgentDirectory,
  hashPassword,
  type AgentAccount,
  type AgentDirectory,
} from '../../../desk/agents';
import { createTokenIssuer, type TokenIssuer } from '../../../desk/tokens';
import { createReplySuggester } from '../../../handoff/assist/reply-suggester';
import { createCaseService, type CaseService } from '../../../handoff/case-service';
import type { OutboundSender } from '../../../handoff/delivery';
import { silentLogger } from '../../../stores/silent-logger';
import { routeToQueue, type DeskConfig } from '../../../desk/desk-config';
import type { AnalyticsStore } from '../../../core/analytics';

/** "human" asks for a person; "yes"/"no" answer the satisfaction question; anything else is echoed. */
export const kitNlu: NluParser = {
  async parse(text: string): Promise<NluResult> {
    const lower = text.trim().toLowerCase();
    const name = ['human', 'yes', 'no'].includes(lower) ? lower : 'echo';
    const intent = { name, confidence: name === 'echo' ? 0.42 : 0.97 };
    return { text, intent, intent_ranking: [intent], entities: [], locale: 'en' };
  },
};

interface KitState {
  turns: number;
  satisfactionFor?: string;
}

function asState(value: JsonValue | undefined): KitState {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.turns === 'number') {
    const satisfactionFor = typeof value.satisfactionFor === 'string' ? value.satisfactionFor : undefined;
    return { turns: value.turns, ...(satisfactionFor ? { satisfactionFor } : {}) };
  }
  return { turns: 0 };
}

/**
 * Behaves like the dialog engine's contract for hand-back: it says the bot is back, asks whether the
 * customer is satisfied, and records the answer as a `satisfaction` event.
 */
export const kitDialog: DialogEngine = {
  async step(raw: JsonValue | undefined, input: DialogInput): Promise<DialogOutcome> {
    const state = asState(raw);
    const turns = state.turns + 1;
    if (input.type === 'launch') {
      return { state: { turns }, replies: [{ from: 'bot', text: 'Hi! How can I help?' }], events: [] };
    }
    if (input.type === 'handback') {
      const who = input.agentName ? `${input.agentName} has handed you back to me.` : "I'm back.";
      return {
        state: { turns, satisfactionFor: input.caseId },
        replies: [{ from: 'bot', text: `${who} Did we sort everything out for you?` }],
        events: [],
      };
    }
    if (input.type === 'resume') return { state: { turns }, replies: [], events: [] };
    if (input.type === 'event') return { state: { turns }, replies: [], events: [] };
    const intent = input.nlu.intent.name;
    if (state.satisfactionFor && (intent === 'yes' || intent === 'no')) {
      return {
        state: { turns },
        replies: [{ from: 'bot', text: 'Thanks for your feedback!' }],
        events: [
          { event: 'satisfaction', data: { caseId: state.satisfactionFor, satisfied: intent === 'yes' } },
        ],
      };
    }
    if (intent === 'human') {
      return { state: { turns }, replies: [], events: [], escalation: { reason: 'customer_request' } };
    }
    return { state: { turns }, replies: [{ from: 'bot', text: `echo: ${input.text}` }], events: [] };
  },
  summarize(raw: JsonValue | undefined): HandoffSummary {
    return { lastIntent: 'human', slots: { turns: asState(raw).turns }, tried: ['echoed the customer'] };
  },
};

export const AGENTS = {
  sam: { username: 'sam', name: 'Sam', password: 'sam-password-1' },
  alex: { username: 'alex', name: 'Alex', password: 'alex-password-1' },
} as const;

export const KIT_SECRET = 'test-secret-0123456789';

/** Cheap scrypt cost for tests only: the production default is deliberately slow. */
export const TEST_COST = { N: 2 ** 10, r: 8, p: 1 };

export async function testAccounts(): Promise<AgentAccount[]> {
  return Promise.all(
    Object.values(AGENTS).map(async ({ username, name, password }) => ({
      username,
      name,
      passwordHash: await hashPassword(password, TEST_COST),
    })),
  );
}

export interface DeskKit {
  runtime: ParleyRuntime;
  directory: AgentDirectory;
  tokens: TokenIssuer;
  cases: CaseService;
  address: BoundAddress;
  close(): Promise<void>;
}

export interface DeskKitOptions {
  stores: Stores;
  logger?: Logger;
  clock?: Clock;
  secret?: string;
  port?: number;
  outbound?: OutboundSender;
  suggest?: ReplySuggester;
  companyName?: string;
  /** The text redactor (default: a stub that knows one card number). */
  redact?: Redactor;
  /** Defaults to the kit's agents (`AGENTS`). */
  directory?: AgentDirectory;
  socketHeartbeatMs?: number;
  /** Queues and canned responses; routing of new cases follows it too. */
  deskConfig?: DeskConfig;
  analytics?: Pick<AnalyticsStore, 'read'>;
  statsIntervalMs?: number;
}

/** A whole server (web chat, REST, desk) over the given stores, with the kit's NLU and dialog. */
export async function startDeskKit(options: DeskKitOptions): Promise<DeskKit> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? { now: () => Date.now() };
  const { stores } = options;
  const runtime = createRuntime({
    stores,
    nlu: kitNlu,
    dialog: kitDialog,
    redact:
      options.redact ??
      ((text) => ({ text: text.replace(/\b4111 ?1111 ?1111 ?1111\b/g, '[card]'), redactions: [] })),
    logger,
    clock,
    ...(options.outbound ? { outbound: options.outbound } : {}),
    ...(options.deskConfig
      ? { routeQueue: (facts, requested) => routeToQueue(options.deskConfig as DeskConfig, facts, requested) }
      : {}),
  });
  const cases = createCaseService({
    stores,
    delivery: runtime,
    clock,
    logger,
    companyName: options.companyName ?? 'Acme',
  });
  const directory = options.directory ?? (await createAgentDirectory(await testAccounts()));
  const tokens = createTokenIssuer({
    secret: options.secret ?? KIT_SECRET,
    clock,
    directory,
    revoked: stores.revokedTokens,
  });
  const desk = await createAgentDesk({
    stores,
    ...(runtime.typing ? { typing: runtime.typing } : {}),
    ...(options.deskConfig ? { config: options.deskConfig } : {}),
    ...(options.analytics ? { analytics: options.analytics } : {}),
    ...(options.statsIntervalMs ? { statsIntervalMs: options.statsIntervalMs } : {}),
    cases,
    directory,
    tokens,
    bus: stores.bus,
    attempts: stores.attempts,
    ...(options.socketHeartbeatMs ? { socketHeartbeatMs: options.socketHeartbeatMs } : {}),
    logger,
    clock,
    suggest:
      options.suggest ?? createReplySuggester({ cases: stores.cases, transcripts: stores.transcripts }),
  });
  const http = createHttpServer({ runtime, logger, routes: desk.routes, sockets: desk.sockets, clock });
  const address = await http.listen(options.port ?? 0, '127.0.0.1');
  return {
    runtime,
    directory,
    tokens,
    cases,
    address,
    async close() {
      await http.close();
      await runtime.close();
    },
  };
}
