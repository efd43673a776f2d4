import type { Connector, ConnectorContext } from '../../core/connector';
import type { HttpRoute } from '../../core/http';
import { z } from 'zod';
import { DEFAULT_SOCKET_PATH, loadWebChatPage, type WebChatPageOptions } from './webchat.page';
import { parseClientFrame, SESSION_ID, type ServerFrame } from './webchat.protocol';
import { renderWebChat, textMessage, WEBCHAT_CAPABILITIES } from './webchat.session';
import { createWebChatSocket, type WebChatSocketOptions } from './webchat.socket';

/** The chat page and its socket share `path` (the socket's URL path, `/webchat/socket` by default). */
export type WebChatOptions = Omit<WebChatSocketOptions, 'runtime' | 'logger' | 'clock' | 'ids'> &
  Omit<WebChatPageOptions, 'socketPath'>;

const framePayload = z.object({ sessionId: z.string().regex(SESSION_ID), frame: z.unknown() });
const MAX_FRAME_BYTES = 4 * 1024;

/**
 * The web chat as a connector: the page at `/` and its WebSocket. Replies pushed with `send` reach every
 * socket open on the conversation, on any process.
 *
 * @example
 * connectors.register(createWebChatConnector({ title: 'Acme support' }));
 */
export function createWebChatConnector(options: WebChatOptions = {}): Connector<ServerFrame[]> {
  const path = options.path ?? DEFAULT_SOCKET_PATH;
  let runtime: ConnectorContext['runtime'] | undefined;
  return {
    name: 'webchat',
    capabilities: WEBCHAT_CAPABILITIES,
    toMessage(payload, context) {
      // A frame means nothing without the session it arrived on, so the payload is both.
      const parsed = framePayload.safeParse(payload);
      if (!parsed.success)
        return { ok: false, detail: 'expected { sessionId, frame } with a valid session id' };
      const frame = parseClientFrame(JSON.stringify(parsed.data.frame ?? null), MAX_FRAME_BYTES);
      if (!frame.ok) return { ok: false, detail: frame.detail };
      if (frame.frame.type !== 'message') return { ok: false, detail: 'type: only message frames are turns' };
      return { ok: true, message: textMessage(parsed.data.sessionId, frame.frame, context) };
    },
    render: (replies) => renderWebChat(replies),
    mount(context) {
      runtime = context.runtime;
      const socket = createWebChatSocket({ ...options, path, ...context });
      return { routes: pageRoutes({ ...options, socketPath: path }), sockets: [socket] };
    },
    // Published on the bus, so the socket reaches the customer on whichever process holds it.
    async send(target, replies) {
      if (!runtime) return 0;
      for (const reply of replies) await runtime.push(target.session, reply);
      return replies.length;
    },
  };
}

function pageRoutes(options: WebChatPageOptions): HttpRoute[] {
  return loadWebChatPage(options).map((asset) => ({
    method: 'GET',
    path: asset.path,
    handle: async () => ({
      status: 200,
      raw: asset.body,
      contentType: asset.contentType,
      headers: asset.headers,
    }),
  }));
}
