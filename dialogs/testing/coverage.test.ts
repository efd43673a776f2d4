import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFlow } from '../compile';
import { parseFlow } from '../flow-loader';
import { CoverageRecorder, describeEdge, flowGraph } from './coverage';

const file = join(__dirname, '..', '..', 'bots', 'acme', 'flows', 'book-appointment.flow.yaml');
const { flow: source } = parseFlow(file, readFileSync(file, 'utf8'));
const flow = compileFlow(source!.spec, {});

describe('flow coverage', () => {
  it('lists every state and transition of a flow, `always` ones included', () => {
    const { states, edges } = flowGraph(flow);
    expect(states).toEqual([
      'get_date',
      'window_from_time',
      'get_window',
      'confirm',
      'book',
      'booked',
      'unavailable',
      'gave_up',
    ]);
    expect(edges.map(describeEdge)).toEqual([
      'get_date --filled--> window_from_time',
      'get_date --exhausted--> gave_up',
      'window_from_time --always [timeInMorning]--> get_window',
      'window_from_time --always [timeInAfternoon]--> get_window',
      'window_from_time --always [timeInEvening]--> get_window',
      'window_from_time --always--> get_window',
      'get_window --filled--> confirm',
      'get_window --exhausted--> gave_up',
      'confirm --affirm--> book',
      'confirm --deny--> get_date',
      'book --done--> booked',
      'book --error--> unavailable',
      'unavailable --always--> get_date',
    ]);
  });

  it('counts what was observed and names what was not', () => {
    const recorder = new CoverageRecorder();
    const id = 'book_appointment';
    recorder.observe({ flow: id, event: 'start', to: 'get_date' });
    recorder.observe({ flow: id, from: 'get_date', event: 'filled', to: 'window_from_time' });
    recorder.observe({
      flow: id,
      from: 'window_from_time',
      event: 'always',
      guard: 'timeInEvening',
      to: 'get_window',
    });
    // A guarded transition is covered only by its own guard.
    recorder.enter(id, 'confirm');
    const report = recorder.report([flow]);
    const [coverage] = report.flows;
    expect(coverage.states.covered).toEqual(['get_date', 'window_from_time', 'get_window', 'confirm']);
    expect(coverage.states.missed).toEqual(['book', 'booked', 'unavailable', 'gave_up']);
    expect(coverage.transitions.covered.map(describeEdge)).toEqual([
      'get_date --filled--> window_from_time',
      'window_from_time --always [timeInEvening]--> get_window',
    ]);
    expect(report.statePercent).toBe(50);
    expect(report.transitionPercent).toBeCloseTo((2 / 13) * 100);
  });
});
