import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { deviceConversationId } from '../../connectors/devices/ingest';
import { SimulatedDevice } from '../../connectors/devices/simulator';
import { simulateDevice } from '../../cli/actions/devices';
import type { Reply } from '../../core/message';
import { silentLogger } from '../../stores/silent-logger';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';

/** 1,000 by default (the number); DEVICE_FLOOD_EVENTS changes it. */
const FLOOD_EVENTS = Number(process.env.DEVICE_FLOOD_EVENTS ?? 1000);

let broker: MosquittoBroker;
let parley: RunningParley;
let sequence = 0;

beforeAll(async () => {
  broker = await startMosquitto();
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    PARLEY_RELOAD: 'false',
    PARLEY_MQTT_URL: broker.url,
  });
  parley = await startParley(loadBotDefinition('acme'), config, {
    logger: silentLogger,
    devices: { commandTimeoutMs: 3000, sweepMs: 100 },
  });
}, 60_000);

afterAll(async () => {
  await parley?.close();
  await broker?.stop();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 8000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in time; last value: ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

/** An owner who chatted on web chat once, with a router registered to them, and what reaches their chat. */
async function ownerWithRouter(
  outcome: 'fixed' | 'broken' | 'silent' = 'fixed',
  transport: 'mqtt' | 'http' = 'mqtt',
) {
  const n = (sequence += 1);
  const session = `w-owner-${n}`;
  const customerId = `webchat:${session}`;
  await parley.runtime.handle({
    channel: 'webchat',
    channelUserId: session,
    conversationId: session,
    messageId: `m-${n}`,
    kind: 'text',
    text: 'hello',
    timestamp: Date.now(),
  });
  const pushed: Reply[] = [];
  await parley.runtime.onPush(session, (reply) => pushed.push(reply));
  const device = {
    id: `rtr-${n}`,
    ownerId: customerId,
    model: 'acme-router-x2',
    secret: `secret-${n}-0123456789`,
    addedAt: Date.now(),
  };
  await parley.runtime.stores.devices.registry.add(device);
  const simulated = await new SimulatedDevice({
    deviceId: device.id,
    secret: device.secret,
    outcome,
    ...(transport === 'mqtt' ? { mqttUrl: broker.url } : { httpUrl: parley.address.url }),
  }).start();
  return { session, customerId, device, pushed, simulated };
}

const casesOf = async (customerId: string) =>
  (await parley.runtime.stores.cases.list()).filter((item) => item.customerId === customerId);

describe('devices as callers, over a real Mosquitto', () => {
  it('remediates a signed fault with a remote command and tells the owner once, on their channel', async () => {
    const owner = await ownerWithRouter('fixed');
    try {
      await owner.simulated.send(owner.simulated.fault('wan_down'));
      const command = await owner.simulated.nextCommand();
      expect(command.event).toMatchObject({ type: 'command', action: 'restart' });
      const notices = await eventually(
        async () => owner.pushed.filter((reply) => /working again/.test(reply.text)),
        (found) => found.length > 0,
      );
      expect(notices[0]?.text).toMatch(
        /^Your router reported a connection fault at \d\d:\d\d; we restarted it remotely/,
      );
      expect(notices[0]?.buttons?.[0]?.payload).toBe('/stop_device_notices');
      await sleep(300);
      expect(owner.pushed.filter((reply) => /working again/.test(reply.text))).toHaveLength(1);
      expect(await casesOf(owner.customerId)).toEqual([]);
      const journal = await parley.runtime.stores.devices.journal.recent(owner.device.id);
      expect(journal.map((entry) => entry.kind)).toEqual([
        'fault',
        'command',
        'result',
        'telemetry',
        'notice',
      ]);
    } finally {
      await owner.simulated.stop();
    }
  });

  it('honours the owner’s opt-out: the next fixed fault tells them nothing', async () => {
    const owner = await ownerWithRouter('fixed');
    try {
      const replies = await parley.runtime.handle({
        channel: 'webchat',
        channelUserId: owner.session,
        conversationId: owner.session,
        messageId: 'stop-1',
        kind: 'text',
        text: '/stop_device_notices',
        timestamp: Date.now(),
      });
      expect(replies.map((reply) => reply.text).join(' ')).toMatch(/no more updates/);
      await owner.simulated.send(owner.simulated.fault('dsl_sync_lost'));
      await owner.simulated.nextCommand();
      await eventually(
        () => parley.runtime.stores.devices.journal.recent(owner.device.id),
        (entries) => entries.some((entry) => entry.kind === 'telemetry'),
      );
      await sleep(300);
      expect(owner.pushed).toEqual([]);
    } finally {
      await owner.simulated.stop();
    }
  });

  it('opens one case with the diagnostics when the fix does not work, and the owner continues on their channel', async () => {
    const owner = await ownerWithRouter('broken');
    try {
      await owner.simulated.send(
        owner.simulated.fault('wan_down', { wan: 'down', ssid: 'Home', card: '4111 1111 1111 1111' }),
      );
      const [opened] = await eventually(
        () => casesOf(owner.customerId),
        (found) => found.length > 0,
      );
      expect(await casesOf(owner.customerId)).toHaveLength(1);
      const diagnostics = opened?.package.device;
      expect(diagnostics).toMatchObject({
        id: owner.device.id,
        model: 'acme-router-x2',
        fault: { code: 'wan_down' },
      });
      expect(diagnostics?.commands.map((command) => command.action)).toEqual(['restart']);
      expect(diagnostics?.results).toEqual([expect.objectContaining({ ok: true })]);
      expect(diagnostics?.telemetry).toEqual({ wan: 'down' });
      expect(JSON.stringify(diagnostics)).not.toContain('4111 1111 1111 1111');
      expect(opened?.queue).toBe('devices');
      expect(owner.pushed.map((reply) => reply.text).join(' ')).toMatch(
        /could not fix remotely. A person from our team is on it/,
      );
      // The owner's own next message goes to the case, with the context, on their channel.
      await parley.runtime.handle({
        channel: 'webchat',
        channelUserId: owner.session,
        conversationId: owner.session,
        messageId: 'after-case',
        kind: 'text',
        text: 'is someone looking at my router?',
        timestamp: Date.now(),
      });
      const state = await parley.runtime.stores.conversations.get(owner.session);
      expect(state?.caseId).toBe(opened?.id);
    } finally {
      await owner.simulated.stop();
    }
  });

  it('tries a deadline again on the next sweep when the turn that prods the flow fails', async () => {
    const owner = await ownerWithRouter('silent');
    const runtime = parley.runtime;
    const handle = runtime.handle.bind(runtime);
    let failed = 0;
    runtime.handle = async (message) => {
      if (message.kind === 'event' && message.event === 'device.tick' && failed === 0) {
        failed += 1;
        throw new Error('the store is down for this one turn');
      }
      return handle(message);
    };
    try {
      await owner.simulated.send(owner.simulated.fault('port_stuck', { wan: 'up', port: 3 }));
      await owner.simulated.nextCommand();
      const [opened] = await eventually(
        () => casesOf(owner.customerId),
        (found) => found.length > 0,
        10_000,
      );
      expect(failed).toBe(1);
      expect(opened?.package.detail).toMatch(/did not fix it/);
    } finally {
      runtime.handle = handle;
      await owner.simulated.stop();
    }
  });

  it('escalates when the router never answers: the deadline in the flow passes and the sweeper acts on it', async () => {
    const owner = await ownerWithRouter('silent');
    try {
      await owner.simulated.send(owner.simulated.fault('port_stuck', { wan: 'up', port: 3 }));
      const command = await owner.simulated.nextCommand();
      expect(command.event).toMatchObject({ action: 'reset_port', params: { port: 3 } });
      const [opened] = await eventually(
        () => casesOf(owner.customerId),
        (found) => found.length > 0,
        10_000,
      );
      expect(opened?.package.detail).toMatch(/remote reset_port did not fix it/);
      expect(opened?.package.device?.results).toEqual([]);
    } finally {
      await owner.simulated.stop();
    }
  });

  it('drops forged, stale, replayed and unknown-device events without any side effect', async () => {
    const owner = await ownerWithRouter('fixed');
    const before = parley.devices.stats();
    try {
      const genuine = owner.simulated.fault('psu_failure');
      const stranger = new SimulatedDevice({
        deviceId: 'rtr-unknown',
        secret: 'whatever-key',
        mqttUrl: broker.url,
      });
      await stranger.start();
      await owner.simulated.send(owner.simulated.envelope(genuine.event, { secret: 'not-the-key' }));
      await owner.simulated.send({ ...genuine, event: { ...genuine.event, code: 'wan_down' } });
      await owner.simulated.send(
        owner.simulated.envelope(genuine.event, { timestamp: Date.now() - 6 * 60_000 }),
      );
      await stranger.send(stranger.fault('psu_failure'));
      await stranger.stop();
      await eventually(
        async () => parley.devices.stats(),
        (stats) => stats.received - before.received >= 4,
      );
      const dropped = parley.devices.stats().dropped;
      expect(dropped.bad_signature - before.dropped.bad_signature).toBe(2);
      expect(dropped.stale - before.dropped.stale).toBe(1);
      expect(dropped.unknown_device - before.dropped.unknown_device).toBe(1);
      // Now the genuine one, twice: the second is a replay.
      await owner.simulated.send(genuine);
      await owner.simulated.send(genuine);
      await eventually(
        async () => parley.devices.stats().dropped.replayed - before.dropped.replayed,
        (n) => n === 1,
      );
      await eventually(
        () => casesOf(owner.customerId),
        (found) => found.length === 1,
      );
      const lines = await parley.runtime.stores.transcripts.read(deviceConversationId(owner.device.id));
      expect(lines.filter((line) => line.speaker === 'customer')).toHaveLength(1);
      const journal = await parley.runtime.stores.devices.journal.recent(owner.device.id);
      expect(journal.filter((entry) => entry.kind === 'fault')).toHaveLength(1);
      expect(
        await parley.runtime.stores.conversations.get(deviceConversationId('rtr-unknown')),
      ).toBeUndefined();
    } finally {
      await owner.simulated.stop();
    }
  });

  it(`opens at most one case for ${FLOOD_EVENTS} repeated fault events, and reports the device's event rate`, async () => {
    const owner = await ownerWithRouter('broken');
    const before = parley.devices.stats();
    try {
      for (let i = 0; i < FLOOD_EVENTS; i += 1)
        await owner.simulated.send(owner.simulated.fault('psu_failure'));
      const stats = await eventually(
        async () => parley.devices.stats(),
        (now) => now.accepted + now.deduplicated - before.accepted - before.deduplicated >= FLOOD_EVENTS,
        30_000,
      );
      expect(stats.deduplicated - before.deduplicated).toBe(FLOOD_EVENTS - 1);
      expect(stats.eventsPerMinute[owner.device.id]).toBe(FLOOD_EVENTS);
      await eventually(
        () => casesOf(owner.customerId),
        (found) => found.length > 0,
      );
      expect(await casesOf(owner.customerId)).toHaveLength(1);
      expect(owner.pushed.filter((reply) => /could not fix/.test(reply.text))).toHaveLength(1);
    } finally {
      await owner.simulated.stop();
    }
  }, 60_000);

  it('takes HTTP devices too: the command comes back in the answer to the fault', async () => {
    const owner = await ownerWithRouter('fixed', 'http');
    const sent = await owner.simulated.send(owner.simulated.fault('wan_down'));
    expect(sent.status).toBe(202);
    await eventually(
      async () => owner.pushed,
      (found) => found.some((reply) => /working again/.test(reply.text)),
    );
    const forged = await owner.simulated.send(
      owner.simulated.envelope({ type: 'telemetry', telemetry: {} }, { secret: 'x' }),
    );
    expect(forged.status).toBe(401);
  });

  it('answers the owner’s own question with their router’s faults, and nobody else’s (en and es)', async () => {
    const owner = await ownerWithRouter('fixed');
    try {
      await owner.simulated.send(owner.simulated.fault('wan_down'));
      await eventually(
        async () => owner.pushed,
        (found) => found.length > 0,
      );
      const ask = (session: string, text: string, id: string) =>
        parley.runtime.handle({
          channel: 'webchat',
          channelUserId: session,
          conversationId: session,
          messageId: id,
          kind: 'text',
          text,
          timestamp: Date.now(),
        });
      const mine = await ask(owner.session, 'my internet keeps dropping', 'q-1');
      expect(mine.map((reply) => reply.text).join(' ')).toMatch(
        /Your router reported 1 faults today and we restarted it remotely 1 times. Is that the problem\?/,
      );
      const spanish = await ownerWithRouter('fixed');
      await spanish.simulated.send(spanish.simulated.fault('dsl_sync_lost'));
      await eventually(
        async () => spanish.pushed,
        (found) => found.length > 0,
      );
      await spanish.simulated.stop();
      const theirs = await ask(spanish.session, 'internet se me corta todo el rato', 'q-es');
      expect(theirs.map((reply) => reply.text).join(' ')).toMatch(/Tu router ha notificado 1 averías hoy/);
      // Someone without a router of their own hears about no router at all.
      const stranger = await ask('w-no-devices', 'my internet keeps dropping', 'q-2');
      expect(stranger.map((reply) => reply.text).join(' ')).not.toMatch(/router reported/i);
      expect(stranger.map((reply) => reply.text).join(' ')).toMatch(/postcode/);
    } finally {
      await owner.simulated.stop();
    }
  });

  it('npx parley devices simulate plays a device against the running server', async () => {
    const owner = await ownerWithRouter('fixed');
    await owner.simulated.stop();
    const out: string[] = [];
    const io = { out: (text: string) => out.push(text), err: (text: string) => out.push(`ERR ${text}`) };
    await simulateDevice(
      {
        device: owner.device.id,
        fault: 'wan_down',
        secret: owner.device.secret,
        mqtt: broker.url,
        outcome: 'fixed',
      },
      io,
      loadConfig({}),
    );
    expect(out.join('')).toMatch(/← \{"type":"command".*"action":"restart"/);
    expect(out.join('')).toMatch(/answered as "fixed"/);
    await eventually(
      async () => owner.pushed,
      (found) => found.some((reply) => /working again/.test(reply.text)),
    );
  });
});
