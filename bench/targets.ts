// The servers a turn benchmark measures, each in a process of its own: the two peers from ../shared/peers
// (installed into a scratch folder outside the repository) and Parley's bench server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../test/support/ports';
import type { ServerUsage } from './servers/bot.server';

const ROOT = resolve(__dirname, '..');
const PEER_PACKAGES = ['botbuilder', 'botbuilder-dialogs', 'restify', 'natural'];

/** What a target's process used so far; compare two readings. */
export interface Usage {
  cpuMs: number;
  rssMb: number;
  heapUsedMb?: number;
  redisWrites?: number;
  redisRoundTrips?: number;
  /** Parley only, since the previous reading (see `ServerUsage`). */
  pauses?: { loopDelayP99Ms: number; loopDelayMaxMs: number; gcPauseMaxMs: number; gcPauseTotalMs: number };
}

export interface Target {
  name: string;
  url: string;
  pid: number;
  /** With `gc`, a Parley target collects garbage first (started with `--expose-gc`). */
  usage(options?: { gc?: boolean }): Promise<Usage>;
  stop(): Promise<void>;
}

/** `shared/peers` next to the repository (or its worktree folder), or `explicit`. */
export function findPeers(explicit?: string): string {
  const candidates = explicit ? [resolve(explicit)] : [1, 2, 3].map((up) => peersAbove(up));
  const found = candidates.find((dir) => existsSync(join(dir, 'botbuilder-bot', 'index.js')));
  if (!found) throw new Error(`peers not found (looked in ${candidates.join(', ')}); pass --peers DIR`);
  return found;
}

function peersAbove(levels: number): string {
  let dir = ROOT;
  for (let i = 0; i < levels; i++) dir = dirname(dir);
  return join(dir, 'shared', 'peers');
}

/** Installs the peers' packages into `scratch` with their own install script, unless already there. */
export function ensurePeersInstalled(peers: string, scratch = join(tmpdir(), 'parley-bench-peers')): string {
  const modules = join(scratch, 'node_modules');
  const missing = PEER_PACKAGES.filter((name) => !existsSync(join(modules, name, 'package.json')));
  if (missing.length === 0) return modules;
  process.stderr.write(`installing the peers' packages into ${scratch} (missing: ${missing.join(', ')})\n`);
  const result = spawnSync('bash', [join(peers, 'install.sh'), scratch], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`peer install into ${scratch} failed (exit ${result.status})`);
  return modules;
}

const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** utime + stime of a process from /proc, in ms, and its resident set. */
function procUsage(pid: number): Usage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, rssMb: rssKb / 1024 };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function waitHealthy(name: string, url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start-up`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not healthy at ${url} after 120 s`);
}

/** A peer (`hello-restify` or `botbuilder-bot`) on a free loopback port; CPU read from /proc. */
export async function startPeer(
  name: string,
  peers: string,
  modules: string,
  folder: string,
): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(peers, folder, 'index.js')], {
    env: { ...process.env, PORT: String(port), NODE_PATH: modules },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitHealthy(name, `${origin}/healthz`, child);
  const pid = child.pid!;
  return {
    name,
    url: `${origin}/webhooks/rest/webhook`,
    pid,
    usage: async () => procUsage(pid),
    stop: () => stopChild(child),
  };
}

/** Parley's demo bot (bench/servers/bot.server.ts); CPU from its own `process.cpuUsage`, asked over IPC. */
export async function startParleyTarget(
  name: string,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): Promise<Target> {
  const entry = join(ROOT, 'bench/servers/bot.server.ts');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'silent', DOTENV_CONFIG_QUIET: 'true' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let url: string | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    url = (JSON.parse(line) as { url?: string }).url;
    if (url) break;
  }
  if (!url) throw new Error(`${name} exited before printing its url`);
  const usage = (options: { gc?: boolean } = {}): Promise<Usage> =>
    new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`${name} did not report its usage`)), 10_000);
      child.once('message', (answer: { usage: ServerUsage }) => {
        clearTimeout(timer);
        const u = answer.usage;
        done({
          cpuMs: (u.cpuUserUs + u.cpuSystemUs) / 1000,
          rssMb: u.rssBytes / 2 ** 20,
          heapUsedMb: u.heapUsedBytes / 2 ** 20,
          redisWrites: u.redisWrites,
          redisRoundTrips: u.redisRoundTrips,
          pauses: {
            loopDelayP99Ms: u.loopDelayP99Ms,
            loopDelayMaxMs: u.loopDelayMaxMs,
            gcPauseMaxMs: u.gcPauseMaxMs,
            gcPauseTotalMs: u.gcPauseTotalMs,
          },
        });
      });
      child.send({ type: 'usage', gc: options.gc === true });
    });
  return { name, url, pid: child.pid!, usage, stop: () => stopChild(child) };
}
