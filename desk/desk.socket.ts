import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { startHeartbeat } from '../connectors/shared/socket-heartbeat';
import { closeSocketServer, rawToString } from '../connectors/shared/socket-server';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import type { SocketEndpoint } from '../connectors/http/http-server';
import type { JsonValue } from '../core/json';
import type { Clock, Logger, MessageBus } from '../core/ports';
import type { Agent, TokenIssuer } from './agents';
import { caseTopic, QUEUE_TOPIC, type CaseSummary } from '../handoff/case-events';
import { originAllowed } from '../connectors/webchat/webchat.socket';
import { deskClientFrame, DESK_SOCKET_PATH, type DeskLine, type DeskServerFrame } from './desk.protocol';

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
    let json: unknown;
    try {
      json = data.length <= MAX_FRAME_BYTES ? JSON.parse(data) : undefined;
    } catch {
      json = undefined;
    }
    const frame = deskClientFrame.safeParse(json);
    if (!frame.success) {
      this.send({
        type: 'error',
        error: 'bad_frame',
        detail: 'expected {type:"watch",caseId} or {type:"unwatch"}',
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

/** The desk's WebSocket endpoint (`/api/agent/socket?token=...`); protocol in `desk.protocol.ts`. */
export function createDeskSocket(options: DeskSocketOptions): SocketEndpoint {
  const { tokens, logger, path = DESK_SOCKET_PATH, heartbeatMs = 30_000 } = options;
  const log = logger.child({ component: 'agent-desk-socket' });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * MAX_FRAME_BYTES });
  const heartbeat = startHeartbeat(wss, heartbeatMs);

  wss.on('connection', (socket: WebSocket, _request: IncomingMessage, agent: Agent) => {
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
      chain = chain.then(() => connection.close()).catch(failed);
    });
  });

  return {
    path,
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
      const agent = token ? tokens.verify(token) : undefined;
      if (!agent || !originAllowed(request, [])) {
        const status = agent ? '403 Forbidden' : '401 Unauthorized';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request, agent));
    },
    async close(): Promise<void> {
      heartbeat.stop();
      await closeSocketServer(wss);
    },
  };
}
