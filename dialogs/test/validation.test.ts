import { join } from 'node:path';
import { FlowValidationError, formatIssue, loadDialogEngine, validateFlows } from '..';
import { parseFlow } from '../flow-loader';

const broken = join(__dirname, 'fixtures/broken');
const rel = (file: string) => join('dialogs/test/fixtures/broken', file);

describe('flow validation', () => {
  const { issues } = validateFlows({
    flowsDir: broken,
    implementations: { guards: {}, effects: {} },
    options: { intents: ['order_status', 'affirm', 'deny'] },
  });
  const messages = issues.map(formatIssue);

  it('reports schema errors with the file, the YAML line, the path and the reason', () => {
    expect(messages).toContain(
      `${rel('bad-schema.flow.yaml')}:6 states.start.entry[0]: unknown effect "shout": write one of say, note, lookup, do, handoff, set, clear, reject`,
    );
  });

  it('reports unknown targets, intents, guards, effects and template slots, each at its line', () => {
    const file = rel('bad-target.flow.yaml');
    expect(messages).toEqual(
      expect.arrayContaining([
        `${file}:17 states.confirm.on.affirm.target: unknown target state "finish"`,
        `${file}:18 states.confirm.on.affirm.guard: unknown guard "isHappy" (not in implementations)`,
        `${file}:19 states.confirm.on.dance: unknown intent "dance"`,
        `${file}:23 states.done.entry[0].say: unknown slot or look-up result "{nickname}"`,
        `${file}:24 states.done.entry[1].do: unknown effect "launchRocket" (not in implementations)`,
      ]),
    );
  });

  it('finds unreachable states and dead ends', () => {
    const file = rel('bad-target.flow.yaml');
    expect(messages).toContain(`${file}:13 states.confirm: unreachable from the initial state "ask_number"`);
    const deadEnd = parseFlow(
      'loop.flow.yaml',
      [
        'id: loop',
        'initial: a',
        'states:',
        '  a:',
        '    prompt: Again?',
        '    on: { affirm: b }',
        '  b:',
        '    prompt: And again?',
        '    on: { deny: a }',
      ].join('\n'),
    );
    expect(deadEnd.issues).toEqual([]);
  });

  it('refuses to build an engine from invalid flows, listing every issue', () => {
    expect(() => loadDialogEngine({ flowsDir: broken, implementations: {} })).toThrow(FlowValidationError);
    try {
      loadDialogEngine({ flowsDir: broken, implementations: {} });
    } catch (error) {
      expect((error as FlowValidationError).issues.length).toBeGreaterThanOrEqual(6);
    }
  });

  it('reports YAML syntax errors with their line', () => {
    const { issues: syntax } = parseFlow('x.flow.yaml', 'id: x\nstates:\n  a: [unclosed\n');
    expect(syntax[0].file).toBe('x.flow.yaml');
    expect(syntax[0].message).toMatch(/^YAML syntax/);
    expect(syntax[0].line).toBeGreaterThanOrEqual(3);
  });
});

describe('repair and personalisation settings', () => {
  const dir = join(__dirname, 'fixtures/broken-repair');
  const at = (file: string) => join('dialogs/test/fixtures/broken-repair', file);
  const messages = validateFlows({ flowsDir: dir, implementations: {} }).issues.map(formatIssue);

  it('refuses an unknown repair setting', () => {
    expect(messages).toContainEqual(
      expect.stringMatching(new RegExp(`^${at('nosy.flow.yaml')}:6 repair\\.empty: `)),
    );
  });

  it('lets a hypothesis name only the activity, and flows use {activity.…} as a result', () => {
    expect(messages).toContain(
      `${at('nosy2.flow.yaml')}:4 personalise.hypothesis: a hypothesis may only name {activity.…}, not "{account_number}"`,
    );
    expect(messages.filter((message) => message.includes('look-up result "{activity'))).toEqual([]);
  });

  it('checks a confirmReuse question like any text', () => {
    expect(messages).toContain(
      `${at('nosy2.flow.yaml')}:8 slots.account_number.confirmReuse: no text for the default locale "en"`,
    );
  });
});
