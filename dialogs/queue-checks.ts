import type { FlowIssue } from './errors';
import type { IssuePath, SourceFlow } from './flow-loader';

/** Every `handoff: { queue: … }` in a flow, with where it sits. */
function namedQueues(
  value: unknown,
  path: IssuePath,
  found: Array<{ queue: string; path: IssuePath }>,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => namedQueues(item, [...path, i], found));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    const queue =
      key === 'handoff' && typeof item === 'object' && item !== null
        ? (item as { queue?: unknown }).queue
        : undefined;
    if (typeof queue === 'string') found.push({ queue, path: [...path, key, 'queue'] });
    else namedQueues(item, [...path, key], found);
  }
}

/**
 * Warns about a handoff to a queue the bot's desk does not define (`desk.yaml`): its cases would have no
 * SLA, no place in the desk's queue filter and no agent with the skill to claim them.
 */
export function checkQueues(flows: readonly SourceFlow[], queueIds: readonly string[]): FlowIssue[] {
  const known = new Set(queueIds);
  return flows.flatMap((flow) => {
    const found: Array<{ queue: string; path: IssuePath }> = [];
    namedQueues(flow.spec, [], found);
    return found
      .filter(({ queue }) => !known.has(queue))
      .map(({ queue, path }) => ({
        ...flow.issue(
          path,
          `hands off to queue "${queue}", which desk.yaml does not define (queues: ${[...known].join(', ')})`,
        ),
        severity: 'warning' as const,
      }));
  });
}
