/**
 * The MQTT topic layout. Devices publish to `events` and `results`; Parley publishes to `commands`.
 * `parley/devices/<deviceId>/events|results|commands`.
 */
export const DEVICE_TOPIC_ROOT = 'parley/devices';

export const deviceTopics = {
  events: (deviceId: string) => `${DEVICE_TOPIC_ROOT}/${deviceId}/events`,
  results: (deviceId: string) => `${DEVICE_TOPIC_ROOT}/${deviceId}/results`,
  commands: (deviceId: string) => `${DEVICE_TOPIC_ROOT}/${deviceId}/commands`,
  /** What Parley subscribes to: every device's events and results. */
  inbound: [`${DEVICE_TOPIC_ROOT}/+/events`, `${DEVICE_TOPIC_ROOT}/+/results`],
};

/** The device id an inbound topic names, or undefined for any other topic. */
export function deviceIdOf(topic: string): string | undefined {
  const parts = topic.split('/');
  if (parts.length !== 4 || `${parts[0]}/${parts[1]}` !== DEVICE_TOPIC_ROOT) return undefined;
  return parts[3] === 'events' || parts[3] === 'results' ? parts[2] : undefined;
}

/** The HTTP route for devices that speak HTTP instead of MQTT. */
export const DEVICE_WEBHOOK_PATH = '/webhooks/devices/:deviceId/events';
