// npm run bench:devices [-- --events 4000 --devices 20 --seconds 8]
// Device events per second through the whole device path (signature check, nonce claim, event rate,
// journal, turn pipeline) over a real Mosquitto, next to REST turns per second measured in the same run
// on the same server. The figure that matters is the ratio: shared machines are noisy.
import { parseArgs } from 'node:util';
import { loadBotDefinition, startParley } from '../app/bootstrap';
import { loadConfig } from '../app/config';
import { seal } from '../connectors/devices/envelope';
import { SimulatedDevice } from '../connectors/devices/simulator';
import { silentLogger } from '../stores/silent-logger';
import { startMosquitto } from '../test/support/mosquitto';
import { drive } from './driver';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '4000' },
    devices: { type: 'string', default: '20' },
    customers: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '8' },
  },
});
const EVENTS = Number(values.events);
const DEVICES = Number(values.devices);
const SCRIPT = ['hi', 'where is my order A1001', 'thanks', 'what time do you open on saturday', 'bye'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const broker = await startMosquitto();
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    PARLEY_RELOAD: 'false',
    PARLEY_MQTT_URL: broker.url,
  });
  const parley = await startParley(loadBotDefinition('acme'), config, {
    logger: silentLogger,
    devices: { sweepMs: 0 },
  });
  const restUrl = `${parley.address.url}/webhooks/rest/webhook`;
  const senders: SimulatedDevice[] = [];
  try {
    const { registry } = parley.runtime.stores.devices;
    const devices = Array.from({ length: DEVICES }, (_, i) => ({
      id: `bench-${i}`,
      secret: `bench-secret-${i}-xxxxxxxx`,
    }));
    for (const device of devices)
      await registry.add({
        ...device,
        ownerId: `webchat:bench-owner-${device.id}`,
        model: 'acme-router-x2',
        addedAt: Date.now(),
      });

    await drive({
      url: restUrl,
      customers: Number(values.customers),
      durationMs: 2000,
      script: SCRIPT,
      runId: 'warm',
    });
    const rest = await drive({
      url: restUrl,
      customers: Number(values.customers),
      durationMs: Number(values.seconds) * 1000,
      script: SCRIPT,
      runId: 'rest',
    });

    // One MQTT client per device, as in the field.
    senders.push(
      ...(await Promise.all(
        devices.map((device) =>
          new SimulatedDevice({ deviceId: device.id, secret: device.secret, mqttUrl: broker.url }).start(),
        ),
      )),
    );
    // Signed beforehand, so the figure is Parley's work, not the publisher's.
    const now = Date.now();
    const envelopes = Array.from({ length: EVENTS }, (_, i) => {
      const device = devices[i % DEVICES]!;
      const event = { type: 'telemetry', telemetry: { wan: 'up', rssi: -60 - (i % 10), uptime: i } };
      const sealed = seal(
        { deviceId: device.id, timestamp: now, nonce: `n${i.toString(16).padStart(8, '0')}`, event },
        device.secret,
      );
      return { sender: senders[i % DEVICES]!, sealed };
    });
    const before = parley.devices.stats();
    const started = performance.now();
    await Promise.all(envelopes.map(({ sender, sealed }) => sender.send(sealed)));
    for (;;) {
      const stats = parley.devices.stats();
      const done = stats.received - before.received;
      if (done >= EVENTS) break;
      if (performance.now() - started > 120_000) throw new Error(`only ${done} of ${EVENTS} events arrived`);
      await sleep(5);
    }
    const seconds = (performance.now() - started) / 1000;
    const stats = parley.devices.stats();
    const accepted = stats.accepted - before.accepted;
    const eventsPerSecond = accepted / seconds;
    const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0);
    console.log(
      JSON.stringify(
        {
          rest: {
            turnsPerSecond: Math.round(rest.turnsPerSecond),
            p95Ms: Math.round(rest.p95Ms),
            errors: rest.errors,
          },
          devices: {
            events: EVENTS,
            accepted,
            dropped,
            seconds: Number(seconds.toFixed(2)),
            eventsPerSecond: Math.round(eventsPerSecond),
          },
          ratio: Number((eventsPerSecond / rest.turnsPerSecond).toFixed(2)),
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(senders.map((sender) => sender.stop()));
    await parley.close();
    await broker.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
