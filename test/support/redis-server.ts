import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answersRedisPing as ping, freePort } from './ports';

/** A throwaway redis-server owned by one test file. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface RedisCluster {
  nodes: Array<{ host: string; port: number }>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const REDIS_SERVER = '/usr/bin/redis-server';

function redisBinary(name: 'redis-server' | 'redis-cli'): string {
  const candidates = [REDIS_SERVER.replace('redis-server', name), `/usr/local/bin/${name}`];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`${name} not found: install it with \`apt-get install redis-server\` (CI installs it)`);
  }
  return found;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Node {
  port: number;
  child: ChildProcess;
}

async function startNode(dir: string, extraArgs: string[] = []): Promise<Node> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'];
  const child = spawn(redisBinary('redis-server'), [...args, '--dir', dir, ...extraArgs], {
    stdio: 'ignore',
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  await waitFor(`redis-server on port ${port}`, async () => {
    if (exited) throw new Error(`redis-server on port ${port} exited at start (port taken?)`);
    return ping(port);
  });
  return { port, child };
}

function stopNode(node: Node): Promise<void> {
  return new Promise((resolve) => {
    if (node.child.exitCode !== null || node.child.signalCode !== null) return resolve();
    node.child.once('exit', () => resolve());
    node.child.kill('SIGTERM');
  });
}

/** Another process can take the free port between our probe and redis-server's bind: try again then. */
async function startNodeWithRetry(dir: string, extraArgs: string[] = []): Promise<Node> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startNode(dir, extraArgs);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Starts a private redis-server on a free loopback port, without persistence.
 *
 * @example
 * const server = await startRedisServer();
 * const stores = await createRedisStores({ url: server.url, retentionMs });
 * // ...
 * await server.stop();
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
  try {
    const node = await startNodeWithRetry(dir);
    return {
      url: `redis://${HOST}:${node.port}`,
      port: node.port,
      async stop() {
        await stopNode(node);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

async function clusterReady(ports: number[]): Promise<boolean> {
  const infos = await Promise.all(
    ports.map((port) => run(redisBinary('redis-cli'), ['-h', HOST, '-p', String(port), 'cluster', 'info'])),
  );
  return infos.every((info) => info.includes('cluster_state:ok'));
}

/**
 * Starts `masters` cluster nodes (no replicas) on free loopback ports and joins them into one cluster.
 * Each node's cluster bus gets its own free port (`--cluster-port`), so nothing assumes port + 10000 is free.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dirs: string[] = [];
  const nodes: Node[] = [];
  const stop = async () => {
    await Promise.all(nodes.map(stopNode));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i += 1) {
      const dir = mkdtempSync(join(tmpdir(), 'parley-redis-cluster-'));
      dirs.push(dir);
      const busPort = await freePort();
      const clusterArgs = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf')];
      nodes.push(await startNodeWithRetry(dir, [...clusterArgs, '--cluster-port', String(busPort)]));
    }
    const ports = nodes.map((n) => n.port);
    const addresses = ports.map((port) => `${HOST}:${port}`);
    await run(redisBinary('redis-cli'), [
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitFor('cluster_state:ok', () => clusterReady(ports));
    return { nodes: ports.map((port) => ({ host: HOST, port })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
