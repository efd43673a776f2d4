import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { startHeartbeat } from '../connectors/shared/socket-heartbeat';
import { closeSocketServer, endWithStatus, rawToString } from '../connectors/shared/socket-server';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import type { SocketEndpoint } from '../core/http';
import type { JsonValue } from '../core/json';
import { parseJsonWithin } from '../core/json-limits';
import type { Clock, ConversationStore, Logger, MessageBus } from '../core/ports';
import type { TypingRelay } from '../core/runtime';
import type { Agent } from '../core/case';
import { bearerToken } from '../connectors/shared/bearer';
import type { TokenIssuer, VerifiedToken } from './tokens';
import { caseTopic, QUEUE_TOPIC, type CaseSummary } from '../handoff/case-events';
import { originAllowed } from '../connectors/webchat/webchat.socket';
import { randomUUID } from 'node:crypto';
import type { DeskContext } from './cases.api';
import { agentView, viewContext } from './cases.api';
import type { Presence } from './presence';
import type { SignedOutReason, SupervisorStats } from './desk.views';
import { hasRole, signedOutDetail, SUPERVISES } from './access';
import { caseView } from './case-view';
import { lineView } from './event-lines';
import {
  deskClientFrame,
  DESK_SOCKET_PATH,
  TOKEN_REVOKED_CLOSE,
  TOKEN_REVOKED_TOPIC,
  type DeskLine,
  type DeskServerFrame,
} from './desk.protocol';

export interface DeskSocketOptions {
  bus: MessageBus;
  tokens: TokenIssuer;
  logger: Logger;
  clock: Clock;
  path?: string;
  heartbeatMs?: number;
  /** Views, unread counts and words (`cases.api.ts`). */
  context: DeskContext;
  presence: Presence;
  stats: () => Promise<SupervisorStats>;
  /** How often supervisors get fresh figures besides after case changes (default 10 s). */
  statsIntervalMs?: number;
  /** Typing both ways with the customer's live session (web chat); none without it. */
  typing?: TypingRelay;
  /** Where a conversation's live session is (`ConversationState.session`). */
  conversations?: Pick<ConversationStore, 'get'>;
}
const STATS_AFTER_CHANGE_MS = 1000;

const MAX_FRAME_BYTES = 1024;

const caseEvent = z.object({ type: z.literal('case'), case: z.looseObject({ id: z.string() }) });
const lineEvent = z.object({ type: z.literal('line'), entry: z.looseObject({ speaker: z.string() }) });
const customerEvent = z.object({ type: z.literal('customer.message'), text: z.string() });
const activityEvent = z.object({ type: z.literal('activity'), caseId: z.string() });

/** Turns what the bus carries on `case:<id>` into a line the desk renders; anything else is dropped. */
function toLine(payload: JsonValue, now: number): DeskLine | undefined {
  const line = lineEvent.safeParse(payload);
  if (line.success) return line.data.entry as unknown as DeskLine;
  const customer = customerEvent.safeParse(payload);
  if (customer.success) return { at: now, speaker: 'customer', text: customer.data.text };
  return undefined;
}

/**
 * One signed-in desk tab: the live queue (`cases` topic) plus the lines of the case it watches. Both come
 * from the bus, so the tab sees changes made on any server process.
 */
class DeskConnection {
  private stopQueue?: () => Promise<void>;
  private stopWatch?: () => Promise<void>;
  private stopTyping?: () => Promise<void>;
  private watching?: string;
  private closed = false;
  private statsTimer?: NodeJS.Timeout;
  private statsSoon?: NodeJS.Timeout;
  private agent?: Agent;
  readonly id = randomUUID();

  constructor(
    private readonly options: DeskSocketOptions,
    private readonly send: (frame: DeskServerFrame) => void,
  ) {}

  private get supervisor(): boolean {
    return this.agent !== undefined && hasRole(this.agent, SUPERVISES);
  }

  async start(agent: Agent): Promise<void> {
    this.agent = agent;
    this.stopQueue = await this.options.bus.subscribe(QUEUE_TOPIC, (payload) => {
      this.onQueue(payload).catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'desk socket could not relay a case change'),
      );
    });
    if (this.closed) return void (await this.stopQueue());
    this.send({ type: 'ready', agent: agentView(agent) });
    await this.options.presence.announce(agent.username, this.id, true);
    if (this.supervisor) {
      await this.pushStats();
      this.statsTimer = setInterval(() => void this.pushStats(), this.options.statsIntervalMs ?? 10_000);
      this.statsTimer.unref();
    }
  }

  /** Re-announced every heartbeat, so a crashed process's agents drop out of "online". */
  async stillHere(): Promise<void> {
    if (this.agent && !this.closed) await this.options.presence.announce(this.agent.username, this.id, true);
  }

  private async onQueue(payload: JsonValue): Promise<void> {
    const event = caseEvent.safeParse(payload);
    const activity = activityEvent.safeParse(payload);
    const caseId = event.success ? event.data.case.id : activity.success ? activity.data.caseId : undefined;
    if (!caseId || !this.agent) return;
    const item = await this.options.context.store.get(caseId);
    if (!item) return;
    const unread = await this.options.context.unread.unread(this.agent.username, item);
    if (event.success) {
      const names = new Map((await this.options.context.directory.list()).map((a) => [a.username, a.name]));
      const view = { ...caseView(item, viewContext(this.options.context, names)), unread };
      this.send({ type: 'case', case: event.data.case as unknown as CaseSummary, view });
      this.statsAfterChange();
    } else {
      this.send({ type: 'unread', caseId, unread });
    }
  }

  private async pushStats(): Promise<void> {
    if (this.closed) return;
    try {
      this.send({ type: 'supervisor', stats: await this.options.stats() });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'supervisor figures failed');
    }
  }

  /** At most one push a second however busy the queue is. */
  private statsAfterChange(): void {
    if (!this.supervisor || this.statsSoon) return;
    this.statsSoon = setTimeout(() => {
      this.statsSoon = undefined;
      void this.pushStats();
    }, STATS_AFTER_CHANGE_MS);
    this.statsSoon.unref();
  }

  async receive(data: string): Promise<void> {
    const json = data.length <= MAX_FRAME_BYTES ? parseJsonWithin(data) : undefined;
    const frame = deskClientFrame.safeParse(json?.ok ? json.value : undefined);
    if (!frame.success) {
      const limit = json?.ok === false && json.reason === 'limit' ? `frame is ${json.detail}; ` : '';
      this.send({
        type: 'error',
        error: 'bad_frame',
        detail: `${limit}expected {type:"watch",caseId}, {type:"unwatch"} or {type:"typing",caseId,active}`,
      });
      return;
    }
    if (frame.data.type === 'typing') return this.typing(frame.data.caseId, frame.data.active);
    await this.unwatch();
    if (frame.data.type === 'watch') await this.watch(frame.data.caseId);
  }

  /** The owner's typing goes to the customer's live session and to other desks watching the case. */
  private async typing(caseId: string, active: boolean): Promise<void> {
    const item = await this.options.context.store.get(caseId);
    const relay = this.options.typing;
    if (!item || !this.agent || item.owner !== this.agent.username || item.status !== 'assigned') {
      this.send({ type: 'error', error: 'bad_frame', detail: 'typing is for a case you own' });
      return;
    }
    if (!relay) return;
    const event = { who: 'agent', name: this.agent.name, active, connection: this.id } as const;
    await relay.publish(await this.sessionOf(item.conversationId), event);
  }

  /** The connector's session of a conversation: where its customer's socket listens. */
  private async sessionOf(conversationId: string): Promise<string> {
    const state = await this.options.conversations?.get(conversationId);
    return state?.session ?? conversationId;
  }

  /** Typing on the watched case's session: the customer's, and other agents' (never this socket's own). */
  private async watchTyping(caseId: string): Promise<void> {
    const relay = this.options.typing;
    const item = relay ? await this.options.context.store.get(caseId) : undefined;
    if (!relay || !item) return;
    const stop = await relay.listen(await this.sessionOf(item.conversationId), (event) => {
      if (this.watching !== caseId || event.connection === this.id) return;
      const { who, name, active } = event;
      this.send({ type: 'typing', caseId, who, ...(name ? { name } : {}), active });
    });
    if (this.watching === caseId && !this.closed) this.stopTyping = stop;
    else await stop();
  }

  private async watch(caseId: string): Promise<void> {
    this.watching = caseId;
    const words = { messages: this.options.context.messages, locale: this.options.context.locale };
    const stop = await this.options.bus.subscribe(caseTopic(caseId), (payload) => {
      if (this.watching !== caseId) return;
      const entry = toLine(payload, this.options.clock.now());
      if (entry) this.send({ type: 'line', caseId, entry, line: lineView(entry, words) });
    });
    // A newer watch or a close may have happened while subscribing.
    if (this.watching === caseId && !this.closed) this.stopWatch = stop;
    else await stop();
    await this.watchTyping(caseId);
  }

  private async unwatch(): Promise<void> {
    this.watching = undefined;
    const stop = this.stopWatch;
    const stopTyping = this.stopTyping;
    this.stopWatch = undefined;
    this.stopTyping = undefined;
    if (stop) await stop();
    if (stopTyping) await stopTyping();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.statsTimer);
    clearTimeout(this.statsSoon);
    await this.unwatch();
    const stop = this.stopQueue;
    this.stopQueue = undefined;
    if (stop) await stop();
    if (this.agent) await this.options.presence.announce(this.agent.username, this.id, false);
  }
}

/** Refuses an upgrade with a bare HTTP status line. */
const revokedEvent = z.object({ tokenId: z.string() });

/**
 * The desk's WebSocket endpoint (`/api/agent/socket?token=...`, or an `Authorization: Bearer` header);
 * protocol in `desk.protocol.ts`. A socket closes (code 4401) as soon as its token is revoked on any
 * process, and its token is checked again every heartbeat (expiry, password change, removed agent).
 */
export function createDeskSocket(options: DeskSocketOptions): SocketEndpoint {
  const { tokens, logger, path = DESK_SOCKET_PATH, heartbeatMs = 30_000 } = options;
  const log = logger.child({ component: 'agent-desk-socket' });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * MAX_FRAME_BYTES });
  const heartbeat = startHeartbeat(wss, heartbeatMs);
  const signedIn = new Map<WebSocket, SignedInSession>();

  const words = { messages: options.context.messages, locale: options.context.locale };
  const endSession = (socket: WebSocket, reason: SignedOutReason) => {
    if (socket.readyState === WebSocket.OPEN) {
      const detail = signedOutDetail(words.messages, words.locale, reason);
      socket.send(JSON.stringify({ type: 'signed_out', reason, detail } satisfies DeskServerFrame));
    }
    socket.close(TOKEN_REVOKED_CLOSE, reason);
  };
  const revocations = options.bus
    .subscribe(TOKEN_REVOKED_TOPIC, (payload) => {
      const event = revokedEvent.safeParse(payload);
      if (!event.success) return;
      for (const [socket, session] of signedIn) {
        if (session.verified.tokenId === event.data.tokenId) endSession(socket, 'revoked');
      }
    })
    .catch((error: unknown) => {
      log.error({ err: error }, 'desk socket cannot hear of revoked tokens; relying on the periodic check');
      return async () => undefined;
    });
  const recheck = setInterval(() => {
    for (const [socket, session] of signedIn) {
      tokens
        .check(session.token)
        .then(async (checked) => {
          if (!checked.ok) return endSession(socket, checked.reason);
          await session.connection?.stillHere();
        })
        .catch((error: unknown) => log.warn({ err: error }, 'desk socket token re-check failed'));
    }
  }, heartbeatMs);
  recheck.unref();

  wss.on('connection', (socket: WebSocket, _request: IncomingMessage, session: SignedInSession) => {
    const { agent } = session.verified;
    const connection = new DeskConnection(options, (frame) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    });
    signedIn.set(socket, { ...session, connection });
    const failed = (error: unknown) => log.warn({ err: error, agent: agent.username }, 'desk socket failed');
    // Frames wait for the queue subscription so a watch never races the start.
    let chain = connection.start(agent).catch(failed);
    socket.on('message', (data: RawData) => {
      chain = chain.then(() => connection.receive(rawToString(data))).catch(failed);
    });
    socket.on('error', failed);
    socket.on('close', () => {
      signedIn.delete(socket);
      chain = chain.then(() => connection.close()).catch(failed);
    });
  });

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const token =
      bearerToken(request.headers.authorization) ??
      new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
    const verified = token ? await tokens.verify(token) : undefined;
    if (!token || !verified) return endWithStatus(socket, '401 Unauthorized');
    if (!originAllowed(request, [])) return endWithStatus(socket, '403 Forbidden');
    const session: SignedInSession = { token, verified };
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, session));
  }

  return {
    path,
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      upgrade(request, socket, head).catch((error: unknown) => {
        log.error({ err: error }, 'desk socket could not check a token');
        endWithStatus(socket, '503 Service Unavailable');
      });
    },
    async close(): Promise<void> {
      heartbeat.stop();
      clearInterval(recheck);
      // Not awaited: with the store down, unsubscribing would wait out the client's retries.
      revocations
        .then((stop) => stop())
        .catch((error: unknown) => log.warn({ err: error }, 'desk socket could not unsubscribe'));
      // As the revocation listener: not awaited, and a store that is down is only logged.
      options.presence
        .close()
        .catch((error: unknown) => log.warn({ err: error }, 'desk presence could not unsubscribe'));
      await closeSocketServer(wss);
    },
  };
}

interface SignedInSession {
  token: string;
  verified: VerifiedToken;
  connection?: DeskConnection;
}
