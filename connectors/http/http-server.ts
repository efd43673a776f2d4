import { systemClock, uuidIds } from '../../core/defaults';
import type { IncomingMessage, Server as NodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import restify from 'restify';
import { createRestConnector, NEUTRAL_ERROR, type ErrorBody } from '../rest/rest.connector';
import { createWebChatConnector, type WebChatOptions } from '../webchat/webchat.connector';
import type { ConnectorContext } from '../../core/connector';
import { createConnectorRegistry, type ConnectorRegistry } from '../../core/connector-registry';
import type {
  HealthCheck,
  HttpObservation,
  HttpRequest,
  HttpResponse,
  HttpRoute,
  SocketEndpoint,
} from '../../core/http';
import { endWithStatus } from '../shared/socket-server';
import { checkJsonLimits } from '../../core/json-limits';
import { storeUnavailable } from '../../core/store-unavailable';
import { unavailableResponse } from '../shared/unavailable';
import { healthRoutes } from './health';
import type { Clock, IdGenerator, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';

/**
 * Parley's one HTTP server: health, the routes and sockets of every registered connector (REST and web chat
 * by default), plus whatever routes and socket endpoints other modules bring. Restify stays inside this
 * file: connectors and extensions speak the vendor-neutral contracts of `core/http.ts`.
 *
 * @example
 * const http = createHttpServer({ runtime, logger, connectors, routes: deskRoutes, sockets: [deskSocket] });
 * const { url } = await http.listen(8080, '0.0.0.0');
 */

export type {
  HealthCheck,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  HttpRoute,
  SocketEndpoint,
} from '../../core/http';
export type { WebChatOptions } from '../webchat/webchat.connector';

export interface HttpServerOptions {
  runtime: ConversationRuntime;
  logger: Logger;
  /** Largest request body accepted, in bytes; larger gets 413. */
  bodyLimitBytes?: number;
  /**
   * The channels this server runs: their routes and sockets are mounted, their transports started on
   * `listen` and stopped on `close`. Without it: REST and web chat, set up by the options below.
   */
  connectors?: ConnectorRegistry;
  routes?: readonly HttpRoute[];
  sockets?: readonly SocketEndpoint[];
  healthChecks?: readonly HealthCheck[];
  /** Headers set on every response, the framework's own 404/405 included. */
  responseHeaders?: Readonly<Record<string, string>>;
  /** Without `connectors`: the chat page at `/` and its socket; `false` turns both off (API only). */
  webChat?: WebChatOptions | false;
  /** Without `connectors`: `POST /model/parse` exposes the NLU; switch it off where that is not wanted. */
  parseEndpoint?: boolean;
  /** Without `connectors`: the REST channel and `/model/parse` require this shared token. */
  restToken?: string;
  clock?: Clock;
  ids?: IdGenerator;
  /** Told about every request a route answered (for request-duration metrics). */
  observe?: (observation: HttpObservation) => void;
}

/** REST and, unless turned off, the web chat: the channels a server runs when none are given. */
export function defaultConnectors({
  webChat = {},
  parseEndpoint = true,
  restToken,
}: Pick<HttpServerOptions, 'webChat' | 'parseEndpoint' | 'restToken'> = {}): ConnectorRegistry {
  const connectors = createConnectorRegistry();
  connectors.register(createRestConnector({ parseEndpoint, ...(restToken ? { token: restToken } : {}) }));
  if (webChat !== false) connectors.register(createWebChatConnector(webChat));
  return connectors;
}

export interface BoundAddress {
  host: string;
  port: number;
  url: string;
}

export interface ParleyHttpServer {
  listen(port: number, host?: string): Promise<BoundAddress>;
  close(): Promise<void>;
}

export function createHttpServer({
  runtime,
  logger,
  bodyLimitBytes = 64 * 1024,
  connectors,
  routes = [],
  sockets = [],
  healthChecks = [],
  responseHeaders = {},
  webChat = {},
  parseEndpoint = true,
  restToken,
  clock = systemClock,
  ids = uuidIds,
  observe,
}: HttpServerOptions): ParleyHttpServer {
  const log = logger.child({ component: 'http' });
  // Restify's default pino logger only speaks on its own misuse warnings; our logging uses the injected Logger.
  const server = restify.createServer({ name: 'parley', handleUpgrades: false });
  // Set before restify sees the request, so its own answers (404, 405, bad URLs) carry it too.
  server.server.prependListener('request', (_req, res) => {
    res.setHeader('x-content-type-options', 'nosniff');
    for (const [name, value] of Object.entries(responseHeaders)) res.setHeader(name, value);
  });
  server.server.on('clientError', answerClientError);
  formatRestifyErrors(server, log);

  const channels = connectors ?? defaultConnectors({ webChat, parseEndpoint, restToken });
  const context: ConnectorContext = { runtime, logger, clock, ids };
  const mounted = channels.mount(context);
  let draining = false;
  const health = healthRoutes(healthChecks, log, () => draining);
  for (const route of [...health, ...mounted.routes, ...routes]) {
    mount(server, route, bodyLimitBytes, log, observe);
  }
  const endpoints = [...mounted.sockets, ...sockets];
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    dispatchUpgrade(endpoints, req, socket, head),
  );

  return {
    async listen(port, host = '127.0.0.1') {
      await channels.start(context);
      return listen(server.server, port, host);
    },
    async close() {
      draining = true;
      await Promise.all(endpoints.map((endpoint) => endpoint.close()));
      await new Promise<void>((resolve) => {
        server.server.close(() => resolve());
        // Keep-alive connections would otherwise hold close() open until they time out.
        server.server.closeAllConnections();
      });
      await channels.stop();
    },
  };
}

function dispatchUpgrade(
  endpoints: readonly SocketEndpoint[],
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const endpoint = endpoints.find((candidate) => candidate.path === path);
  if (!endpoint) {
    endWithStatus(socket, '404 Not Found');
    return;
  }
  endpoint.handleUpgrade(req, socket, head);
}

/**
 * What Node answers by itself when it cannot parse a request (headers or URL over 16 KB, broken syntax),
 * before any 'request' event, so with our headers: Node's default answer has no `nosniff`.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? '431 Request Header Fields Too Large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : '400 Bad Request';
  endWithStatus(socket, status);
}

function listen(server: NodeServer, port: number, host: string): Promise<BoundAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ host: address.address, port: address.port, url: `http://${urlHost}:${address.port}` });
    });
  });
}

type BodyOutcome =
  { ok: true; raw: Buffer; body: unknown } | { ok: false; status: 400 | 413 | 415; error: ErrorBody };

function mount(
  server: restify.Server,
  route: HttpRoute,
  limit: number,
  log: Logger,
  observe?: (observation: HttpObservation) => void,
): void {
  const register = {
    GET: server.get,
    POST: server.post,
    PUT: server.put,
    PATCH: server.patch,
    DELETE: server.del,
  }[route.method].bind(server);
  const answer = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const outcome = route.method === 'GET' ? emptyBody() : await readBody(req, limit, route.body ?? 'json');
    if (!outcome.ok) {
      if (outcome.status === 413) res.header('connection', 'close');
      send(res, { status: outcome.status, json: outcome.error });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const request: HttpRequest = {
      method: route.method,
      path: url.pathname,
      params: { ...(req.params as Record<string, string>) },
      query: url.searchParams,
      headers: req.headers,
      body: outcome.body,
      rawBody: outcome.raw,
      ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
    };
    try {
      send(res, await route.handle(request));
    } catch (error) {
      // Any channel's turn that found a store down: "try again" (503 + Retry-After), not a 500.
      if (storeUnavailable(error)) {
        log.warn({ err: error, route: `${route.method} ${route.path}` }, 'store unavailable');
        send(res, unavailableResponse());
        return;
      }
      log.error({ err: error, route: `${route.method} ${route.path}` }, 'route failed');
      send(res, { status: 500, json: NEUTRAL_ERROR });
    }
  };
  const handler = async (req: restify.Request, res: restify.Response): Promise<void> => {
    const start = process.hrtime.bigint();
    await answer(req, res);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    observe?.({ method: route.method, route: route.path, status: res.statusCode, seconds });
  };
  register(route.path, handler);
  // Uptime monitors and load balancers probe with HEAD; Node drops the body for it.
  if (route.method === 'GET') server.head(route.path, handler);
}

function emptyBody(): BodyOutcome {
  return { ok: true, raw: Buffer.alloc(0), body: undefined };
}

function send(res: restify.Response, response: HttpResponse): void {
  const headers = { 'x-content-type-options': 'nosniff', ...response.headers };
  if ('json' in response) {
    const body = JSON.stringify(response.json);
    res.sendRaw(response.status, body, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  } else {
    res.sendRaw(response.status, response.raw, { ...headers, 'content-type': response.contentType });
  }
}

/** A JSON media type: `application/json` or any `+json` suffix type, parameters ignored. */
function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return true; // curl-style clients often omit it; the JSON parse still guards.
  if (header === 'application/json' || header === 'application/json; charset=utf-8') return true;
  const type = header.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

async function readBody(req: IncomingMessage, limit: number, kind: 'json' | 'raw'): Promise<BodyOutcome> {
  if (kind === 'json' && !isJsonContentType(req.headers['content-type'])) {
    req.resume();
    const detail = `content-type must be application/json, got ${req.headers['content-type']}`;
    return { ok: false, status: 415, error: { error: 'unsupported_media_type', detail } };
  }
  const tooLarge: BodyOutcome = {
    ok: false,
    status: 413,
    error: { error: 'payload_too_large', detail: `request body exceeds ${limit} bytes` },
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain without buffering so the client can read our answer
    return tooLarge;
  }
  const raw = await collectBody(req, limit);
  if (raw === undefined) return tooLarge;
  if (kind === 'raw') return { ok: true, raw, body: undefined };
  return parseJson(raw);
}

/**
 * The request's bytes, or undefined once they pass `limit` (the rest is drained, not kept). Stream events
 * rather than `for await`: the async iterator costs a promise and a queue per chunk, on every request.
 */
function collectBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    let ended = false;
    req.on('data', onData);
    req.once('end', () => {
      ended = true;
      resolve(size > limit ? undefined : Buffer.concat(chunks, size));
    });
    req.once('error', reject);
    // A client gone before its body ended (as `for await` would report it): nothing waits for ever.
    req.once('close', () => {
      if (!ended) reject(new Error('request closed before its body ended'));
    });
  });
}

function parseJson(raw: Buffer): BodyOutcome {
  if (raw.length === 0) {
    return { ok: false, status: 400, error: { error: 'invalid_json', detail: 'request body is empty' } };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8')) as unknown;
  } catch (error) {
    const detail = `request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`;
    return { ok: false, status: 400, error: { error: 'invalid_json', detail } };
  }
  // Before any schema walks it: schema validators recurse, and a deep body would overflow their stack.
  const exceeded = checkJsonLimits(body);
  if (exceeded)
    return { ok: false, status: 400, error: { error: 'json_limit_exceeded', detail: exceeded.detail } };
  return { ok: true, raw, body };
}

/** Restify's own errors (404, 405) get Parley's `{ error, detail }` shape; 5xx never show internals. */
function formatRestifyErrors(server: restify.Server, log: Logger): void {
  server.on(
    'restifyError',
    (req: restify.Request, _res: restify.Response, err: RestifyError, callback: () => void) => {
      const status = err.statusCode ?? 500;
      let body: ErrorBody = NEUTRAL_ERROR;
      if (status === 404) body = { error: 'not_found', detail: `no route for ${req.method} ${req.path()}` };
      else if (status === 405)
        body = { error: 'method_not_allowed', detail: `${req.method} is not allowed here` };
      else if (status < 500) body = { error: 'bad_request', detail: err.message };
      else log.error({ err }, 'unhandled server error');
      err.toJSON = () => body;
      callback();
    },
  );
}

interface RestifyError extends Error {
  statusCode?: number;
  toJSON?: () => unknown;
}
