import fc from 'fast-check';
import { WebSocket } from 'ws';
import { caseTopic } from '../../handoff/case-events';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { FUZZ_RUNS, FUZZ_SEED, socketFrame, type SocketFrame } from './support/payloads';
import { startFuzzServer, Tally, type Backend, type FuzzServer } from './support/fuzz-server';

/**
 * The web chat and agent desk sockets fed malformed frames. A frame must be answered (an error frame, or
 * the end of its turn) within a few seconds, never with `internal_error`; the only closes allowed are the
 * protocol's own limits (1007 invalid UTF-8, 1009 frame too big), after which the client reconnects.
 */

const ANSWER_TIMEOUT_MS = 5_000;
/** Closes that are the server refusing a frame, the WebSocket equivalent of a 4xx. */
const REFUSAL_CLOSES = new Set([1007, 1009]);
const RECONNECT_EVERY = 40;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

type Frame = Record<string, unknown> & { type?: string };

/** One client socket that keeps what it received and says when a predicate is met or the socket closed. */
class Client {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  private waiter: (() => void) | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.waiter?.();
    });
    socket.on('close', (code: number) => {
      this.closeCode = code;
      this.waiter?.();
    });
  }

  static async open(url: string): Promise<Client> {
    const socket = new WebSocket(url);
    const client = new Client(socket);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return client;
  }

  send(frame: SocketFrame): void {
    if (frame.kind === 'text') this.socket.send(frame.data);
    else this.socket.send(frame.data, { binary: frame.kind === 'binary' });
  }

  /** Resolves with the first frame from `from` on that matches, or undefined when the socket closed. */
  async until(from: number, test: (frame: Frame) => boolean): Promise<Frame | undefined> {
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const found = this.frames.slice(from).find(test);
      if (found || this.closeCode !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Checks what one frame caused and names it for the tally: `error:<code>`, `close:<code>`, or `fine`. */
function outcome(client: Client, from: number): string {
  let seen = 'fine';
  for (const frame of client.frames.slice(from)) {
    if (frame.type === 'error') seen = `error:${String(frame.error)}`;
    expect(frame.error).not.toBe('internal_error');
  }
  if (client.closeCode !== undefined) {
    expect(REFUSAL_CLOSES.has(client.closeCode)).toBe(true);
    return `close:${client.closeCode}`;
  }
  return seen;
}

/** The end of what one web chat frame causes: an error, a resumed session, or the end of a turn. */
const webChatAnswered = (frame: Frame) =>
  frame.type === 'error' ||
  (frame.type === 'ready' && frame.resumed === true) ||
  (frame.type === 'typing' && frame.active === false);

async function webChatCampaign(server: FuzzServer, name: string): Promise<void> {
  const url = `${server.url.replace('http', 'ws')}/webchat/socket`;
  const tally = new Tally();
  let client: Client | undefined;
  let sentOnSocket = 0;
  let sessionId: string | undefined;
  const frames = socketFrame(['type', 'sessionId', 'id', 'text', 'label'], {
    type: 'message',
    text: 'hello',
  });
  const withTypes = fc.oneof(
    frames,
    socketFrame(['id', 'text', 'label'], { type: 'message', text: 'hello' }),
    socketFrame(['id', 'text', 'label'], { type: 'message', text: 'hello' }),
    socketFrame(['sessionId'], { type: 'hello' }),
    // Well-formed messages with any text (lone surrogates included) reach the pipeline, the NLU and the store.
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 300 })
      .map((text): SocketFrame => ({ kind: 'text', data: JSON.stringify({ type: 'message', text }) })),
    fc.constantFrom('ready', 'HELLO', 'reply').chain((type) => socketFrame(['text'], { type })),
  );
  try {
    await fc.assert(
      fc.asyncProperty(withTypes, fc.boolean(), async (frame, greetFirst) => {
        if (!client || client.closeCode !== undefined || sentOnSocket >= RECONNECT_EVERY) {
          client?.close();
          client = await Client.open(url);
          sentOnSocket = 0;
          if (greetFirst) {
            // Half of the sockets start a session so that frames reach the turn pipeline and the store.
            client.send({
              kind: 'text',
              data: JSON.stringify({ type: 'hello', ...(sessionId ? { sessionId } : {}) }),
            });
            const ready = await client.until(0, (f) => f.type === 'ready');
            sessionId = ready?.sessionId as string | undefined;
            await client.until(0, webChatAnswered);
          }
        }
        const from = client.frames.length;
        client.send(frame);
        sentOnSocket += 1;
        const answer = await client.until(from, webChatAnswered);
        const result = outcome(client, from);
        tally.add(answer?.type === 'typing' ? 'turn' : answer?.type === 'ready' ? 'resumed' : result);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
    );
  } finally {
    (client as Client | undefined)?.close();
  }
  expect(server.errors).toEqual([]);
  if (process.env.PARLEY_FUZZ_RUNS) process.stdout.write(`${tally.summary(name)}\n`);
}

const PROBE_EVERY = 25;
/** The desk socket's `maxPayload`: ws closes the socket (1009) above it. */
const DESK_MAX_PAYLOAD = 16 * 1024;

/**
 * Desk frames are not acknowledged, so every few frames a probe proves the socket still works in order:
 * watch a case, publish a line on the bus, and wait for the line to arrive.
 */
async function probeDesk(server: FuzzServer, client: Client, probe: number): Promise<void> {
  const caseId = `probe-${probe}`;
  const from = client.frames.length;
  client.send({ kind: 'text', data: JSON.stringify({ type: 'watch', caseId }) });
  const text = `probe line ${probe}`;
  const arrived = (f: Frame) => f.type === 'line' && (f.entry as { text?: string }).text === text;
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  while (!client.frames.slice(from).some(arrived)) {
    if (client.closeCode !== undefined) return;
    if (Date.now() > deadline)
      throw new Error(`desk probe ${probe} got no line within ${ANSWER_TIMEOUT_MS} ms`);
    await server.kit.runtime.stores.bus.publish(caseTopic(caseId), {
      type: 'line',
      entry: { at: 0, speaker: 'system', text },
    });
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

async function deskCampaign(server: FuzzServer, name: string): Promise<void> {
  const url = `${server.url.replace('http', 'ws')}/api/agent/socket?token=${server.token}`;
  const tally = new Tally();
  let client: Client | undefined;
  let sinceProbe = 0;
  let probes = 0;
  const countErrors = (done: Client) =>
    tally.note('error:bad_frame', done.frames.filter((f) => f.type === 'error').length);
  const frames = fc.oneof(
    socketFrame(['type', 'caseId'], { type: 'watch', caseId: server.caseId }),
    socketFrame(['caseId'], { type: 'unwatch' }),
  );
  try {
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        if (!client || client.closeCode !== undefined) {
          if (client) countErrors(client);
          client = await Client.open(url);
          await client.until(0, (f) => f.type === 'ready');
        }
        // A frame the socket closes on drops the answers still queued before it: prove those first.
        if (sinceProbe > 0 && (frame.kind === 'bad-utf8' || frame.data.length > DESK_MAX_PAYLOAD)) {
          sinceProbe = 0;
          await probeDesk(server, client, (probes += 1));
        }
        const from = client.frames.length;
        client.send(frame);
        sinceProbe += 1;
        if (sinceProbe >= PROBE_EVERY) {
          sinceProbe = 0;
          await probeDesk(server, client, (probes += 1));
        }
        for (const received of client.frames.slice(from)) {
          if (received.type === 'error') expect(received.error).toBe('bad_frame');
        }
        const result = outcome(client, from);
        // Error frames are counted per socket (countErrors): the frame's own may still be on its way.
        tally.add(result.startsWith('close') ? result : 'sent');
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
    );
    const last = client as Client | undefined;
    if (last && last.closeCode === undefined) await probeDesk(server, last, (probes += 1));
    if (last) countErrors(last);
  } finally {
    (client as Client | undefined)?.close();
  }
  expect(probes).toBeGreaterThan(0);
  expect(server.errors).toEqual([]);
  if (process.env.PARLEY_FUZZ_RUNS)
    process.stdout.write(`${tally.summary(name)}; ${probes} probes answered\n`);
}

describe.each<Backend>(['memory', 'redis'])('WebSocket fuzz on the %s store', (backend) => {
  let server: FuzzServer;
  beforeAll(async () => {
    server = await startFuzzServer(backend, () => redis);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('web chat frames: always answered, never internal_error', async () => {
    await webChatCampaign(server, `${backend} web chat socket`);
  }, 900_000);

  it('desk socket frames: never internal_error, the socket keeps working', async () => {
    await deskCampaign(server, `${backend} desk socket`);
  }, 900_000);
});
