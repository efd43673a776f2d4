import { timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CaseStatus } from '../core/case';
import type { Middleware } from '../core/compose';
import type { HttpObservation, HttpRoute } from '../core/http';
import type { ChannelName } from '../core/message';
import type { Outbox, ProactiveSender, Stores } from '../core/ports';
import type { TurnContext } from '../core/turn';

/** Parley's operational metrics for Prometheus: one registry per server, no global state. */
export interface PrometheusMetrics {
  readonly registry: Registry;
  observeHttp(sample: HttpObservation): void;
  /** Stage hooks timing whole turns (`receive` to `record`) and the NLU (`understand`). */
  readonly hooks: {
    receive: Middleware<TurnContext>;
    understand: Middleware<TurnContext>;
    record: Middleware<TurnContext>;
  };
  /** An outbox whose channels' proactive senders count their failures as connector errors. */
  countingSenders(outbox: Outbox): Pick<Outbox, 'register'>;
  /** `GET /metrics` in the text exposition format; a Bearer token is required when `token` is set. */
  route(token?: string): HttpRoute;
}

const STATUSES: readonly CaseStatus[] = ['queued', 'assigned', 'resolved', 'closed'];
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export function createPrometheusMetrics(stores: Pick<Stores, 'cases'>): PrometheusMetrics {
  const registry = new Registry();
  const http = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const turns = new Histogram({
    name: 'parley_turn_duration_seconds',
    help: 'Turns from receive to record, by channel and input (message, deliver, handback, ...)',
    labelNames: ['channel', 'input'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const nlu = new Histogram({
    name: 'parley_nlu_duration_seconds',
    help: 'NLU parses of customer messages',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5],
    registers: [registry],
  });
  const connectorErrors = new Counter({
    name: 'parley_connector_errors_total',
    help: 'Failed requests on connector routes (5xx) and failed proactive sends, by channel or route',
    labelNames: ['kind', 'where'],
    registers: [registry],
  });
  new Gauge({
    name: 'parley_queue_length',
    help: 'Cases waiting for an agent, by queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const item of await stores.cases.list({ status: 'queued' })) this.inc({ queue: item.queue });
    },
  });
  new Gauge({
    name: 'parley_cases',
    help: 'Cases held in the store, by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      for (const status of STATUSES) this.set({ status }, (await stores.cases.list({ status })).length);
    },
  });
  const started = new WeakMap<TurnContext, bigint>();
  return {
    registry,
    observeHttp(sample) {
      http.observe(
        { method: sample.method, route: sample.route, status: String(sample.status) },
        sample.seconds,
      );
      if (sample.status >= 500)
        connectorErrors.inc({ kind: 'http', where: `${sample.method} ${sample.route}` });
    },
    hooks: {
      receive: async (ctx, next) => {
        started.set(ctx, process.hrtime.bigint());
        await next();
      },
      understand: async (ctx, next) => {
        const start = process.hrtime.bigint();
        await next();
        if (ctx.nlu && ctx.input.type === 'message') nlu.observe(seconds(start));
      },
      record: async (ctx, next) => {
        await next();
        const start = started.get(ctx);
        if (start !== undefined)
          turns.observe({ channel: ctx.message.channel, input: ctx.input.type }, seconds(start));
      },
    },
    countingSenders(outbox) {
      return {
        register(channel: ChannelName, sender: ProactiveSender) {
          return outbox.register(channel, async (target, replies) => {
            try {
              return await sender(target, replies);
            } catch (error) {
              connectorErrors.inc({ kind: 'proactive', where: channel });
              throw error;
            }
          });
        },
      };
    },
    route(token) {
      return {
        method: 'GET',
        path: '/metrics',
        async handle(request) {
          if (token && !bearerMatches(request.headers.authorization, token)) {
            return {
              status: 401,
              json: { error: 'unauthorized', detail: 'a valid Bearer token is required' },
              headers: { 'www-authenticate': 'Bearer' },
            };
          }
          return { status: 200, raw: await registry.metrics(), contentType: registry.contentType };
        },
      };
    },
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
