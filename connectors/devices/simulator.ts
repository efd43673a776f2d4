import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { JsonObject } from '../../core/json';
import { envelopeSchema, seal, signatureValid, type Envelope } from './envelope';
import { deviceTopics } from './topics';

/** How the simulated device behaves after a command: works again, still broken, or never answers. */
export type SimulatedOutcome = 'fixed' | 'broken' | 'silent';

export interface SimulatedDeviceOptions {
  deviceId: string;
  secret: string;
  /** `mqtt://host:port`, or Parley's base URL (`http://127.0.0.1:3000`) for an HTTP device. */
  mqttUrl?: string;
  httpUrl?: string;
  outcome?: SimulatedOutcome;
  now?: () => number;
  /** Told each step (what was sent, what came back). */
  log?: (line: string) => void;
}

export interface SentMessage {
  envelope: Envelope;
  /** The HTTP status, for HTTP devices. */
  status?: number;
}

/**
 * A connected device for designers and tests: it signs events exactly as a real one must (README,
 * "Devices"), sends them over MQTT or HTTP, checks the signature of every command it gets, and answers it.
 */
export class SimulatedDevice {
  private client?: MqttClient;
  readonly commands: Envelope[] = [];
  private readonly waiting: Array<(command: Envelope) => void> = [];

  constructor(private readonly options: SimulatedDeviceOptions) {}

  /** Connects (MQTT) and listens for commands. */
  async start(): Promise<this> {
    if (!this.options.mqttUrl) return this;
    this.client = await connectAsync(this.options.mqttUrl, { protocolVersion: 5, reconnectPeriod: 0 });
    this.client.on('message', (_topic, payload) => {
      void this.onCommand(safeJson(payload.toString('utf8')));
    });
    await this.client.subscribeAsync(deviceTopics.commands(this.options.deviceId), { qos: 1 });
    return this;
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
  }

  /** A signed envelope for `event`; `overrides` make it stale, replayed or forged on purpose. */
  envelope(event: JsonObject, overrides: Partial<Envelope> & { secret?: string } = {}): Envelope {
    const { secret = this.options.secret, signature, ...fields } = overrides;
    const sealed = seal(
      {
        deviceId: this.options.deviceId,
        timestamp: (this.options.now ?? Date.now)(),
        nonce: randomBytes(12).toString('hex'),
        event,
        ...fields,
      },
      secret,
    );
    return signature ? { ...sealed, signature } : sealed;
  }

  fault(code: string, telemetry: JsonObject = { wan: 'down' }): Envelope {
    return this.envelope({ type: 'fault', code, severity: 'major', telemetry });
  }

  /** Sends an envelope as is (events, or results for a `results` topic). */
  async send(envelope: Envelope, topic: 'events' | 'results' = 'events'): Promise<SentMessage> {
    const { deviceId, mqttUrl, httpUrl } = this.options;
    this.options.log?.(`device ${deviceId} → ${JSON.stringify(envelope.event)}`);
    if (mqttUrl && this.client) {
      await this.client.publishAsync(deviceTopics[topic](deviceId), JSON.stringify(envelope), { qos: 1 });
      return { envelope };
    }
    if (!httpUrl) throw new Error('the simulated device needs an MQTT or an HTTP URL');
    const response = await fetch(`${httpUrl}/webhooks/devices/${encodeURIComponent(deviceId)}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope),
    });
    const body = (await response.json().catch(() => ({}))) as { commands?: unknown[] };
    for (const command of body.commands ?? []) await this.onCommand(command);
    return { envelope, status: response.status };
  }

  /** Resolves with the next command Parley sends (or one already received and not yet taken). */
  nextCommand(timeoutMs = 5000): Promise<Envelope> {
    const ready = this.commands.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no command arrived')), timeoutMs);
      this.waiting.push((command) => {
        clearTimeout(timer);
        resolve(command);
      });
    });
  }

  private async onCommand(raw: unknown): Promise<void> {
    const parsed = envelopeSchema.safeParse(raw);
    if (!parsed.success || !signatureValid(parsed.data, this.options.secret)) {
      this.options.log?.('device ignored a command with a bad signature');
      return;
    }
    const command = parsed.data;
    this.options.log?.(`device ${this.options.deviceId} ← ${JSON.stringify(command.event)}`);
    const waiter = this.waiting.shift();
    if (waiter) waiter(command);
    else this.commands.push(command);
    await this.answer(command);
  }

  /** Answers a command as `outcome` says: its result, then fresh telemetry. */
  private async answer(command: Envelope): Promise<void> {
    const outcome = this.options.outcome ?? 'fixed';
    if (outcome === 'silent') return;
    const commandId = String(command.event.commandId);
    await this.send(this.envelope({ type: 'result', commandId, ok: true }), 'results');
    await this.send(
      this.envelope({ type: 'telemetry', telemetry: { wan: outcome === 'fixed' ? 'up' : 'down' } }),
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
