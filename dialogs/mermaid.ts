import { transitionList, type FlowSpec, type StateSpec } from './flow-schema';
import { labelIn } from './localized';

function label(event: string, guard: string | undefined): string {
  const text = guard ? `${event} [${guard}]` : event;
  // Mermaid reads ':' and quotes in labels as syntax.
  return text.replace(/[:"]/g, ' ');
}

function stateNote(state: StateSpec): string | undefined {
  if (state.collect) return `collect ${state.collect}`;
  const lookups = (state.entry ?? []).flatMap((action) =>
    'lookup' in action ? [typeof action.lookup === 'string' ? action.lookup : action.lookup.name] : [],
  );
  if (lookups.length > 0) return `lookup ${lookups.join(', ')}`;
  const handoff = (state.entry ?? []).find((action) => 'handoff' in action);
  return handoff ? 'handoff' : undefined;
}

/** A Mermaid `stateDiagram-v2` of one flow, for designers to paste into docs. */
export function flowToMermaid(spec: FlowSpec): string {
  const lines = [
    'stateDiagram-v2',
    `  %% ${spec.id}${spec.title ? `: ${labelIn(spec.title, 'en', 'en')}` : ''}`,
  ];
  lines.push(`  [*] --> ${spec.initial}`);
  for (const [name, state] of Object.entries(spec.states)) {
    const note = stateNote(state);
    if (note) lines.push(`  ${name} : ${name} (${note.replace(/:/g, ' ')})`);
    for (const [event, written] of Object.entries(state.on ?? {})) {
      for (const transition of transitionList(written)) {
        if (transition.target)
          lines.push(`  ${name} --> ${transition.target} : ${label(event, transition.guard)}`);
      }
    }
    for (const transition of transitionList(state.always)) {
      if (transition.target)
        lines.push(
          `  ${name} --> ${transition.target}${transition.guard ? ` : [${label(transition.guard, undefined)}]` : ''}`,
        );
    }
    if (state.type === 'final') lines.push(`  ${name} --> [*]`);
  }
  return `${lines.join('\n')}\n`;
}
