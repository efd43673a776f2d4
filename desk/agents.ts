import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AGENT_ROLES, type Agent } from '../core/case';

export type { Agent };

/** An account as stored in an accounts file: never the password, only its scrypt hash. */
export interface AgentAccount extends Agent {
  /** `scrypt$N$r$p$salt$hash`, salt and hash base64url; made by `hashPassword`. */
  passwordHash: string;
}

// N = 2^15 costs ~50-100 ms per guess on a laptop core: slow for a guesser, unnoticeable at sign-in.
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * Hashes a password with scrypt and a fresh random salt, for an accounts file.
 *
 * @example
 * const account = { username: 'sam', name: 'Sam', passwordHash: await hashPassword('correct horse') };
 */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_COST,
  salt: Buffer = randomBytes(16),
): Promise<string> {
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/;

/** Constant-time check of `password` against a `hashPassword` result; a malformed hash never matches. */
export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  const match = HASH.exec(passwordHash);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: +n, r: +r, p: +p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

function costOf(passwordHash: string | undefined): ScryptCost {
  const match = HASH.exec(passwordHash ?? '');
  return match ? { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) } : DEFAULT_COST;
}

/** An agent as the directory holds them now; `credential` changes whenever the password does. */
export interface AgentRecord {
  agent: Agent;
  credential: string;
}

/** The agents who may sign in. */
export interface AgentDirectory {
  /** The agent, or undefined for an unknown user or a wrong password (indistinguishable, also in time). */
  authenticate(username: string, password: string): Promise<Agent | undefined>;
  /** The agent with this exact username, or undefined once removed (their tokens stop working). */
  find(username: string): Promise<AgentRecord | undefined>;
  /** Every agent who may sign in (for supervisors, and for assigning a case to someone). */
  list(): Promise<Agent[]>;
}

/**
 * A directory over a fixed list of accounts (from config or a file). Unknown usernames are checked
 * against a dummy hash so that a response's timing does not tell which usernames exist.
 */
export async function createAgentDirectory(accounts: readonly AgentAccount[]): Promise<AgentDirectory> {
  const byName = new Map(accounts.map((account) => [account.username, account]));
  // Same cost as a real account, or a miss would answer faster than a wrong password.
  const dummy = await hashPassword(randomBytes(12).toString('base64url'), costOf(accounts[0]?.passwordHash));
  return {
    async authenticate(username, password) {
      const account = byName.get(username);
      const ok = await verifyPassword(password, account?.passwordHash ?? dummy);
      return ok && account ? agentOf(account) : undefined;
    },
    async find(username) {
      const account = byName.get(username);
      if (!account) return undefined;
      return { agent: agentOf(account), credential: account.passwordHash };
    },
    async list() {
      return [...byName.values()].map(agentOf);
    },
  };
}

function agentOf(account: AgentAccount): Agent {
  const roles = account.roles && account.roles.length > 0 ? { roles: [...account.roles] } : {};
  const skills = account.skills ? { skills: structuredClone(account.skills) } : {};
  return { username: account.username, name: account.name, ...roles, ...skills };
}

const accountsFile = z.array(
  z.object({
    username: z.string().min(1).max(64),
    name: z.string().min(1).max(64),
    passwordHash: z.string().regex(HASH, 'must be a hashPassword() result (scrypt$N$r$p$salt$hash)'),
    roles: z.array(z.enum(AGENT_ROLES)).optional(),
    skills: z
      .object({
        queues: z.array(z.string().min(1)).optional(),
        languages: z.array(z.string().min(2)).optional(),
      })
      .strict()
      .optional(),
  }),
);

/**
 * Reads an accounts file: a JSON array of `{ username, name, passwordHash, roles?, skills? }`.
 * Make a hash with `npx tsx -e "require('./desk/agents').hashPassword('secret').then(console.log)"`.
 */
export async function loadAccountsFile(path: string): Promise<AgentAccount[]> {
  const parsed = accountsFile.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid agents file ${path}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data;
}

/** The demo agent `npm start` prints, when `PARLEY_DEMO_AGENT` is unset. */
export const DEFAULT_DEMO_AGENT = { username: 'demo', password: 'parley-demo' } as const;

/** Parses `user:password` (the password may contain colons). */
export function parseDemoAgent(value: string | undefined): { username: string; password: string } {
  if (value === undefined || value === '') return { ...DEFAULT_DEMO_AGENT };
  const colon = value.indexOf(':');
  if (colon < 1 || colon === value.length - 1) {
    throw new Error('invalid configuration: PARLEY_DEMO_AGENT must be user:password');
  }
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

/**
 * The demo agent as an account; the display name is the username, capitalised. Every process derives the
 * same hash (its salt comes from the credentials), because tokens carry a fingerprint of it: with a random
 * salt per process, a token from one process would be refused by the others. The hash lives in memory only.
 */
export async function demoAccount(demo: { username: string; password: string }): Promise<AgentAccount> {
  const name = demo.username.charAt(0).toUpperCase() + demo.username.slice(1);
  const salt = createHash('sha256')
    .update(`parley demo agent\u0000${demo.username}\u0000${demo.password}`)
    .digest()
    .subarray(0, 16);
  return {
    username: demo.username,
    name,
    passwordHash: await hashPassword(demo.password, DEFAULT_COST, salt),
  };
}
