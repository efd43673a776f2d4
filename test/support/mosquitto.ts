import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

/** A throwaway Mosquitto broker owned by one test file. */
export interface MosquittoBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

function mosquittoBinary(): string {
  const found = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'].find((path) =>
    existsSync(path),
  );
  if (!found)
    throw new Error('mosquitto not found: install it with `apt-get install mosquitto` (CI installs it)');
  return found;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function startOnce(dir: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  // Loopback only, anonymous (the test's own broker), nothing persisted.
  writeFileSync(
    config,
    [
      `listener ${port} ${HOST}`,
      'allow_anonymous true',
      'persistence false',
      // Parley's subscription may fall behind a flood: queue without limit rather than drop (default 1000).
      'max_queued_messages 0',
      '',
    ].join('\n'),
  );
  const child = spawn(mosquittoBinary(), ['-c', config], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`mosquitto on port ${port} exited at start (port taken?)`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`timed out waiting for mosquitto on port ${port}`);
    }
    await sleep(20);
  }
  return { port, child };
}

/**
 * Starts a private Mosquitto 2 broker on a free loopback port, with a config file of its own.
 *
 * @example
 * const broker = await startMosquitto();
 * const client = await mqtt.connectAsync(broker.url);
 * // ...
 * await broker.stop();
 */
export async function startMosquitto(): Promise<MosquittoBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mosquitto-'));
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { port, child } = await startOnce(dir);
      return {
        url: `mqtt://${HOST}:${port}`,
        port,
        stop: () =>
          new Promise<void>((resolve) => {
            const done = () => {
              rmSync(dir, { recursive: true, force: true });
              resolve();
            };
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      };
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}
