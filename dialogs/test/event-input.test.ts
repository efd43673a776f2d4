import { join } from 'node:path';
import type { DialogInput } from '../../core/dialog';
import type { JsonObject, JsonValue } from '../../core/json';
import { loadDialogEngine, validateFlows } from '..';
import { turnAt } from '../../test/support/nlu-fixtures';

const NOW = Date.UTC(2025, 5, 2, 9, 0);
const flowsDir = join(__dirname, 'fixtures/event-flows');
const implementations = {
  guards: { resetWorked: ({ data }: { data?: JsonValue }) => (data as JsonObject | undefined)?.ok === true },
};
const engine = loadDialogEngine({ flowsDir, implementations, options: { intents: [] } });
const event = (name: string, data: JsonObject): DialogInput => ({ type: 'event', name, data });

describe('outside events in flows', () => {
  it('starts the flow listening for the event, with its data as results.event', async () => {
    const first = await engine.step(undefined, event('device.fault', { code: 'dry_boil' }), turnAt(NOW));
    expect(first.replies.map((reply) => reply.text)).toEqual(['Resetting after dry_boil']);
    expect(first.events.map((e) => e.event)).toContain('flow.started');
  });

  it('lets a waiting state take an event only when its guard passes', async () => {
    const { state } = await engine.step(undefined, event('device.fault', { code: 'dry_boil' }), turnAt(NOW));
    const refused = await engine.step(state, event('device.result', { ok: false }), turnAt(NOW));
    expect(refused.replies).toEqual([]);
    expect(refused.state).toEqual(state);
    const fixed = await engine.step(state, event('device.result', { ok: true }), turnAt(NOW));
    expect(fixed.replies.map((reply) => reply.text)).toEqual(['Fixed']);
    expect(fixed.escalation).toBeUndefined();
  });

  it('escalates from an event, and ignores events nobody waits for without a word', async () => {
    const { state } = await engine.step(undefined, event('device.fault', { code: 'dry_boil' }), turnAt(NOW));
    const late = await engine.step(state, event('device.tick', { at: NOW }), turnAt(NOW));
    expect(late.escalation).toEqual({ reason: 'flow_decision', detail: 'kettle dry_boil' });
    const stray = await engine.step(undefined, event('device.telemetry', { wan: 'up' }), turnAt(NOW));
    expect(stray.replies).toEqual([]);
    expect(stray.events).toEqual([]);
  });

  it('accepts outside event names in `on` without asking the NLU, and checks `events` names', () => {
    expect(validateFlows({ flowsDir, implementations, options: { intents: [] } }).issues).toEqual([]);
  });
});
