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
