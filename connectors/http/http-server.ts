import { systemClock, uuidIds } from '../../core/defaults';
import type { IncomingHttpHeaders, IncomingMessage, Server as NodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import restify from 'restify';
import { checkRestToken } from '../rest/rest.auth';
import { createRestChannel, NEUTRAL_ERROR, type ErrorBody } from '../rest/rest.connector';
import { DEFAULT_SOCKET_PATH, loadWebChatPage, type WebChatPageOptions } from '../webchat/webchat.page';
import { createWebChatSocket, type WebChatSocketOptions } from '../webchat/webchat.socket';
import type { JsonValue } from '../../core/json';
import type { Clock, IdGenerator, Logger } from '../../core/ports';
import type { ConversationRuntime } from '../../core/runtime';

/**
 * Parley's one HTTP server: health, the REST channel, the NLU debug endpoint, the web chat page and its
 * WebSocket, plus whatever routes and socket endpoints other modules bring. Restify stays inside this file:
 * extensions speak the small vendor-neutral `HttpRoute` / `SocketEndpoint` contracts below.
 *
 * @example
 * const http = createHttpServer({ runtime, logger, routes: deskRoutes, sockets: [deskSocket] });
 * const { url } = await http.listen(8080, '0.0.0.0');
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  path: string;
  /** Named path segments (`/cases/:id` → `{ id }`). */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body for `body: 'json'` routes, otherwise undefined. */
  body: unknown;
  /** The exact bytes received (empty for GET): what signature checks must hash. */
  rawBody: Buffer;
  /** The TCP peer's address (a proxy's, behind one); what sign-in limits count per client. */
  remoteAddress?: string;
}

/** A JSON answer, or raw bytes with their content type (pages, scripts, files). */
export type HttpResponse =
  | { status: number; json: JsonValue | object; headers?: Record<string, string> }
  | { status: number; raw: string | Buffer; contentType: string; headers?: Record<string, string> };

/**
 * A route another module adds (agent desk API, a signed webhook). The server enforces the body limit and,
 * for `body: 'json'` (the default on POST/PUT/PATCH), the content type and JSON syntax before `handle` runs.
 * A throw becomes a neutral 500; the detail goes to the log.
 */
export interface HttpRoute {
  method: HttpMethod;
  path: string;
  body?: 'json' | 'raw';
  handle(request: HttpRequest): Promise<HttpResponse>;
}

/** A WebSocket endpoint sharing the server's port; upgrades are dispatched by exact path. */
export interface SocketEndpoint {
  path: string;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes open sockets when the server stops. */
  close(): Promise<void>;
}

/** A dependency `/healthz` reports on (a store, the bus). Throwing or rejecting means unhealthy. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface HttpServerOptions {
  runtime: ConversationRuntime;
  logger: Logger;
  /** Largest request body accepted, in bytes; larger gets 413. */
  bodyLimitBytes?: number;
  routes?: readonly HttpRoute[];
  sockets?: readonly SocketEndpoint[];
  healthChecks?: readonly HealthCheck[];
  /** The chat page at `/` and its socket; `false` turns both off (an API-only deployment). */
  webChat?: WebChatOptions | false;
  /** `POST /model/parse` exposes the NLU; switch it off where that is not wanted. */
  parseEndpoint?: boolean;
  /** When set, the REST channel and `/model/parse` require this shared token. */
  restToken?: string;
  clock?: Clock;
  ids?: IdGenerator;
}

/** The chat page and its socket share `path` (the socket's URL path, `/webchat/socket` by default). */
export type WebChatOptions = Omit<WebChatSocketOptions, 'runtime' | 'logger' | 'clock' | 'ids'> &
  Omit<WebChatPageOptions, 'socketPath'>;

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
  routes = [],
  sockets = [],
  healthChecks = [],
  webChat = {},
  parseEndpoint = true,
  restToken,
  clock = systemClock,
  ids = uuidIds,
}: HttpServerOptions): ParleyHttpServer {
  const log = logger.child({ component: 'http' });
  // Restify's default pino logger only speaks on its own misuse warnings; our logging uses the injected Logger.
  const server = restify.createServer({ name: 'parley', handleUpgrades: false });
  formatRestifyErrors(server, log);

  const rest = createRestChannel({ runtime, logger, clock, ids });
  const builtIn: HttpRoute[] = [
    { method: 'GET', path: '/healthz', handle: () => health(healthChecks, log) },
    {
      method: 'POST',
      path: '/webhooks/rest/webhook',
      handle: guarded(restToken, async (req) => toJson(await rest.webhook(req.body))),
    },
  ];
  if (parseEndpoint) {
    builtIn.push({
      method: 'POST',
      path: '/model/parse',
      handle: guarded(restToken, async (req) => toJson(await rest.parse(req.body))),
    });
  }

  const endpoints = [...sockets];
  if (webChat !== false) {
    const path = webChat.path ?? DEFAULT_SOCKET_PATH;
    builtIn.push(...pageRoutes({ ...webChat, socketPath: path }));
    endpoints.push(createWebChatSocket({ ...webChat, path, runtime, logger, clock, ids }));
  }
  for (const route of [...builtIn, ...routes]) mount(server, route, bodyLimitBytes, log);
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    dispatchUpgrade(endpoints, req, socket, head),
  );

  return {
    listen: (port, host = '127.0.0.1') => listen(server.server, port, host),
    async close() {
      await Promise.all(endpoints.map((endpoint) => endpoint.close()));
      await new Promise<void>((resolve) => {
        server.server.close(() => resolve());
        // Keep-alive connections would otherwise hold close() open until they time out.
        server.server.closeAllConnections();
      });
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

function toJson(result: { status: number; body: object }): HttpResponse {
  return { status: result.status, json: result.body };
}

/** Wraps a handler so requests without the shared token get a 401 naming what is missing. */
function guarded(
  token: string | undefined,
  handle: (request: HttpRequest) => Promise<HttpResponse>,
): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) => {
    const refused = checkRestToken(token, request);
    if (refused) return { status: 401, json: { error: 'unauthorized', detail: refused } };
    return handle(request);
  };
}

// A store that is reconnecting queues commands instead of failing: a probe must not wait for it.
const HEALTH_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function health(checks: readonly HealthCheck[], log: Logger): Promise<HttpResponse> {
  if (checks.length === 0) return { status: 200, json: { status: 'ok' } };
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(
          check(),
          HEALTH_TIMEOUT_MS,
          `${name} did not answer within ${HEALTH_TIMEOUT_MS} ms`,
        );
        return [name, 'ok'] as const;
      } catch (error) {
        log.warn({ err: error, check: name }, 'health check failed');
        return [name, 'failing'] as const;
      }
    }),
  );
  const ok = results.every(([, state]) => state === 'ok');
  return {
    status: ok ? 200 : 503,
    json: { status: ok ? 'ok' : 'degraded', checks: Object.fromEntries(results) },
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
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  endpoint.handleUpgrade(req, socket, head);
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

function mount(server: restify.Server, route: HttpRoute, limit: number, log: Logger): void {
  const register = {
    GET: server.get,
    POST: server.post,
    PUT: server.put,
    PATCH: server.patch,
    DELETE: server.del,
  }[route.method].bind(server);
  const handler = async (req: restify.Request, res: restify.Response): Promise<void> => {
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
      log.error({ err: error, route: `${route.method} ${route.path}` }, 'route failed');
      send(res, { status: 500, json: NEUTRAL_ERROR });
    }
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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      return tooLarge;
    }
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  if (kind === 'raw') return { ok: true, raw, body: undefined };
  return parseJson(raw);
}

function parseJson(raw: Buffer): BodyOutcome {
  if (raw.length === 0) {
    return { ok: false, status: 400, error: { error: 'invalid_json', detail: 'request body is empty' } };
  }
  try {
    return { ok: true, raw, body: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (error) {
    const detail = `request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`;
    return { ok: false, status: 400, error: { error: 'invalid_json', detail } };
  }
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
