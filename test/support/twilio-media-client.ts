import WebSocket from 'ws';
import { twilioSignature } from '../../connectors/twilio/twilio.signature';
import { toFrames } from '../../connectors/voice/voice.frames';

/** What the fake caller's phone received, in order. */
export type Received =
  | { event: 'media'; audio: Buffer; at: number }
  | { event: 'mark'; name: string; at: number }
  | { event: 'clear'; at: number };

/**
 * A test caller that speaks Twilio's Media Streams protocol to Parley's media socket: a signed upgrade,
 * `connected` and `start` (with the caller's number as a custom parameter), μ-law audio in 20 ms frames,
 * DTMF keys, and marks echoed back as Twilio does once playback reaches them.
 */
export class TwilioMediaClient {
  readonly received: Received[] = [];
  readonly streamSid = `MZ${Math.random().toString(16).slice(2).padEnd(32, '0')}`;
  private readonly ws: WebSocket;
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const event = JSON.parse(data.toString()) as {
        event: string;
        media?: { payload: string };
        mark?: { name: string };
      };
      const at = performance.now();
      if (event.event === 'media' && event.media) {
        this.received.push({ event: 'media', audio: Buffer.from(event.media.payload, 'base64'), at });
      } else if (event.event === 'mark' && event.mark) {
        this.received.push({ event: 'mark', name: event.mark.name, at });
        // Playback reached the mark: Twilio echoes it.
        this.send({ event: 'mark', streamSid: this.streamSid, mark: { name: event.mark.name } });
      } else if (event.event === 'clear') this.received.push({ event: 'clear', at });
      this.waiters.splice(0).forEach((wake) => wake());
    });
    ws.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  /** Opens the stream with a signed upgrade (`token` undefined: unsigned) and sends `connected`/`start`. */
  static async call(
    baseUrl: string,
    options: { token?: string; from: string; callSid: string; signature?: string },
  ): Promise<TwilioMediaClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/webhooks/twilio/media`;
    const signature =
      options.signature ?? (options.token ? twilioSignature(options.token, url, []) : undefined);
    const ws = new WebSocket(url, { headers: signature ? { 'x-twilio-signature': signature } : {} });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    const client = new TwilioMediaClient(ws);
    client.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    client.send({
      event: 'start',
      streamSid: client.streamSid,
      start: {
        streamSid: client.streamSid,
        callSid: options.callSid,
        customParameters: { from: options.from },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    return client;
  }

  send(event: object): void {
    this.ws.send(JSON.stringify(event));
  }

  /** Streams μ-law audio in 20 ms frames, `frameMs` apart (20 = real time). */
  async speak(mulaw: Buffer, frameMs = 20): Promise<void> {
    for (const frame of toFrames(mulaw)) {
      this.send({ event: 'media', streamSid: this.streamSid, media: { payload: frame.toString('base64') } });
      if (frameMs > 0) await new Promise((resolve) => setTimeout(resolve, frameMs));
    }
  }

  dtmf(keys: string): void {
    for (const digit of keys) this.send({ event: 'dtmf', streamSid: this.streamSid, dtmf: { digit } });
  }

  /** Resolves once `check` holds on what was received (or the socket closed), rejects after `ms`. */
  async until(check: (received: Received[]) => boolean, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check(this.received)) {
      if (this.closed) throw new Error('the call ended first');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for the bot');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Marks received so far. */
  marks(): number {
    return this.received.filter((item) => item.event === 'mark').length;
  }

  /** Audio received since index `from`, joined. */
  audioSince(from: number): Buffer {
    return Buffer.concat(
      this.received.slice(from).flatMap((item) => (item.event === 'media' ? [item.audio] : [])),
    );
  }

  hangUp(): void {
    this.send({ event: 'stop', streamSid: this.streamSid });
    this.ws.close();
  }
}
