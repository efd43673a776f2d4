import { loadBotDefinition } from '../../app/bot-definition';
import { runBotTests } from '../../app/bot-tests';
import { describeEdge } from '../../dialogs/testing/coverage';

// Every acme script on a fresh runtime each: a minute or two on a busy 2-core machine.
jest.setTimeout(240_000);

describe('the acme bot under `parley test --coverage`', () => {
  it('passes every script and reaches every state of every flow', async () => {
    const run = await runBotTests(loadBotDefinition('acme'));
    expect(run.results.filter((result) => result.failure).map((result) => result.failure)).toEqual([]);
    const missed = run.coverage.flows.flatMap((flow) =>
      flow.states.missed.map((state) => `${flow.flow}.${state}`),
    );
    expect(missed).toEqual([]);
    // Linking and device flows included: their scripts answer the look-ups a demo runtime cannot.
    expect(run.coverage.flows.map((flow) => flow.flow)).toEqual(
      expect.arrayContaining([
        'link_channel',
        'link_show_code',
        'unlink_channel',
        'router_fault',
        'device_notices',
      ]),
    );
    // Observed inside the engine: an eventless transition is credited to the guard XState chose.
    const booking = run.coverage.flows.find((flow) => flow.flow === 'book_appointment');
    expect(booking?.transitions.covered.map(describeEdge)).toContain(
      'window_from_time --always [timeInAfternoon]--> get_window',
    );
    // Scripts that start mid-flow count the state they start in (order_status.offer_human → no_agent).
    const orders = run.coverage.flows.find((flow) => flow.flow === 'order_status');
    expect(orders?.transitions.covered.map(describeEdge)).toContain('offer_human --deny--> no_agent');
  });
});
