import { WebSocket } from 'ws';
import type { Reply } from '../../core/message';
import type { ServerFrame } from '../../connectors/webchat/webchat.protocol';

/**
 * A web chat customer over the real WebSocket protocol: `say` sends a message and resolves the texts of
 * that turn's replies; replies pushed outside a turn (an agent) collect in `pushed`.
 */
export class WebChatCustomer {
  readonly pushed: Reply[] = [];
  private readonly frames: ServerFrame[] = [];
  private wake: (() => void) | undefined;
  private sent = 0;

  private constructor(
    private readonly socket: WebSocket,
    readonly sessionId: string,
  ) {}

  /** Opens a socket on `baseUrl` (`http://127.0.0.1:port`) and starts a session (its greeting is read). */
  static async start(baseUrl: string, locale = 'en-GB'): Promise<WebChatCustomer> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/webchat/socket`);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const frames: ServerFrame[] = [];
    // Frames before the session exists wait in `frames`; afterwards they go to the customer.
    const started: { customer?: WebChatCustomer } = {};
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      const customer = started.customer;
      if (!customer) return void frames.push(frame);
      if (frame.type === 'reply' && frame.replyTo === undefined) customer.pushed.push(frame.reply);
      else customer.frames.push(frame);
      customer.wake?.();
    });
    socket.send(JSON.stringify({ type: 'hello', locale }));
    const deadline = Date.now() + 5000;
    while (!frames.some((f) => f.type === 'ready')) {
      if (Date.now() > deadline) throw new Error('no ready frame');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ready = frames.find((f) => f.type === 'ready');
    if (ready?.type !== 'ready') throw new Error('no ready frame');
    const customer = new WebChatCustomer(socket, ready.sessionId);
    started.customer = customer;
    customer.frames.push(...frames.filter((f) => f.type !== 'ready'));
    await customer.untilIdle();
    return customer;
  }

  /** Sends `text` and resolves the texts of the turn's replies. */
  async say(text: string): Promise<string[]> {
    const id = `m${(this.sent += 1)}`;
    this.socket.send(JSON.stringify({ type: 'message', id, text }));
    const replies: string[] = [];
    for (;;) {
      const frame = await this.next();
      if (frame.type === 'error') throw new Error(`web chat error: ${frame.detail}`);
      if (frame.type === 'reply' && frame.replyTo === id) replies.push(frame.reply.text);
      if (frame.type === 'typing' && !frame.active) return replies;
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  /** Reads frames up to the end of the greeting turn. */
  private async untilIdle(): Promise<void> {
    for (;;) {
      const frame = await this.next();
      if (frame.type === 'typing' && !frame.active) return;
    }
  }

  private async next(): Promise<ServerFrame> {
    const deadline = Date.now() + 10_000;
    while (this.frames.length === 0) {
      if (Date.now() > deadline) throw new Error('no web chat frame within 10 s');
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return this.frames.shift() as ServerFrame;
  }
}
