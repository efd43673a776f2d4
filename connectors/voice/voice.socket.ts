import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SocketEndpoint } from '../../core/http';
import type { Logger } from '../../core/ports';
import { closeSocketServer, endWithStatus, rawToString } from '../shared/socket-server';
import { isValidTwilioSignature } from '../twilio/twilio.signature';
import type { CallSession } from './voice.session';
import { readMediaStreamEvent } from './voice.protocol';
import { MEDIA_STREAM_PATH } from './voice.webhook';

export interface MediaSocketDeps {
  authToken: string;
  publicUrl?: string;
  logger: Logger;
  /** A call session bound to this socket's sender and hang-up. */
  newSession(send: (event: object) => void, hangUp: () => void): CallSession;
}

/** The URL Twilio signed for a WebSocket upgrade: the public base (ws→wss) or the request's own host. */
function upgradeUrl(request: IncomingMessage, publicUrl: string | undefined): string {
  const path = request.url ?? MEDIA_STREAM_PATH;
  if (publicUrl) return `${publicUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}${path}`;
  const secure = request.headers['x-forwarded-proto'] === 'https';
  return `${secure ? 'wss' : 'ws'}://${request.headers.host ?? 'localhost'}${path}`;
}

/**
 * `wss://…/webhooks/twilio/media`: Twilio's bidirectional Media Stream. The upgrade must carry a valid
 * `X-Twilio-Signature` over its URL (else 403 and no socket); each socket is one call session.
 */
export function createMediaSocket(deps: MediaSocketDeps): SocketEndpoint {
  const log = deps.logger.child({ channel: 'voice' });
  // A media frame is ~300 bytes of JSON; 64 KB leaves room for Twilio's `start` with parameters.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 65_536 });

  wss.on('connection', (ws: WebSocket) => {
    const send = (event: object) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
    };
    const session = deps.newSession(send, () => ws.close(1000, 'call ended'));
    let ignored = 0;
    ws.on('message', (data) => {
      const event = readMediaStreamEvent(rawToString(data));
      if (!event) {
        if ((ignored += 1) <= 3) log.warn({ ignored }, 'unreadable Media Streams frame ignored');
        return;
      }
      switch (event.event) {
        case 'start':
          return session.start(event);
        case 'media':
          return session.media(Buffer.from(event.media.payload, 'base64'));
        case 'dtmf':
          return session.dtmf(event.dtmf.digit);
        case 'mark':
          return session.mark(event.mark.name);
        case 'stop':
          session.stop();
          return ws.close(1000, 'stream stopped');
        case 'connected':
          return undefined;
      }
    });
    ws.on('close', () => session.stop());
    ws.on('error', (error) => log.warn({ err: error }, 'media socket error'));
  });

  return {
    path: MEDIA_STREAM_PATH,
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const signature = request.headers['x-twilio-signature'];
      const url = upgradeUrl(request, deps.publicUrl);
      const given = typeof signature === 'string' ? signature : undefined;
      if (!isValidTwilioSignature(deps.authToken, url, [], given)) {
        endWithStatus(socket, '403 Forbidden');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    close: () => closeSocketServer(wss),
  };
}
