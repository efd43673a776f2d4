import { WebSocket, type WebSocketServer } from 'ws';

/**
 * Pings every socket of a server each interval and drops the ones that did not answer the previous ping:
 * without it, a laptop closed mid-chat keeps its subscriptions until TCP notices, hours later.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs: number): { stop(): void } {
  const alive = new WeakSet<WebSocket>();
  const track = (socket: WebSocket): void => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  };
  wss.on('connection', track);
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      wss.off('connection', track);
    },
  };
}
