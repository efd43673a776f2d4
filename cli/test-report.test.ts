import type { BotTestRun } from '../app/bot-tests';
import { DEFAULT_SCRIPT_NOW } from '../dialogs/testing/conversation-script';
import { coverageShortfall, formatResults, toJUnit } from './test-report';

const script = (name: string) => ({
  file: '/bot/tests/a.conv.yaml',
  name,
  now: DEFAULT_SCRIPT_NOW,
  steps: [],
});
const run: BotTestRun = {
  results: [
    { script: script('passes'), seconds: 0.5 },
    { script: script('fails <"&">'), failure: 'expected "a" & <b>', seconds: 0.25 },
  ],
  coverage: { flows: [], statePercent: 90, transitionPercent: 75 },
};

describe('parley test reports', () => {
  it('writes JUnit XML with one suite per file, failures and escaped text', () => {
    expect(toJUnit(run, '/bot', 'shop')).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="shop" tests="2" failures="1">',
        '  <testsuite name="tests/a.conv.yaml" tests="2" failures="1" errors="0" time="0.750">',
        '    <testcase classname="tests/a.conv.yaml" name="passes" time="0.500"/>',
        '    <testcase classname="tests/a.conv.yaml" name="fails &#60;&#34;&#38;&#34;&#62;" time="0.250">',
        '      <failure message="expected &#34;a&#34; &#38; &#60;b&#62;">expected &#34;a&#34; &#38; &#60;b&#62;</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('lists each script and names the measure under the minimum', () => {
    expect(formatResults(run, '/bot')).toBe(
      '✓ tests/a.conv.yaml: passes\n✗ tests/a.conv.yaml: fails <"&">\n    expected "a" & <b>\n\n1 passed, 1 failed (2 conversations)\n',
    );
    expect(coverageShortfall(run.coverage, 80)).toBe('coverage under 80%: transitions 75.0%');
    expect(coverageShortfall(run.coverage, 95)).toBe('coverage under 95%: states 90.0%, transitions 75.0%');
    expect(coverageShortfall(run.coverage, 75)).toBeUndefined();
  });
});
