import { startHeartbeat } from '../shared/socket-heartbeat';
import { closeSocketServer, endWithStatus, rawToString } from '../shared/socket-server';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Reply } from '../../core/message';
import type { Clock, IdGenerator, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';
import { DEFAULT_SOCKET_PATH } from './webchat.page';
import type { ServerFrame } from './webchat.protocol';
import { WebChatSession } from './webchat.session';

export interface WebChatSocketOptions {
  runtime: ConversationRuntime;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
  path?: string;
  /**
   * Origins (`https://shop.example`) allowed to open the socket besides the server's own; `'*'` allows
   * any. Browsers always send Origin, so this stops other sites from driving a customer's chat.
   */
  allowedOrigins?: readonly string[] | '*';
  /** Frames above this get an error frame; above 16× it, ws closes the socket (1009). */
  maxFrameBytes?: number;
  maxPending?: number;
  greetNewSessions?: boolean;
  /** Dead connections (no pong) are dropped after this long. */
  heartbeatMs?: number;
  /** A socket that has not said hello by then is closed (1008): idle sockets cost memory. */
  helloTimeoutMs?: number;
}

/** The web chat's WebSocket endpoint, attached by the HTTP server on its own port. */
export function createWebChatSocket({
  runtime,
  logger,
  clock,
  ids,
  path = DEFAULT_SOCKET_PATH,
  allowedOrigins = [],
  maxFrameBytes = 4 * 1024,
  maxPending = 5,
  greetNewSessions = true,
  heartbeatMs = 30_000,
  helloTimeoutMs = 10_000,
}: WebChatSocketOptions) {
  const log = logger.child({ channel: 'webchat' });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes * 16 });
  const heartbeat = startHeartbeat(wss, heartbeatMs);
  const sessionDeps = {
    runtime,
    logger: log,
    clock,
    ids,
    newSessionId: () => randomBytes(18).toString('base64url'),
    maxFrameBytes,
    maxPending,
    greetNewSessions,
  };

  const live = new Set<WebChatSession>();

  wss.on('connection', (socket: WebSocket) => {
    const session = new WebChatSession(sessionDeps, (frame: ServerFrame) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    });
    live.add(session);
    const helloTimer = setTimeout(() => {
      if (!session.started) socket.close(1008, 'hello expected');
    }, helloTimeoutMs);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        socket.send(
          JSON.stringify({ type: 'error', error: 'bad_frame', detail: 'binary frames are not accepted' }),
        );
        return;
      }
      session.receive(rawToString(data));
    });
    socket.on('error', (error) => log.warn({ err: error }, 'web chat socket error'));
    socket.on('close', () => {
      clearTimeout(helloTimer);
      live.delete(session);
      session.close().catch((error: unknown) => log.warn({ err: error }, 'stopping pushes failed'));
    });
  });

  return {
    path,
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      if (!originAllowed(request, allowedOrigins)) {
        log.warn({ origin: request.headers.origin }, 'web chat socket refused: origin not allowed');
        endWithStatus(socket, '403 Forbidden');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    /**
     * Sends replies to every socket of this process open on `conversationId`; resolves how many replies
     * reached at least one socket (all or none: they share the sockets).
     */
    async deliver(conversationId: string, replies: readonly Reply[]): Promise<number> {
      const open = [...live].filter((session) => session.conversationId === conversationId);
      let reached = false;
      for (const session of open) {
        for (const reply of replies) reached = session.push(reply) || reached;
      }
      return reached ? replies.length : 0;
    },
    async close(): Promise<void> {
      heartbeat.stop();
      await closeSocketServer(wss);
    },
  };
}

/** Same host as the request, a listed origin, or no Origin at all (not a browser: it could forge one anyway). */
export function originAllowed(request: IncomingMessage, allowed: readonly string[] | '*'): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || allowed === '*') return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
