import { readFile, readdir } from 'node:fs/promises';
import { WebSocket } from 'ws';
import { createRedisStores } from '../../stores/redis';
import type { Stores } from '../../core/ports';
import { startRedisCluster, type RedisCluster } from '../support/redis-server';
import { plainRequest, startParleyProcess, type StartedParley } from '../support/parley-start';

const SAM = { username: 'sam', password: 'workers-test-pw' };
const WEBHOOK = '/webhooks/rest/webhook';

interface RestReply {
  text: string;
}

/** A web chat socket that collects reply texts. */
async function webChat(url: string) {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/webchat/socket`);
  const texts: string[] = [];
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as { type: string; reply?: { text: string } };
    if (frame.type === 'reply' && frame.reply) texts.push(frame.reply.text);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const waitFor = async (test: (text: string) => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!texts.some(test)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(texts)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return { socket, texts, waitFor, send: (frame: object) => socket.send(JSON.stringify(frame)) };
}

describe('parley start --workers 2 on a three-master Redis Cluster', () => {
  let cluster: RedisCluster;
  let parley: StartedParley;
  let stores: Stores;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    parley = await startParleyProcess(2, {
      REDIS_CLUSTER_NODES: cluster.nodes.map((n) => `${n.host}:${n.port}`).join(','),
      PARLEY_AGENT_TOKEN_SECRET: 'workers-cluster-secret-0123456789',
      PARLEY_DEMO_AGENT: `${SAM.username}:${SAM.password}`,
      PARLEY_COMPANY_NAME: 'Acme',
    });
    stores = await createRedisStores({ cluster: cluster.nodes, retentionMs: 86_400_000 });
  }, 90_000);

  afterAll(async () => {
    await stores?.close();
    await parley?.stop();
    await cluster?.stop();
  });

  it('keeps one state and one transcript for a conversation whose turns alternate between the workers', async () => {
    const say = async (text: string, id: string) => {
      const res = await plainRequest(`${parley.url}${WEBHOOK}`, {
        body: { sender: 'alternating', message: text, metadata: { message_id: id } },
      });
      expect(res.status).toBe(200);
      return { worker: res.worker, texts: (JSON.parse(res.body) as RestReply[]).map((r) => r.text) };
    };
    const turns = [
      await say('/order_status', 'm1'),
      await say('not a number', 'm2'),
      await say('A1001', 'm3'),
    ];
    // Fresh connections go round robin: consecutive turns were answered by different processes.
    const workers = turns.map((t) => t.worker);
    expect(new Set(workers).size).toBe(2);
    expect(workers[0]).not.toBe(workers[1]);
    expect(workers[1]).not.toBe(workers[2]);
    // Each worker continued the dialog where the other left it.
    expect(turns[0]?.texts.join(' ')).toMatch(/order number/);
    expect(turns[1]?.texts.join(' ')).toMatch(/I need an order number like A1001/);
    expect(turns[2]?.texts.join(' ')).toMatch(/A1001/);
    expect(turns[2]?.texts.join(' ')).not.toMatch(/I need an order number/);

    const lines = await stores.transcripts.read('rest:alternating');
    const customer = lines.filter((l) => l.speaker === 'customer').map((l) => l.messageId);
    expect(customer).toEqual(['m1', 'm2', 'm3']);
  }, 30_000);

  it('delivers agent replies sent through either worker to a web chat socket held by one of them', async () => {
    const customer = await webChat(parley.url);
    customer.send({ type: 'hello' });
    await customer.waitFor(() => true, 'the greeting');
    customer.send({ type: 'message', text: 'I want to talk to a human' });
    await customer.waitFor((t) => /colleague/.test(t), 'the handoff reply');

    const login = await plainRequest(`${parley.url}/api/agent/login`, { body: SAM });
    const token = (JSON.parse(login.body) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    const queue = await plainRequest(`${parley.url}/api/cases`, { headers: auth });
    const caseId = (JSON.parse(queue.body) as { cases: { id: string }[] }).cases[0]?.id;
    expect(caseId).toBeDefined();
    const claim = await plainRequest(`${parley.url}/api/cases/${caseId}/claim`, {
      method: 'POST',
      headers: auth,
    });
    expect(claim.status).toBe(200);

    // The socket lives on one worker; replies are sent until each worker has sent one, so at least one
    // had to cross from the other process through the cluster's sharded pub/sub.
    const senders = new Set<string>();
    for (let i = 0; i < 6 && senders.size < 2; i += 1) {
      const text = `Agent line ${i}`;
      const sent = await plainRequest(`${parley.url}/api/cases/${caseId}/messages`, {
        body: { text },
        headers: auth,
      });
      expect(sent.status).toBe(201);
      senders.add(sent.worker);
      await customer.waitFor((t) => t === text, `"${text}" sent through worker ${sent.worker}`);
    }
    expect(senders.size).toBe(2);
    customer.socket.close();
  }, 30_000);

  it('restarts a worker that dies, and stops every process on SIGTERM', async () => {
    const workerOf = async () => (await plainRequest(`${parley.url}/healthz`)).worker;
    const workerPids = await childPids(parley.child.pid ?? 0);
    expect(workerPids).toHaveLength(2);
    process.kill(workerPids[0] as number, 'SIGKILL');
    // Worker ids grow with each fork: a third one takes the dead one's place.
    await until('a replacement worker', async () => ((await workerOf()) === '3' ? true : undefined));
    const running = await childPids(parley.child.pid ?? 0);
    expect(running).toHaveLength(2);
    expect(running).not.toContain(workerPids[0]);

    expect(await parley.stop()).toBe(0);
    expect(running.filter(isAlive)).toEqual([]);
    expect(parley.output.join('')).toMatch(/SIGTERM: stopping 2 workers/);
  }, 40_000);
});

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The direct children of `pid`, from /proc (Linux). */
async function childPids(pid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The field after the parenthesised command name is the state, then the parent pid.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    // tsx keeps an esbuild service beside the workers: it is no worker.
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (parent === pid && !command.includes('esbuild')) pids.push(Number(entry));
  }
  return pids;
}
