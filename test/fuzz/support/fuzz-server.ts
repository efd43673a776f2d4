import type { Logger, Stores } from '../../../core/ports';
import { createMemoryStores } from '../../../stores/memory';
import { createRedisStores } from '../../../stores/redis';
import { AGENTS, startDeskKit, type DeskKit } from '../../handoff/support/desk-kit';
import type { RedisServer } from '../../support/redis-server';

/** Everything logged at error level: a 5xx or a failed frame always logs one, so none may appear. */
export function errorCollectingLogger(errors: unknown[]): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (fields, message) => {
      errors.push({ fields, message });
    },
    child: () => logger,
  };
  return logger;
}

export type Backend = 'memory' | 'redis';

let prefixes = 0;

export function makeStores(backend: Backend, redis: () => RedisServer): Promise<Stores> | Stores {
  if (backend === 'memory') return createMemoryStores({ retentionMs: 60_000 });
  return createRedisStores({ url: redis().url, retentionMs: 60_000, keyPrefix: `fuzz${(prefixes += 1)}` });
}

export interface FuzzServer {
  kit: DeskKit;
  url: string;
  errors: unknown[];
  /** A valid agent token, and a case that exists (so case routes reach the case service). */
  token: string;
  caseId: string;
  close(): Promise<void>;
}

export async function startFuzzServer(backend: Backend, redis: () => RedisServer): Promise<FuzzServer> {
  const errors: unknown[] = [];
  const stores = await makeStores(backend, redis);
  const kit = await startDeskKit({ stores, logger: errorCollectingLogger(errors) });
  const url = kit.address.url;
  const post = (path: string, body: object) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
  const { sam } = AGENTS;
  const login = (await (await post('/api/agent/login', sam)).json()) as { token: string };
  await post('/webhooks/rest/webhook', { sender: 'fuzz-customer', message: 'human' });
  const [opened] = await kit.cases.list();
  if (!opened) throw new Error('the fuzz server could not open a case');
  return {
    kit,
    url,
    errors,
    token: login.token,
    caseId: opened.id,
    async close() {
      await kit.close();
      await stores.close();
    },
  };
}

/** Counts what came back, for the report a full run prints. */
export class Tally {
  private readonly counts = new Map<string, number>();
  private readonly started = Date.now();
  sent = 0;

  add(outcome: string | number): void {
    this.sent += 1;
    this.note(outcome);
  }

  /** Counts an outcome that is not one request (an error frame that arrived later). */
  note(outcome: string | number, times = 1): void {
    this.counts.set(String(outcome), (this.counts.get(String(outcome)) ?? 0) + times);
  }

  summary(name: string): string {
    const seen = [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([outcome, count]) => `${outcome}×${count}`)
      .join(' ');
    return `${name}: ${this.sent} sent in ${((Date.now() - this.started) / 1000).toFixed(1)} s; ${seen}`;
  }
}
