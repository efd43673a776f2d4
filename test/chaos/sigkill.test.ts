import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Stores } from '../../core/ports';
import { createRedisStores } from '../../stores/redis';
import { startRedisServer, type RedisServer } from '../support/redis-server';

/*
 * SIGKILL of a real Parley process mid-turn, with turns queued behind it on it and on a second process
 * sharing the Redis. PARLEY_CHAOS_RUNS repeats the scenario (default 1).
 */

const RUNS = Math.max(1, Number(process.env.PARLEY_CHAOS_RUNS ?? 1));
const SLOW_MS = 4000;
const WORKER = join(__dirname, '..', 'support', 'chaos-worker.ts');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let redis: RedisServer;
let store: Stores;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  store = await createRedisStores({ url: redis.url, retentionMs: 3_600_000 });
});

afterAll(async () => {
  for (const worker of workers)
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await store?.close();
  await redis?.stop();
});

/** Starts a worker process (default turn lease) and resolves its webhook URL once it listens. */
async function startWorker(...args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redis.url, DOTENV_CONFIG_QUIET: 'true' };
  delete env.PARLEY_TURN_LEASE_MS;
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, String(SLOW_MS), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  workers.push(child);
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`chaos worker exited (${code}) before listening`)));
  });
  return { url: `${url}/webhooks/rest/webhook`, child };
}

/** Sends a REST message; resolves its reply texts when acknowledged (200), undefined when not. */
async function send(url: string, sender: string, id: string, text: string): Promise<string[] | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender, message: text, metadata: { message_id: id } }),
    });
    if (response.status !== 200) return undefined;
    return ((await response.json()) as Array<{ text: string }>).map((r) => r.text);
  } catch {
    return undefined; // the connection died with the process: not acknowledged
  }
}

/** Every customer line once, and the dialog stepped exactly once per message. */
async function expectEachOnce(conversationId: string, texts: string[]): Promise<void> {
  const lines = await store.transcripts.read(conversationId);
  const said = lines.filter((l) => l.speaker === 'customer').map((l) => l.text);
  expect([...said].sort()).toEqual([...texts].sort());
  const steps = lines.filter((l) => l.speaker === 'bot').map((l) => /\(step (\d+)\)/.exec(l.text ?? '')?.[1]);
  expect(steps).toEqual(texts.map((_, i) => String(i + 1)));
  expect((await store.conversations.get(conversationId))?.dialog).toBe(texts.length);
}

describe.each(Array.from({ length: RUNS }, (_, i) => i + 1))('SIGKILL mid-turn (run %i)', (run) => {
  it('loses nothing acknowledged, duplicates nothing, and answers within 5 s of the death', async () => {
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const sender = `chaos-${run}`;
    const acknowledged = new Map<string, string>();
    const ack = (id: string, text: string) => (replies: string[] | undefined) => {
      if (replies) acknowledged.set(id, text);
      return replies;
    };
    expect(await send(a.url, sender, 'm1', 'hello').then(ack('m1', 'hello'))).toEqual(['hello (step 1)']);
    // A slow turn on A, two turns queued behind it on A and one on B.
    const onA = [
      send(a.url, sender, 'm2', 'slow order look-up').then(ack('m2', 'slow order look-up')),
      sleep(200).then(() => send(a.url, sender, 'm3', 'queued on a').then(ack('m3', 'queued on a'))),
      sleep(250).then(() =>
        send(a.url, sender, 'm4', 'also queued on a').then(ack('m4', 'also queued on a')),
      ),
    ];
    await sleep(300);
    const onB = send(b.url, sender, 'm5', 'queued on b').then(ack('m5', 'queued on b'));
    await sleep(300);
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    expect(await Promise.all(onA)).toEqual([undefined, undefined, undefined]);
    expect(await onB).toEqual(['queued on b (step 2)']);
    const recoveredMs = Date.now() - killedAt;
    expect(recoveredMs).toBeLessThan(5000);
    // The clients retry what was never acknowledged, with the same ids, on the survivor.
    const retries = [
      ['m2', 'slow order look-up'],
      ['m3', 'queued on a'],
      ['m4', 'also queued on a'],
    ] as const;
    for (const [id, text] of retries)
      expect(await send(b.url, sender, id, text).then(ack(id, text))).toBeDefined();
    expect([...acknowledged.keys()].sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    await expectEachOnce(`rest:${sender}`, [...acknowledged.values()]);
    b.child.kill('SIGKILL');
    process.stdout.write(`chaos run ${run}: answered ${recoveredMs} ms after the SIGKILL\n`);
  }, 60_000);

  it('answers a retry from the record when the process died after the commit, before the reply', async () => {
    const dying = await startWorker('--die-after-commit');
    const sender = `chaos-commit-${run}`;
    expect(await send(dying.url, sender, 'm1', 'hello')).toEqual(['hello (step 1)']);
    expect(await send(dying.url, sender, 'm2', 'die after commit')).toBeUndefined();
    const survivor = await startWorker();
    expect(await send(survivor.url, sender, 'm2', 'die after commit')).toEqual(['die after commit (step 2)']);
    await expectEachOnce(`rest:${sender}`, ['hello', 'die after commit']);
    survivor.child.kill('SIGKILL');
  }, 60_000);
});
