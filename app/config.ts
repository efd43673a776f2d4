import { z } from 'zod';
import type { DeskSettings } from '../desk/setup';
import { parseDemoAgent } from '../desk/agents';

const DAY_MS = 24 * 60 * 60 * 1000;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** `redis://host:port` for one Redis; unset means the in-memory store. */
  REDIS_URL: z.string().url().optional(),
  /** Comma-separated `host:port` seeds of a Redis Cluster; wins over REDIS_URL. */
  REDIS_CLUSTER_NODES: z.string().optional(),
  PARLEY_RETENTION_DAYS: z.coerce.number().positive().default(30),
  PARLEY_NLU_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  PARLEY_BOT: z.string().default('acme'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Reload flows and training phrases when their files change; off by default in production. */
  PARLEY_RELOAD: z.enum(['true', 'false']).optional(),
  NODE_ENV: z.string().optional(),
  /** `user:password` of the desk's demo agent; a printed default when unset. */
  PARLEY_DEMO_AGENT: z.string().optional(),
  /** JSON array of `{ username, name, passwordHash }` agent accounts. */
  PARLEY_AGENTS_FILE: z.string().min(1).optional(),
  /** Signs agent tokens; set the same value on every process sharing a Redis. */
  PARLEY_AGENT_TOKEN_SECRET: z.string().min(16).optional(),
  PARLEY_COMPANY_NAME: z.string().min(1).optional(),
  /** Agents' replies to REST customers are also POSTed here, as Rasa's callback channel does. */
  PARLEY_REST_CALLBACK_URL: z.string().url().optional(),
  /** A shared token the REST channel and `/model/parse` require (Bearer header or `?token=`). */
  PARLEY_REST_TOKEN: z.string().min(16).optional(),
  /** An external agent hub that receives every new case as a signed webhook. */
  PARLEY_HUB_URL: z.string().url().optional(),
  /** The shared secret the hub verifies `X-Parley-Signature` with. */
  PARLEY_HUB_SECRET: z.string().min(16).optional(),
  /** `parley` (the handoff package) or `botframework` (a `handoff.initiate` event activity). */
  PARLEY_HUB_FORMAT: z.enum(['parley', 'botframework']).default('parley'),
});

export interface ParleyConfig {
  port: number;
  host: string;
  store:
    | { kind: 'memory' }
    | { kind: 'redis'; url: string }
    | { kind: 'cluster'; nodes: { host: string; port: number }[] };
  retentionMs: number;
  nluThreshold?: number;
  bot: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Watch the bot's files and reload them without a restart. */
  reload: boolean;
  desk: DeskSettings & { demoAgent: { username: string; password: string } };
  restCallbackUrl?: string;
  restToken?: string;
  hub?: { url: string; secret: string; format: 'parley' | 'botframework' };
}

/** The one place Parley reads `process.env`. A bad value fails at start-up, naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    store: storeConfig(e.REDIS_URL, e.REDIS_CLUSTER_NODES),
    retentionMs: e.PARLEY_RETENTION_DAYS * DAY_MS,
    ...(e.PARLEY_NLU_THRESHOLD !== undefined ? { nluThreshold: e.PARLEY_NLU_THRESHOLD } : {}),
    bot: e.PARLEY_BOT,
    logLevel: e.LOG_LEVEL,
    reload: e.PARLEY_RELOAD ? e.PARLEY_RELOAD === 'true' : e.NODE_ENV !== 'production',
    desk: {
      demoAgent: parseDemoAgent(e.PARLEY_DEMO_AGENT),
      ...(e.PARLEY_AGENTS_FILE ? { agentsFile: e.PARLEY_AGENTS_FILE } : {}),
      ...(e.PARLEY_AGENT_TOKEN_SECRET ? { tokenSecret: e.PARLEY_AGENT_TOKEN_SECRET } : {}),
      ...(e.PARLEY_COMPANY_NAME ? { companyName: e.PARLEY_COMPANY_NAME } : {}),
    },
    ...(e.PARLEY_REST_CALLBACK_URL ? { restCallbackUrl: e.PARLEY_REST_CALLBACK_URL } : {}),
    ...(e.PARLEY_REST_TOKEN ? { restToken: e.PARLEY_REST_TOKEN } : {}),
    ...hubConfig(e.PARLEY_HUB_URL, e.PARLEY_HUB_SECRET, e.PARLEY_HUB_FORMAT),
  };
}

function storeConfig(url: string | undefined, clusterNodes: string | undefined): ParleyConfig['store'] {
  if (clusterNodes) {
    const nodes = clusterNodes.split(',').map((seed) => {
      const [host, port] = seed.trim().split(':');
      const portNumber = Number(port);
      if (!host || !Number.isInteger(portNumber)) {
        throw new Error(`invalid configuration: REDIS_CLUSTER_NODES: "${seed}" is not host:port`);
      }
      return { host, port: portNumber };
    });
    return { kind: 'cluster', nodes };
  }
  return url ? { kind: 'redis', url } : { kind: 'memory' };
}

function hubConfig(
  url: string | undefined,
  secret: string | undefined,
  format: 'parley' | 'botframework',
): Pick<ParleyConfig, 'hub'> {
  if (!url) return {};
  // An unsigned webhook would let anyone who learns the URL forge cases: refuse to start without a secret.
  if (!secret)
    throw new Error('invalid configuration: PARLEY_HUB_SECRET: required when PARLEY_HUB_URL is set');
  return { hub: { url, secret, format } };
}
