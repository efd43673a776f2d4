import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startRedisServer, type RedisServer } from '../support/redis-server';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const ENTRY = join(__dirname, 'support', 'parley-process.ts');
const SAM = { username: 'sam', password: 'two-process-pw' };

interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: string[];
}

/** Starts a real Parley process (the Acme bot) on a free port and waits for its READY line. */
function startProcess(env: Record<string, string>): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [ENTRY], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const timer = setTimeout(() => reject(new Error(`no READY in 45 s:\n${output.join('')}`)), 45_000);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /READY (\S+)/.exec(output.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], child, output });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited with ${code}:\n${output.join('')}`));
    });
  });
}

function stopProcess(server: ServerProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.removeAllListeners('exit');
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

/** A WebSocket client that collects JSON frames and waits for one matching a predicate. */
async function openSocket(url: string) {
  const socket = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  const waiters: {
    test: (f: Record<string, unknown>) => boolean;
    resolve: (f: Record<string, unknown>) => void;
  }[] = [];
  socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.test(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = (test: (frame: Record<string, unknown>) => boolean, what: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = frames.find(test);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
      waiters.push({
        test,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  return { socket, frames, next, send: (frame: object) => socket.send(JSON.stringify(frame)) };
}

const replyText = (frame: Record<string, unknown>): string =>
  frame.type === 'reply' ? String((frame.reply as { text?: string }).text) : '';

async function api(base: string, method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('two server processes on one Redis', () => {
  let redis: RedisServer;
  let customerSide: ServerProcess;
  let agentSide: ServerProcess;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = {
      REDIS_URL: redis.url,
      PARLEY_AGENT_TOKEN_SECRET: 'two-process-secret-0123456789',
      PARLEY_DEMO_AGENT: `${SAM.username}:${SAM.password}`,
      PARLEY_COMPANY_NAME: 'Acme',
    };
    [customerSide, agentSide] = await Promise.all([startProcess(env), startProcess(env)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([stopProcess(customerSide), stopProcess(agentSide)]);
    await redis?.stop();
  });

  it('lets an agent on one process and a web chat customer on the other talk both ways', async () => {
    const login = await api(agentSide.url, 'POST', '/api/agent/login', undefined, SAM);
    const token = String(login.body.token);
    // A token issued by one process is valid on the other.
    expect((await api(customerSide.url, 'GET', '/api/agent/me', token)).status).toBe(200);

    const desk = await openSocket(`${agentSide.url.replace('http', 'ws')}/api/agent/socket?token=${token}`);
    await desk.next((f) => f.type === 'ready', 'desk ready');
    const customer = await openSocket(`${customerSide.url.replace('http', 'ws')}/webchat/socket`);
    customer.send({ type: 'hello' });
    await customer.next((f) => f.type === 'reply', 'the greeting');
    customer.send({ type: 'message', text: 'I want to talk to a human' });
    await customer.next((f) => /colleague/.test(replyText(f)), 'the handoff reply');

    // The queue on the agent's process learns of the case opened on the customer's process.
    const queued = await desk.next((f) => f.type === 'case', 'the new case on the desk socket');
    const caseId = String((queued.case as { id: string }).id);
    expect(queued.case).toMatchObject({ status: 'queued', channels: ['webchat'] });
    desk.send({ type: 'watch', caseId });

    expect((await api(agentSide.url, 'POST', `/api/cases/${caseId}/claim`, token)).status).toBe(200);
    await customer.next((f) => replyText(f) === "You're now chatting with Sam from Acme.", 'the agent intro');
    const sent = await api(agentSide.url, 'POST', `/api/cases/${caseId}/messages`, token, {
      text: 'Hello from B',
    });
    expect(sent.status).toBe(201);
    const agentReply = await customer.next((f) => replyText(f) === 'Hello from B', 'the agent reply');
    expect(agentReply.reply).toEqual({ from: 'agent', text: 'Hello from B', agentName: 'Sam' });

    customer.send({ type: 'message', text: 'Hello from A' });
    const line = await desk.next(
      (f) => f.type === 'line' && (f.entry as { text?: string }).text === 'Hello from A',
      'the customer line on the desk',
    );
    expect(line).toMatchObject({ caseId, entry: { speaker: 'customer', text: 'Hello from A' } });

    const resolved = await api(agentSide.url, 'POST', `/api/cases/${caseId}/resolve`, token, {
      handBack: true,
    });
    expect(resolved.status).toBe(200);
    await customer.next((f) => /handed you back/.test(replyText(f)), 'the hand-back question');

    const detail = await api(customerSide.url, 'GET', `/api/cases/${caseId}`, token);
    const texts = (detail.body.transcript as { text?: string; event?: string }[]).map(
      (l) => l.event ?? l.text,
    );
    expect(texts.slice(texts.indexOf('case.claimed'))).toEqual([
      'case.claimed',
      "You're now chatting with Sam from Acme.",
      'Hello from B',
      'Hello from A',
      'case.resolved',
      'handback',
      'Sam has handed you back to me. Did we sort everything out for you?',
    ]);
    customer.socket.close();
    desk.socket.close();
  }, 60_000);
});
