import type { HealthCheck, HttpResponse, HttpRoute } from '../../core/http';
import type { Logger } from '../../core/ports';

/** One dependency's answer: `ok` or `failing`, and how long the probe took. */
export interface DependencyState {
  status: 'ok' | 'failing';
  latencyMs: number;
}

// A probe longer than this counts as failing: a load balancer must not wait on a hung store.
const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Probes every dependency at once; never rejects. */
export async function probeAll(
  checks: readonly HealthCheck[],
  log: Logger,
): Promise<Record<string, DependencyState>> {
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, DependencyState]> => {
      const started = performance.now();
      const latency = () => Math.round((performance.now() - started) * 10) / 10;
      try {
        await withTimeout(check(), PROBE_TIMEOUT_MS, `${name} did not answer within ${PROBE_TIMEOUT_MS} ms`);
        return [name, { status: 'ok', latencyMs: latency() }];
      } catch (error) {
        log.warn({ err: error, check: name }, 'health check failed');
        return [name, { status: 'failing', latencyMs: latency() }];
      }
    }),
  );
  return Object.fromEntries(results);
}

/**
 * `/healthz`: every dependency's state and latency (503 when one fails, so a monitor sees it), and
 * `/readyz`: 200 only while every store answers and the server is not shutting down, for load balancers.
 * Probes never show an error's text: it can carry hosts and credentials.
 */
export function healthRoutes(
  checks: readonly HealthCheck[],
  log: Logger,
  draining: () => boolean,
): HttpRoute[] {
  const healthz = async (): Promise<HttpResponse> => {
    if (checks.length === 0) return { status: 200, json: { status: 'ok' } };
    const states = await probeAll(checks, log);
    const ok = Object.values(states).every((state) => state.status === 'ok');
    return { status: ok ? 200 : 503, json: { status: ok ? 'ok' : 'degraded', checks: states } };
  };
  const readyz = async (): Promise<HttpResponse> => {
    if (draining()) return { status: 503, json: { status: 'draining' } };
    const states = await probeAll(checks, log);
    const failing = Object.entries(states)
      .filter(([, state]) => state.status !== 'ok')
      .map(([name]) => name);
    if (failing.length > 0) return { status: 503, json: { status: 'not_ready', failing } };
    return { status: 200, json: { status: 'ready' } };
  };
  return [
    { method: 'GET', path: '/healthz', handle: healthz },
    { method: 'GET', path: '/readyz', handle: readyz },
  ];
}
