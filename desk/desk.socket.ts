import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { startHeartbeat } from '../connectors/shared/socket-heartbeat';
import { closeSocketServer, endWithStatus, rawToString } from '../connectors/shared/socket-server';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import type { SocketEndpoint } from '../core/http';
import type { JsonValue } from '../core/json';
import { parseJsonWithin } from '../core/json-limits';
import type { Clock, Logger, MessageBus } from '../core/ports';
import type { Agent } from '../core/case';
import { bearerToken } from '../connectors/shared/bearer';
import type { TokenIssuer, VerifiedToken } from './tokens';
import { caseTopic, QUEUE_TOPIC, type CaseSummary } from '../handoff/case-events';
import { originAllowed } from '../connectors/webchat/webchat.socket';
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
}

const MAX_FRAME_BYTES = 1024;

const caseEvent = z.object({ type: z.literal('case'), case: z.looseObject({ id: z.string() }) });
const lineEvent = z.object({ type: z.literal('line'), entry: z.looseObject({ speaker: z.string() }) });
const customerEvent = z.object({ type: z.literal('customer.message'), text: z.string() });

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
  private watching?: string;
  private closed = false;

  constructor(
    private readonly options: DeskSocketOptions,
    private readonly send: (frame: DeskServerFrame) => void,
  ) {}

  async start(agent: Agent): Promise<void> {
    this.stopQueue = await this.options.bus.subscribe(QUEUE_TOPIC, (payload) => {
      const event = caseEvent.safeParse(payload);
      if (event.success) this.send({ type: 'case', case: event.data.case as unknown as CaseSummary });
    });
    if (this.closed) return void (await this.stopQueue());
    this.send({ type: 'ready', agent });
  }

  async receive(data: string): Promise<void> {
    const json = data.length <= MAX_FRAME_BYTES ? parseJsonWithin(data) : undefined;
    const frame = deskClientFrame.safeParse(json?.ok ? json.value : undefined);
    if (!frame.success) {
      const limit = json?.ok === false && json.reason === 'limit' ? `frame is ${json.detail}; ` : '';
      this.send({
        type: 'error',
        error: 'bad_frame',
        detail: `${limit}expected {type:"watch",caseId} or {type:"unwatch"}`,
      });
      return;
    }
    await this.unwatch();
    if (frame.data.type === 'watch') await this.watch(frame.data.caseId);
  }

  private async watch(caseId: string): Promise<void> {
    this.watching = caseId;
    const stop = await this.options.bus.subscribe(caseTopic(caseId), (payload) => {
      const entry = toLine(payload, this.options.clock.now());
      if (entry && this.watching === caseId) this.send({ type: 'line', caseId, entry });
    });
    // A newer watch or a close may have happened while subscribing.
    if (this.watching === caseId && !this.closed) this.stopWatch = stop;
    else await stop();
  }

  private async unwatch(): Promise<void> {
    this.watching = undefined;
    const stop = this.stopWatch;
    this.stopWatch = undefined;
    if (stop) await stop();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.unwatch();
    const stop = this.stopQueue;
    this.stopQueue = undefined;
    if (stop) await stop();
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
  const signedIn = new Map<WebSocket, { token: string; verified: VerifiedToken }>();

  const endSession = (socket: WebSocket) => socket.close(TOKEN_REVOKED_CLOSE, 'no longer signed in');
  const revocations = options.bus
    .subscribe(TOKEN_REVOKED_TOPIC, (payload) => {
      const event = revokedEvent.safeParse(payload);
      if (!event.success) return;
      for (const [socket, session] of signedIn) {
        if (session.verified.tokenId === event.data.tokenId) endSession(socket);
      }
    })
    .catch((error: unknown) => {
      log.error({ err: error }, 'desk socket cannot hear of revoked tokens; relying on the periodic check');
      return async () => undefined;
    });
  const recheck = setInterval(() => {
    for (const [socket, session] of signedIn) {
      tokens.verify(session.token).then(
        (verified) => verified || endSession(socket),
        (error: unknown) => log.warn({ err: error }, 'desk socket token re-check failed'),
      );
    }
  }, heartbeatMs);
  recheck.unref();

  wss.on('connection', (socket: WebSocket, _request: IncomingMessage, session: SignedInSession) => {
    const { agent } = session.verified;
    signedIn.set(socket, session);
    const connection = new DeskConnection(options, (frame) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    });
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
      await closeSocketServer(wss);
    },
  };
}

interface SignedInSession {
  token: string;
  verified: VerifiedToken;
}
