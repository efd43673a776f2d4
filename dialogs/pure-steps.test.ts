import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { loadBotDefinition } from '../app/bootstrap';
import { withLinking } from '../linking/implementations';
import { compileFlow, type CompiledFlow } from './compile';
import { parseFlow } from './flow-loader';
import { startFlow, stepFlow } from './pure-steps';
import { flowGraph } from './testing/coverage';

// The acme bot's flows with its own guards: each random walk is taken by XState's pure functions and by
// ours side by side, and every step must give the same snapshot and the same actions.
const bot = loadBotDefinition('acme');
// Linking's look-ups are bound by a runtime; unbound, its guards still answer (no).
const implementations = withLinking(bot.createImplementations());
const dir = join(bot.directory, 'flows');
const flows: CompiledFlow[] = readdirSync(dir)
  .filter((name) => name.endsWith('.flow.yaml'))
  .map((name) => {
    const file = join(dir, name);
    const { flow } = parseFlow(file, readFileSync(file, 'utf8'));
    if (!flow) throw new Error(`${name} did not parse`);
    return compileFlow(flow.spec, implementations);
  });

const view = ([snapshot, actions]: [AnyMachineSnapshot, Array<{ type: string; params?: unknown }>]) => ({
  value: snapshot.value,
  status: snapshot.status,
  context: snapshot.context as unknown,
  actions: actions.map((a) => ({ type: a.type, params: a.params })),
});

const RUNS = process.env.CI ? 100 : 400;

describe('flow steps with one actor scope per machine', () => {
  it("found the bot's flows", () => expect(flows.length).toBeGreaterThan(10));

  it.each(flows.map((flow) => [flow.spec.id, flow] as const))(
    'walks %s exactly as XState does',
    (_id, flow) => {
      const events = [...new Set(flowGraph(flow).edges.map((e) => e.event))].filter((e) => e !== 'always');
      const slotValues = fc.dictionary(
        fc.constantFrom('order_number', 'date', 'time_window', 'email', 'time', 'confirmed'),
        fc.oneof(fc.string({ maxLength: 6 }), fc.boolean(), fc.constant('2025-06-05'), fc.constant('09:30')),
      );
      fc.assert(
        fc.property(
          slotValues,
          fc.array(fc.tuple(fc.constantFrom(...(events.length ? events : ['noop'])), slotValues), {
            maxLength: 8,
          }),
          (slots, walk) => {
            const input = { slots, results: {}, attempts: {} };
            let theirs = initialTransition(flow.machine, input);
            let ours = startFlow(flow.machine, input);
            expect(view(ours)).toEqual(view(theirs));
            for (const [type, data] of walk) {
              const event = { type, data };
              theirs = transition(flow.machine, theirs[0], event);
              ours = stepFlow(flow.machine, ours[0], event);
              expect(view(ours)).toEqual(view(theirs));
            }
          },
        ),
        { numRuns: RUNS },
      );
    },
  );
});
