import { createDeviceConnector } from '../../connectors/devices/device.connector';
import { deviceConversationId } from '../../connectors/devices/ingest';
import { SimulatedDevice } from '../../connectors/devices/simulator';
import { mulawSilence } from '../../connectors/voice/voice.frames';
import { createVoiceConnector } from '../../connectors/voice/voice.connector';
import { frameworkMessages } from '../../locales/load';
import { createMemoryStores } from '../../stores/memory';
import { TwilioMediaClient } from '../support/twilio-media-client';
import { TEST_AUTH_TOKEN } from '../support/twilio';
import { scriptedSpeechToText, tone, toneTextToSpeech } from '../support/voice-engines';
import { describeConnector, type ConnectorFixture } from './connector.contract';

/**
 * Channels nobody types into run the same contract: every universal check, and a round trip in the
 * channel's own terms instead of a typed one.
 */

/** The phone: a caller on a signed Media Stream says something the scripted recogniser knows (a tone). */
const HELLO_HZ = 1400;
const CALL_SID = 'CAcontract0001';

async function voiceFixture(): Promise<ConnectorFixture> {
  const tts = toneTextToSpeech();
  let caller: TwilioMediaClient | undefined;
  return {
    connector: createVoiceConnector({
      authToken: TEST_AUTH_TOKEN,
      stt: scriptedSpeechToText({ [HELLO_HZ]: 'hello there' }),
      tts,
      frameMs: 0,
    }),
    exchange: {
      expected: { kind: 'speech', text: 'hello there', conversationId: `voice:${CALL_SID}` },
      async run(url) {
        caller = await TwilioMediaClient.call(url ?? '', {
          token: TEST_AUTH_TOKEN,
          from: '+15550004000',
          callSid: CALL_SID,
        });
        await caller.until(() => caller!.marks() >= 1); // the greeting has been played
        await caller.speak(Buffer.concat([tone(HELLO_HZ, 300), mulawSilence(300)]), 0);
        await caller.until(() => caller!.marks() >= 2); // and the answer
        // What the caller heard: the sentences synthesised, once their audio reached the phone.
        expect(caller.audioSince(0).length).toBeGreaterThan(0);
        return JSON.stringify(tts.said);
      },
    },
    payloads: {
      valid: {
        callSid: CALL_SID,
        from: '+15550004000',
        sequence: 1,
        locale: 'en',
        heard: { input: 'speech', text: 'hello', confidence: 0.9 },
      },
      reads: { kind: 'speech', text: 'hello', conversationId: `voice:${CALL_SID}` },
      invalid: {
        callSid: CALL_SID,
        from: '+15550004000',
        sequence: 1,
        locale: 'en',
        heard: { input: 'dtmf' },
      },
    },
    cleanup: async () => caller?.hangUp(),
  };
}

describeConnector('voice (phone calls)', voiceFixture, {
  roundTrip: 'own terms',
  what: 'a caller’s spoken words on a Media Stream',
});

/** Devices: a registered router posts a signed telemetry event to its webhook. */
const DEVICE = { id: 'rtr-contract', secret: 'contract-secret-0123456789' };

async function deviceFixture(): Promise<ConnectorFixture> {
  const stores = createMemoryStores({ retentionMs: 60_000 });
  await stores.devices.registry.add({
    id: DEVICE.id,
    ownerId: 'webchat:owner',
    model: 'acme-router-x2',
    secret: DEVICE.secret,
    addedAt: Date.now(),
  });
  const connector = createDeviceConnector({ sweepMs: 0 });
  return {
    connector,
    prepare(runtime) {
      connector.attach({
        stores,
        pipeline: { apply: async () => [] },
        messages: frameworkMessages(),
        handle: (message) => runtime.handle(message),
      });
    },
    exchange: {
      expected: { kind: 'event', event: 'device.telemetry', conversationId: deviceConversationId(DEVICE.id) },
      async run(url) {
        const device = new SimulatedDevice({ deviceId: DEVICE.id, secret: DEVICE.secret });
        const post = (body: unknown) =>
          fetch(`${url}/webhooks/devices/${DEVICE.id}/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        // A forged event is refused and reaches nobody; the signed one is accepted.
        const forged = await post(
          device.envelope({ type: 'telemetry', telemetry: { wan: 'up' } }, { secret: 'wrong' }),
        );
        expect(forged.status).toBe(401);
        const response = await post(device.envelope({ type: 'telemetry', telemetry: { wan: 'up' } }));
        const body = await response.text();
        expect({ status: response.status, body: JSON.parse(body) }).toMatchObject({
          status: 202,
          body: { status: 'accepted' },
        });
        return body;
      },
    },
    payloads: {
      valid: {
        deviceId: DEVICE.id,
        messageId: 'n-1',
        name: 'device.telemetry',
        data: { wan: 'up' },
        receivedAt: 1_700_000_000_000,
      },
      reads: { kind: 'event', event: 'device.telemetry', conversationId: deviceConversationId(DEVICE.id) },
      invalid: { deviceId: 'no spaces allowed', name: 'telemetry', data: {} },
    },
    cleanup: () => stores.close(),
  };
}

describeConnector('device (signed events over HTTP)', deviceFixture, {
  roundTrip: 'own terms',
  what: 'a device’s signed event on its webhook',
});
