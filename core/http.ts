import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { JsonValue } from './json';

/**
 * Vendor-neutral HTTP contracts: what a connector or a module hands Parley's HTTP server. The server (restify,
 * inside `connectors/http/`) enforces body limits and JSON syntax; nothing here knows which library serves it.
 * Type-only imports from Node: `core/` stays free of runtime dependencies.
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
 * A route a connector or module adds (a channel's webhook, the agent desk API). The server enforces the body
 * limit and, for `body: 'json'` (the default on POST/PUT/PATCH), the content type and JSON syntax before
 * `handle` runs. A throw becomes a neutral 500; the detail goes to the log.
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

/** One answered request, reported by the server to whoever measures (`route` is the template, not the URL). */
export interface HttpObservation {
  method: string;
  route: string;
  status: number;
  seconds: number;
}
