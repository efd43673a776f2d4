import { canonicalJson, canonicalString, seal, signatureValid } from './envelope';

// The README's worked example: a device maker checks their implementation against these exact values.
const EXAMPLE = {
  deviceId: 'rtr-42',
  timestamp: 1764856920000,
  nonce: '3f9a1c7e5b2d4f60',
  event: { type: 'fault', severity: 'major', code: 'wan_down', telemetry: { wan: 'down', rssi: -61 } },
};
const KEY = 'k3y-for-rtr-42';

describe('device envelopes', () => {
  it('signs the README example to the documented canonical string and signature', () => {
    expect(canonicalString(EXAMPLE)).toBe(
      'parley-device-v1\nrtr-42\n1764856920000\n3f9a1c7e5b2d4f60\n' +
        '{"code":"wan_down","severity":"major","telemetry":{"rssi":-61,"wan":"down"},"type":"fault"}',
    );
    expect(seal(EXAMPLE, KEY).signature).toBe(
      'e6943ad935b8b0ed2077b423a3ba813cabea069e49ac69da74e76334edb14135',
    );
  });

  it('does not depend on key order, and escapes strings as JSON does', () => {
    expect(canonicalJson({ b: [1, { z: null, a: 'é"\n' }], a: true })).toBe(
      '{"a":true,"b":[1,{"a":"é\\"\\n","z":null}]}',
    );
  });

  it('refuses any change to what was signed, and another key', () => {
    const sealed = seal(EXAMPLE, KEY);
    expect(signatureValid(sealed, KEY)).toBe(true);
    expect(signatureValid(sealed, 'another-key')).toBe(false);
    expect(signatureValid({ ...sealed, timestamp: sealed.timestamp + 1 }, KEY)).toBe(false);
    expect(signatureValid({ ...sealed, nonce: 'ffffffffffffffff' }, KEY)).toBe(false);
    expect(signatureValid({ ...sealed, deviceId: 'rtr-43' }, KEY)).toBe(false);
    expect(signatureValid({ ...sealed, event: { ...sealed.event, code: 'psu_failure' } }, KEY)).toBe(false);
  });
});
