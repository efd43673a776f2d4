import { Agent, request } from 'node:http';

export interface DriveOptions {
  url: string;
  customers: number;
  durationMs: number;
  /** What each customer says, in order, again and again. */
  script: readonly string[];
  /** Distinguishes runs so conversations never collide across phases. */
  runId: string;
}

export interface DriveResult {
  turns: number;
  errors: number;
  seconds: number;
  turnsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function post(agent: Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

/**
 * N customers, each one conversation at a time: a customer sends its next message only after the reply
 * to the previous one, as a person would. Bounded by time; every request goes to loopback.
 */
export async function drive(options: DriveOptions): Promise<DriveResult> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.customers });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const customer = async (index: number): Promise<void> => {
    for (let turn = 0; performance.now() < deadline; turn++) {
      const conversation = Math.floor(turn / options.script.length);
      const sender = `${options.runId}-c${index}-${conversation}`;
      const message = options.script[turn % options.script.length] ?? '';
      const body = JSON.stringify({ sender, message });
      const t0 = performance.now();
      try {
        const status = await post(agent, url, body);
        if (status !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.customers }, (_, i) => customer(i)));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    turns: latencies.length,
    errors,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
  };
}
