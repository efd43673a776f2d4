import { WebSocket } from 'ws';
import { createHttpServer, type ParleyHttpServer } from '../http/http-server';
import { FakeRuntime, memoryLogger } from '../../test/support/fake-runtime';
import type { ServerFrame } from './webchat.protocol';

/** A test client that queues every frame and lets the test await the next ones in order. */
class Client {
  private readonly frames: ServerFrame[] = [];
  private waiter: (() => void) | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      this.waiter?.();
    });
  }

  static open(url: string, origin?: string): Promise<Client> {
    const socket = new WebSocket(url, origin ? { origin } : {});
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new Client(socket)));
      socket.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async next(): Promise<ServerFrame> {
    const deadline = Date.now() + 5000;
    while (this.frames.length === 0) {
      if (Date.now() > deadline) throw new Error('no frame within 5 s');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.frames.shift() as ServerFrame;
  }

  async take(count: number): Promise<ServerFrame[]> {
    const out: ServerFrame[] = [];
    for (let i = 0; i < count; i += 1) out.push(await this.next());
    return out;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

describe('web chat WebSocket', () => {
  let runtime: FakeRuntime;
  let server: ParleyHttpServer;
  let socketUrl: string;
  let port: number;
  const clients: Client[] = [];
  const open = async (origin?: string) => {
    const client = await Client.open(socketUrl, origin);
    clients.push(client);
    return client;
  };
  /** Opens a socket and completes a new session, returning the client and its session id. */
  const started = async () => {
    const client = await open();
    client.send({ type: 'hello' });
    const ready = await client.next();
    if (ready.type !== 'ready') throw new Error(`expected ready, got ${ready.type}`);
    await client.take(3); // greeting turn: typing, reply, typing
    return { client, sessionId: ready.sessionId };
  };

  beforeEach(async () => {
    runtime = new FakeRuntime();
    server = createHttpServer({
      runtime,
      logger: memoryLogger(),
      webChat: { allowedOrigins: ['https://shop.example'], maxFrameBytes: 3000 },
    });
    const address = await server.listen(0);
    port = address.port;
    socketUrl = `ws://127.0.0.1:${port}/webchat/socket`;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
  });

  it('starts a new session with a greeting turn', async () => {
    const client = await open();
    client.send({ type: 'hello' });
    const [ready, typingOn, greeting, typingOff] = await client.take(4);
    expect(ready).toEqual({
      type: 'ready',
      sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      resumed: false,
    });
    expect(typingOn).toEqual({ type: 'typing', active: true });
    expect(greeting).toEqual({ type: 'reply', reply: { from: 'bot', text: 'Hi! How can I help?' } });
    expect(typingOff).toEqual({ type: 'typing', active: false });
    const sessionId = (ready as { sessionId: string }).sessionId;
    expect(runtime.handled[0]).toMatchObject({
      channel: 'webchat',
      kind: 'launch',
      channelUserId: sessionId,
      conversationId: `webchat:${sessionId}`,
    });
  });

  it('answers a message with its replies, tagged with the client message id', async () => {
    const { client, sessionId } = await started();
    runtime.reply = () => [
      { from: 'bot', text: 'Sure.' },
      { from: 'bot', text: 'Pick one', buttons: [{ title: 'Track my order', payload: '/order_status' }] },
    ];
    client.send({ type: 'message', id: 'c1', text: 'help' });
    expect(await client.take(4)).toEqual([
      { type: 'typing', active: true },
      { type: 'reply', replyTo: 'c1', reply: { from: 'bot', text: 'Sure.' } },
      {
        type: 'reply',
        replyTo: 'c1',
        reply: {
          from: 'bot',
          text: 'Pick one',
          buttons: [{ title: 'Track my order', payload: '/order_status' }],
        },
      },
      { type: 'typing', active: false },
    ]);
    expect(runtime.handled[1]).toMatchObject({
      kind: 'text',
      text: 'help',
      messageId: 'c1',
      conversationId: `webchat:${sessionId}`,
    });
  });

  it('resumes an existing session without greeting again', async () => {
    const { client, sessionId } = await started();
    await client.close();
    const again = await open();
    again.send({ type: 'hello', sessionId });
    expect(await again.next()).toEqual({
      type: 'ready',
      sessionId,
      resumed: true,
      history: [{ speaker: 'bot', text: 'Hi! How can I help?' }],
    });
    again.send({ type: 'message', id: 'c2', text: 'still there?' });
    await again.take(3);
    expect(runtime.handled.map((m) => m.kind)).toEqual(['launch', 'text']);
    expect(runtime.handled[1].conversationId).toBe(`webchat:${sessionId}`);
  });

  it('shows a resumed session what an agent said while it was away, and button titles as shown', async () => {
    const { client, sessionId } = await started();
    client.send({ type: 'message', id: 'b1', text: '/order_status', label: 'Track my order' });
    await client.take(3);
    expect(runtime.handled.at(-1)).toMatchObject({ text: '/order_status', label: 'Track my order' });
    await client.close();
    runtime.deliverNow(`webchat:${sessionId}`, {
      from: 'agent',
      agentName: 'Dana',
      text: 'Your parcel is out for delivery.',
    });

    const again = await open();
    again.send({ type: 'hello', sessionId });
    const ready = (await again.next()) as { history: unknown[] };
    expect(ready.history).toEqual([
      { speaker: 'bot', text: 'Hi! How can I help?' },
      { speaker: 'customer', text: 'Track my order' },
      { speaker: 'bot', text: 'You said: /order_status' },
      { speaker: 'agent', agentName: 'Dana', text: 'Your parcel is out for delivery.' },
    ]);
  });

  it('delivers a pushed agent reply live, and stops listening when the socket closes', async () => {
    const { client, sessionId } = await started();
    const conversationId = `webchat:${sessionId}`;
    expect(
      runtime.deliverNow(conversationId, { from: 'agent', agentName: 'Dana', text: 'Hello, Dana here.' }),
    ).toBe(1);
    expect(await client.next()).toEqual({
      type: 'reply',
      reply: { from: 'agent', agentName: 'Dana', text: 'Hello, Dana here.' },
    });
    await client.close();
    await waitFor(() => runtime.listenerCount(conversationId) === 0);
  });

  describe('bad frames get an error frame and the socket stays usable', () => {
    it.each([
      ['not JSON', '{oops', 'bad_frame', /not valid JSON/],
      ['an unknown type', { type: 'shout', text: 'hi' }, 'bad_frame', /type/],
      ['an unexpected field', { type: 'message', text: 'hi', html: '<b>' }, 'bad_frame', /html/],
      ['an empty text', { type: 'message', text: '   ' }, 'bad_frame', /text/],
      [
        'a text over 2000 characters',
        { type: 'message', text: 'x'.repeat(2001) },
        'bad_frame',
        /text: Too big/,
      ],
      [
        'a frame over maxFrameBytes',
        { type: 'message', text: 'x'.repeat(3000) },
        'frame_too_large',
        /3000 bytes/,
      ],
      ['a malformed session id', { type: 'hello', sessionId: 'short' }, 'bad_frame', /sessionId/],
      ['a JSON array', [1, 2], 'bad_frame', /frame/],
    ])('%s', async (_name, frame, error, detail) => {
      const { client } = await started();
      client.send(frame);
      expect(await client.next()).toEqual({ type: 'error', error, detail: expect.stringMatching(detail) });
      client.send({ type: 'message', id: 'after', text: 'still works' });
      expect(await client.take(3)).toContainEqual(
        expect.objectContaining({ type: 'reply', replyTo: 'after' }),
      );
    });

    it('a binary frame', async () => {
      const { client } = await started();
      client.socket.send(Buffer.from([1, 2, 3]));
      expect(await client.next()).toEqual({
        type: 'error',
        error: 'bad_frame',
        detail: 'binary frames are not accepted',
      });
    });

    it('a frame far over the limit closes that socket (1009), not the server', async () => {
      const { client } = await started();
      const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
      client.send({ type: 'message', text: 'x'.repeat(100_000) });
      expect(await closed).toBe(1009);
      const other = await open();
      other.send({ type: 'hello' });
      expect((await other.next()).type).toBe('ready');
    });

    it('too many messages at once', async () => {
      const { client } = await started();
      let release: () => void = () => undefined;
      runtime.reply = () =>
        new Promise((resolve) => (release = () => resolve([{ from: 'bot', text: 'done' }])));
      for (let i = 0; i < 6; i += 1) client.send({ type: 'message', id: `m${i}`, text: 'hello?' });
      const frames = [await client.next(), await client.next()];
      expect(frames).toContainEqual({
        type: 'error',
        error: 'busy',
        detail: 'too many messages at once; wait for the reply',
      });
      release();
    });

    it('a message before hello', async () => {
      const client = await open();
      client.send({ type: 'message', id: 'early', text: 'hi' });
      expect(await client.next()).toEqual({
        type: 'error',
        error: 'hello_required',
        detail: 'send a hello frame first',
        replyTo: 'early',
      });
      expect(runtime.handled).toHaveLength(0);
    });

    it('a second hello', async () => {
      const { client } = await started();
      client.send({ type: 'hello' });
      expect(await client.next()).toMatchObject({ type: 'error', error: 'bad_frame' });
    });
  });

  it('tells the customer a turn failed without internals', async () => {
    const { client } = await started();
    runtime.reply = () => {
      throw new Error('dialog snapshot corrupt at key {conv:1}:state');
    };
    client.send({ type: 'message', id: 'c9', text: 'hi' });
    const frames = await client.take(3);
    expect(frames[1]).toEqual({
      type: 'error',
      error: 'internal_error',
      detail: 'Sorry, something went wrong on our side. Please try again.',
      replyTo: 'c9',
    });
    expect(JSON.stringify(frames)).not.toMatch(/snapshot|conv:1/);
    expect(frames[2]).toEqual({ type: 'typing', active: false });
  });

  it('refuses a socket from a foreign origin and accepts its own and listed origins', async () => {
    await expect(Client.open(socketUrl, 'https://evil.example')).rejects.toThrow(/403/);
    const own = await open(`http://127.0.0.1:${port}`);
    const listed = await open('https://shop.example');
    own.send({ type: 'hello' });
    listed.send({ type: 'hello' });
    expect((await own.next()).type).toBe('ready');
    expect((await listed.next()).type).toBe('ready');
  });

  it('closes a socket that never says hello', async () => {
    await server.close();
    server = createHttpServer({ runtime, logger: memoryLogger(), webChat: { helloTimeoutMs: 100 } });
    port = (await server.listen(0)).port;
    const silent = await Client.open(`ws://127.0.0.1:${port}/webchat/socket`);
    const code = await new Promise<number>((resolve) => silent.socket.once('close', (c) => resolve(c)));
    expect(code).toBe(1008);
  });

  it('answers 404 to an upgrade on an unknown path', async () => {
    await expect(Client.open(`ws://127.0.0.1:${port}/nope`)).rejects.toThrow(/404/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
