import type { Duplex } from 'node:stream';
import type { RawData, WebSocketServer } from 'ws';

/** A text frame as one string, whatever shape `ws` delivered it in. */
export function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/** Tells every client the server is going away (1001), then stops accepting. */
export async function closeSocketServer(wss: WebSocketServer): Promise<void> {
  for (const socket of wss.clients) socket.close(1001, 'server shutting down');
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}

/**
 * Answers on a raw socket, where Node or an upgrade left us without a response object (a refused WebSocket
 * upgrade, a request Node could not parse), with the same security headers as every other answer.
 */
export function endWithStatus(socket: Duplex, status: string): void {
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\nX-Content-Type-Options: nosniff\r\n\r\n`,
  );
}
