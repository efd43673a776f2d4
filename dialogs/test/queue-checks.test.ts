import { checkQueues } from '../queue-checks';
import { parseFlow } from '../flow-loader';

const flow = (queue: string) => {
  const text = [
    'id: complaint',
    'triggers: [complaint]',
    'initial: to_agent',
    'states:',
    '  to_agent:',
    '    type: final',
    '    entry:',
    '      - say: Sorry about this.',
    `      - handoff: { reason: complaint, queue: ${queue} }`,
  ].join('\n');
  const { flow: parsed } = parseFlow('flows/complaint.flow.yaml', text);
  if (!parsed) throw new Error('the test flow did not parse');
  return parsed;
};

describe('handoff queues against the desk', () => {
  it('warns, with file and line, about a queue desk.yaml does not define', () => {
    const issues = checkQueues([flow('complaints')], ['general', 'retention']);
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'flows/complaint.flow.yaml',
        line: 9,
        path: 'states.to_agent.entry[1].handoff.queue',
        severity: 'warning',
        message: expect.stringContaining('"complaints"'),
      }),
    ]);
  });

  it('says nothing of a queue the desk has', () => {
    expect(checkQueues([flow('retention')], ['general', 'retention'])).toEqual([]);
  });
});
