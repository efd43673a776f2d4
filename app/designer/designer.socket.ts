import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { closeSocketServer, endWithStatus } from '../../connectors/shared/socket-server';
import { originAllowed } from '../../connectors/webchat/webchat.socket';
import type { SocketEndpoint } from '../../core/http';
import type { Logger } from '../../core/ports';
import type { ReloadOutcome } from '../hot-reload';
import { checkDesignerAccess, type DesignerAccess } from './access';

export const DESIGNER_SOCKET_PATH = '/designer/socket';

/** The live-update socket: every open viewer hears when the bot's files were reloaded (or failed to). */
export interface DesignerSocket extends SocketEndpoint {
  /** Tells every open viewer; they fetch the flows again. */
  announce(outcome: ReloadOutcome): void;
}

/** Server push only: the viewer never sends anything on it. */
export function createDesignerSocket(access: DesignerAccess, logger: Logger): DesignerSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  wss.on('connection', (socket) => socket.on('message', () => socket.close(1008, 'this socket only sends')));

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const refused = await checkDesignerAccess(access, request.headers, query);
    if (refused) return endWithStatus(socket, refused.status === 403 ? '403 Forbidden' : '401 Unauthorized');
    if (!originAllowed(request, [])) return endWithStatus(socket, '403 Forbidden');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };

  return {
    path: DESIGNER_SOCKET_PATH,
    handleUpgrade(request, socket, head) {
      upgrade(request, socket, head).catch((error: unknown) => {
        logger.error({ err: error }, 'designer socket could not check access');
        endWithStatus(socket, '503 Service Unavailable');
      });
    },
    announce(outcome) {
      const frame = JSON.stringify({ type: 'reloaded', ...outcome });
      for (const client of wss.clients) client.send(frame);
    },
    close: () => closeSocketServer(wss),
  };
}
