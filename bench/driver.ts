import { Agent, request } from 'node:http';

/** Checks the replies to one step of the script; returns why they are wrong, or undefined when right. */
export type ReplyCheck = (step: number, sender: string, body: string) => string | undefined;

export interface DriveOptions {
  url: string;
  customers: number;
  durationMs: number;
  /** What each customer says, in order; then a new conversation under a new sender id. */
  script: readonly string[];
  /** Distinguishes runs so conversations never collide across phases. */
  runId: string;
  /** Default: any non-empty JSON array of replies addressed to the sender. */
  check?: ReplyCheck;
  /** Paced load: all customers together send at most this many turns per second. Absent: flat out. */
  ratePerSecond?: number;
  timeoutMs?: number;
  /** Stop once this many turns were answered (with one customer: exactly one conversation). */
  stopAfterTurns?: number;
}

export interface DriveResult {
  turns: number;
  errors: number;
  /** Error kinds (`http_500`, `timeout`, `wrong_reply`, …) with their counts. */
  errorKinds: Record<string, number>;
  /** One wrong reply, to say what went wrong. */
  firstWrong?: string;
  seconds: number;
  turnsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

interface Answer {
  status: number;
  body: string;
}

function post(agent: Agent, url: URL, body: string, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

/** The REST contract's shape: a non-empty array of replies, each addressed to the sender. */
export const anyReply: ReplyCheck = (_step, sender, body) => {
  let replies: unknown;
  try {
    replies = JSON.parse(body);
  } catch {
    return 'not JSON';
  }
  if (!Array.isArray(replies) || replies.length === 0) return 'no reply';
  const strays = replies.filter((r: { recipient_id?: unknown }) => r?.recipient_id !== sender);
  return strays.length ? 'a reply addressed to someone else' : undefined;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Tallies one window's turns; a turn counts only when its reply came back right. */
class Tally {
  readonly latencies: number[] = [];
  readonly errorKinds: Record<string, number> = {};
  errors = 0;
  firstWrong: string | undefined;

  fail(kind: string, detail?: string): void {
    this.errors += 1;
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    if (detail && this.firstWrong === undefined) this.firstWrong = detail;
  }
}

/**
 * N customers, each one conversation at a time: a customer sends its next message only after the reply
 * to the previous one, as a person would (closed loop). With `ratePerSecond` each customer also waits for
 * its next slot, so the whole load is paced; latency is measured from the actual send. A wrong reply ends
 * the conversation (the customer starts a new one), as a person would give up.
 */
export async function drive(options: DriveOptions): Promise<DriveResult> {
  const url = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new Agent({ keepAlive: true, maxSockets: options.customers });
  const tally = new Tally();
  const started = performance.now();
  const deadline = started + options.durationMs;
  const enough = () =>
    options.stopAfterTurns !== undefined && tally.latencies.length >= options.stopAfterTurns;
  const going = () => performance.now() < deadline && !enough();
  const intervalMs = options.ratePerSecond ? (1000 * options.customers) / options.ratePerSecond : 0;

  const customer = async (index: number): Promise<void> => {
    // Spread the paced customers over one interval so they do not all send at once.
    let nextSlot = started + (intervalMs * index) / options.customers;
    for (let conversation = 0; going(); conversation++) {
      const sender = `${options.runId}-c${index}-${conversation}`;
      for (let step = 0; step < options.script.length && going(); step++) {
        if (intervalMs > 0) {
          const wait = nextSlot - performance.now();
          if (wait > 0) await sleep(wait);
          nextSlot = Math.max(nextSlot + intervalMs, performance.now());
        }
        const body = JSON.stringify({ sender, message: options.script[step] });
        const t0 = performance.now();
        let answer: Answer;
        try {
          answer = await post(agent, url, body, timeoutMs);
        } catch (error) {
          tally.fail(error instanceof Error && error.message === 'timeout' ? 'timeout' : 'network');
          await sleep(50); // a dead server is not hammered
          break;
        }
        const elapsed = performance.now() - t0;
        if (answer.status !== 200) {
          tally.fail(`http_${answer.status}`, answer.body.slice(0, 200));
          break;
        }
        const wrong = (options.check ?? anyReply)(step, sender, answer.body);
        if (wrong) {
          tally.fail('wrong_reply', `step ${step} (${options.script[step]}): ${wrong}`);
          break;
        }
        tally.latencies.push(elapsed);
      }
    }
  };
  await Promise.all(Array.from({ length: options.customers }, (_, i) => customer(i)));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(tally.latencies).sort();
  return {
    turns: sorted.length,
    errors: tally.errors,
    errorKinds: tally.errorKinds,
    ...(tally.firstWrong !== undefined ? { firstWrong: tally.firstWrong } : {}),
    seconds,
    turnsPerSecond: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  };
}
