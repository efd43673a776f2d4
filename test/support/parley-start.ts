import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'parley.js');

/** `parley start --workers N` as a real process tree: the primary and its workers. */
export interface StartedParley {
  url: string;
  child: ChildProcess;
  output: string[];
  /** SIGTERM to the primary; resolves with its exit code once it (and so every worker) is gone. */
  stop(): Promise<number | null>;
}

/**
 * Runs `node bin/parley.js start --workers N` with `env` on top of a quiet default environment and waits
 * for its "listening on <url>" line (every worker up).
 */
export function startParleyProcess(
  workers: number,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<StartedParley> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start', '--workers', String(workers)], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        PARLEY_RELOAD: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parley start: not listening in ${timeoutMs} ms:\n${output.join('')}`));
    }, timeoutMs);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`parley start exited with ${code}:\n${output.join('')}`));
    };
    child.once('exit', onExit);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /listening on (\S+)/.exec(output.join(''));
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        url: match[1],
        child,
        output,
        stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Which worker process answered (`x-parley-worker`). */
  worker: string;
}

/**
 * One HTTP request on a fresh connection (`Connection: close`), so the cluster's round robin spreads
 * consecutive requests over the workers; `timeoutMs` bounds it (rejects when exceeded).
 */
export function plainRequest(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<PlainResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? (payload ? 'POST' : 'GET'),
        agent: false,
        headers: {
          connection: 'close',
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            worker: String(res.headers['x-parley-worker'] ?? ''),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`request to ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
