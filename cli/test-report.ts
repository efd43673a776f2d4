import { relative } from 'node:path';
import type { BotTestRun } from '../app/bot-tests';
import { describeEdge, type CoverageReport } from '../dialogs/testing/coverage';

const pct = (value: number): string => `${value.toFixed(1)}%`;

/** One line per script, then a summary: what a designer reads after `parley test`. */
export function formatResults(run: BotTestRun, root: string): string {
  const lines = run.results.map(({ script, failure }) => {
    const name = `${relative(root, script.file)}: ${script.name}`;
    return failure ? `✗ ${name}\n    ${failure}` : `✓ ${name}`;
  });
  const failed = run.results.filter((result) => result.failure).length;
  const passed = run.results.length - failed;
  lines.push('', `${passed} passed, ${failed} failed (${run.results.length} conversations)`);
  return `${lines.join('\n')}\n`;
}

/** Per flow: states and transitions covered, and every one no script reaches. */
export function formatCoverage(report: CoverageReport): string {
  const lines = ['', 'flow coverage              states        transitions'];
  for (const flow of report.flows) {
    const states = `${flow.states.covered.length}/${flow.states.total}`;
    const transitions = `${flow.transitions.covered.length}/${flow.transitions.total}`;
    lines.push(`  ${flow.flow.padEnd(24)} ${states.padStart(6)} ${transitions.padStart(18)}`);
    for (const state of flow.states.missed) lines.push(`    not reached: state ${state}`);
    for (const edge of flow.transitions.missed) lines.push(`    not taken:   ${describeEdge(edge)}`);
  }
  lines.push(`states ${pct(report.statePercent)}, transitions ${pct(report.transitionPercent)} covered`);
  return `${lines.join('\n')}\n`;
}

/** Below the minimum: which measure fell short, or undefined when both reach it. */
export function coverageShortfall(report: CoverageReport, minimum: number): string | undefined {
  const short = [
    ...(report.statePercent < minimum ? [`states ${pct(report.statePercent)}`] : []),
    ...(report.transitionPercent < minimum ? [`transitions ${pct(report.transitionPercent)}`] : []),
  ];
  return short.length ? `coverage under ${minimum}%: ${short.join(', ')}` : undefined;
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** JUnit XML (one test suite per script file) for CI systems. */
export function toJUnit(run: BotTestRun, root: string, suiteName: string): string {
  const byFile = new Map<string, BotTestRun['results']>();
  for (const result of run.results) {
    const file = relative(root, result.script.file);
    byFile.set(file, [...(byFile.get(file) ?? []), result]);
  }
  const suites = [...byFile].map(([file, results]) => {
    const failures = results.filter((result) => result.failure).length;
    const time = results.reduce((total, result) => total + result.seconds, 0);
    const cases = results.map(({ script, failure, seconds }) => {
      const open = `    <testcase classname="${escapeXml(file)}" name="${escapeXml(script.name)}" time="${seconds.toFixed(3)}"`;
      if (!failure) return `${open}/>`;
      const message = escapeXml(failure);
      return `${open}>\n      <failure message="${message}">${message}</failure>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${escapeXml(file)}" tests="${results.length}" failures="${failures}" errors="0" time="${time.toFixed(3)}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const failures = run.results.filter((result) => result.failure).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suiteName)}" tests="${run.results.length}" failures="${failures}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
