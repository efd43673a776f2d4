import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../core/ports';
import { silentLogger } from '../../stores/silent-logger';
import { createIntentTrigger } from '../triggers/intents';
import { triggerRuntime } from '../../test/support/trigger-runtime';
import { createCaseExportHook } from './case-export-hook';
import { installHubExport } from './index';
import { sampleCase } from '../../test/support/handoff-export';
import {
  createWebhookSender,
  parseRetryAfter,
  signWebhook,
  verifyWebhookSignature,
  type DeliveryFailedLine,
  type WebhookOptions,
} from './webhook';

const SECRET = 'shared-secret';
const NOW = Date.UTC(2025, 0, 18, 19, 5);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A hub that answers each request with the next scripted status (the last one repeats). */
async function startHub(statuses: Array<number | { status: number; headers: Record<string, string> }>) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = statuses[Math.min(received.length, statuses.length) - 1] ?? 200;
      const { status, headers } = typeof next === 'number' ? { status: next, headers: {} } : next;
      // Not chained: restify (loaded by other suites in the same worker) patches writeHead to return nothing.
      res.writeHead(status, headers);
      res.end(status < 300 ? '{"ok":true}' : '{"error":"nope"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/parley?token=abc`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function sender(url: string, extra: Partial<WebhookOptions> = {}) {
  const sleeps: number[] = [];
  const failures: Array<{ conversationId: string; line: DeliveryFailedLine }> = [];
  const errors: object[] = [];
  const logger: Logger = { ...silentLogger, error: (fields) => errors.push(fields), child: () => logger };
  const webhook = createWebhookSender({
    url,
    secret: SECRET,
    logger,
    clock: { now: () => NOW },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onFailure: async (conversationId, line) => {
      failures.push({ conversationId, line });
    },
    ...extra,
  });
  return { webhook, sleeps, failures, errors };
}

const hubs: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});
async function hub(statuses: Parameters<typeof startHub>[0]) {
  const started = await startHub(statuses);
  hubs.push(started);
  return started;
}

describe('createWebhookSender', () => {
  it('retries 5xx with growing, jittered back-off and succeeds with a stable idempotency key', async () => {
    const { url, received } = await hub([500, 502, 503, 200]);
    const { webhook, sleeps, failures } = sender(url, { baseDelayMs: 100 });
    const result = await webhook.deliver(sampleCase());
    expect(result).toEqual({ ok: true, attempts: 4, status: 200 });
    expect(received).toHaveLength(4);
    // random() = 0.5 → three quarters of each doubling step.
    expect(sleeps).toEqual([75, 150, 300]);
    expect(new Set(received.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set(['case-42:case.created']),
    );
    expect(failures).toEqual([]);
  });

  it('signs timestamp and body so the hub can verify, and sends the whole package as JSON', async () => {
    const { url, received } = await hub([200]);
    await sender(url).webhook.deliver(sampleCase());
    const [request] = received;
    const headers = request?.headers ?? {};
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-parley-event']).toBe('case.created');
    expect(headers['x-parley-timestamp']).toBe(String(NOW / 1000));
    const body = request?.body ?? '';
    expect(headers['x-parley-signature']).toBe(signWebhook(SECRET, String(NOW / 1000), body));
    const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({
        secret: SECRET,
        body,
        timestamp: headers['x-parley-timestamp'] as string,
        signature: headers['x-parley-signature'] as string,
        now: NOW + 1000,
        ...overrides,
      });
    expect(verify({})).toBe(true);
    expect(verify({ body: body.replace('SW1A', 'XXXX') })).toBe(false);
    expect(verify({ secret: 'other' })).toBe(false);
    expect(verify({ now: NOW + 10 * 60_000 })).toBe(false); // a replay ten minutes later
    const parsed = JSON.parse(body) as {
      event: string;
      case: { id: string };
      package: { transcript: unknown[] };
    };
    expect(parsed.event).toBe('case.created');
    expect(parsed.case.id).toBe('case-42');
    expect(parsed.package).toEqual(JSON.parse(JSON.stringify(sampleCase().package)));
  });

  it('honours Retry-After on 429', async () => {
    const { url, received } = await hub([{ status: 429, headers: { 'retry-after': '7' } }, 200]);
    const { webhook, sleeps } = sender(url);
    expect(await webhook.deliver(sampleCase())).toMatchObject({ ok: true, attempts: 2 });
    expect(received).toHaveLength(2);
    expect(sleeps).toEqual([7000]);
  });

  it('does not retry other 4xx, and records the failure in the conversation and the log', async () => {
    const { url, received } = await hub([400]);
    const { webhook, sleeps, failures, errors } = sender(url);
    const result = await webhook.deliver(sampleCase());
    expect(result).toEqual({ ok: false, attempts: 1, status: 400, error: 'HTTP 400' });
    expect(received).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(failures).toEqual([
      {
        conversationId: 'conv-7',
        line: {
          speaker: 'system',
          event: 'handoff.delivery_failed',
          data: expect.objectContaining({ caseId: 'case-42', status: 400, attempts: 1 }),
        },
      },
    ]);
    expect(errors).toHaveLength(1);
    // The log names the hub's origin, never the token in its URL.
    expect(JSON.stringify([errors, failures])).not.toContain('token=abc');
  });

  it('gives up after the last attempt against a hub that always fails', async () => {
    const { url, received } = await hub([503]);
    const { webhook, sleeps, failures, errors } = sender(url, {
      maxAttempts: 4,
      baseDelayMs: 1000,
      maxDelayMs: 2000,
    });
    const result = await webhook.deliver(sampleCase(), 'case.updated');
    expect(result).toEqual({ ok: false, attempts: 4, status: 503, error: 'HTTP 503' });
    expect(received).toHaveLength(4);
    expect(received.every((r) => r.headers['idempotency-key'] === 'case-42:case.updated')).toBe(true);
    expect(sleeps).toEqual([750, 1500, 1500]); // capped at maxDelayMs
    expect(failures[0]?.line.data).toMatchObject({ event: 'case.updated', attempts: 4, status: 503 });
    expect(errors).toEqual([expect.objectContaining({ caseId: 'case-42', attempts: 4 })]);
  });

  it('retries network errors', async () => {
    const { url, close } = await startHub([200]);
    await close(); // nothing listens on that port any more
    const { webhook, sleeps, failures } = sender(url, { maxAttempts: 3 });
    const result = await webhook.deliver(sampleCase());
    expect(result).toMatchObject({ ok: false, attempts: 3 });
    expect(result.ok ? undefined : result.status).toBeUndefined();
    expect(sleeps).toHaveLength(2);
    expect(failures).toHaveLength(1);
  });

  it('keeps going when recording the failure itself fails', async () => {
    const { url } = await hub([400]);
    const { webhook, errors } = sender(url, {
      onFailure: async () => {
        throw new Error('transcript store down');
      },
    });
    expect((await webhook.deliver(sampleCase())).ok).toBe(false);
    expect(errors).toHaveLength(2);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(NOW + 5000).toUTCString(), NOW)).toBe(5000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});

describe('createCaseExportHook', () => {
  it('delivers a case opened in a turn to the hub, once, after the turn is recorded', async () => {
    const { url, received } = await hub([200]);
    const kit = triggerRuntime();
    const { webhook } = sender(url);
    const exports = createCaseExportHook({
      cases: kit.stores.cases,
      logger: silentLogger,
      exporters: [(item) => webhook.deliver(item)],
    });
    kit.runtime.pipeline.use(
      'decide',
      createIntentTrigger({ handoff: kit.handoff, intents: { human_agent: 'customer_request' } }),
    );
    kit.runtime.pipeline.use('record', exports.hook);
    await kit.send('hello');
    await kit.send('intent:human_agent a person please');
    await kit.send('are you there?');
    await exports.drain();
    expect(received).toHaveLength(1);
    const body = JSON.parse(received[0]?.body ?? '{}') as {
      case: { id: string };
      package: { reason: string };
    };
    expect(body.package.reason).toBe('customer_request');
    expect(body.case.id).toBe((await kit.stores.cases.list())[0]?.id);
  });
});

describe('installHubExport', () => {
  it('records a final delivery failure in the conversation transcript through the runtime', async () => {
    const { url, received } = await hub([400]);
    const kit = triggerRuntime();
    kit.runtime.pipeline.use(
      'decide',
      createIntentTrigger({ handoff: kit.handoff, intents: { human_agent: 'customer_request' } }),
    );
    const exports = installHubExport(kit.runtime, { url, secret: SECRET, logger: silentLogger });
    await kit.send('intent:human_agent a person please');
    await exports.drain();
    expect(received).toHaveLength(1);
    const last = (await kit.stores.transcripts.read('c1')).at(-1);
    expect(last).toMatchObject({
      speaker: 'system',
      event: 'handoff.delivery_failed',
      data: { status: 400, attempts: 1, event: 'case.created' },
    });
  });
});
