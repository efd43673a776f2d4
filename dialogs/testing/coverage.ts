import { toDirectedGraph } from '@xstate/graph';
import type { CompiledFlow } from '../compile';
import type { FlowStepTaken } from '../types';

/** One transition of a flow: `from` on `event` (with `guard` when guarded) to `to`; `always` is eventless. */
export interface FlowEdge {
  from: string;
  event: string;
  guard?: string;
  to: string;
}

export interface FlowCoverage {
  flow: string;
  states: { total: number; covered: string[]; missed: string[] };
  transitions: { total: number; covered: FlowEdge[]; missed: FlowEdge[] };
}

export interface CoverageReport {
  flows: FlowCoverage[];
  /** Covered share of every flow's states, 0–100. */
  statePercent: number;
  /** Covered share of every flow's transitions, 0–100. */
  transitionPercent: number;
}

const edgeKey = (edge: Omit<FlowEdge, 'guard'> & { guard?: string }): string =>
  `${edge.from}|${edge.event}|${edge.guard ?? ''}|${edge.to}`;

function guardName(guard: unknown): string | undefined {
  if (typeof guard === 'string') return guard;
  const type = (guard as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

interface TransitionLike {
  eventType: string;
  guard?: unknown;
  target?: ReadonlyArray<{ key: string }>;
}

function toEdge(from: string, transition: TransitionLike, event: string): FlowEdge {
  const guard = guardName(transition.guard);
  return { from, event, ...(guard ? { guard } : {}), to: transition.target?.[0]?.key ?? from };
}

/**
 * Every state and transition of a flow, from `@xstate/graph`'s directed graph of its machine. The graph
 * leaves out eventless `always` transitions, so they are added from each state node.
 */
export function flowGraph(flow: CompiledFlow): { states: string[]; edges: FlowEdge[] } {
  const graph = toDirectedGraph(flow.machine);
  const states: string[] = [];
  const edges: FlowEdge[] = [];
  for (const node of graph.children) {
    const state = node.stateNode.key;
    states.push(state);
    for (const edge of node.edges) {
      const guard = guardName(edge.transition.guard);
      edges.push({ from: state, event: edge.label.text, ...(guard ? { guard } : {}), to: edge.target.key });
    }
    for (const transition of node.stateNode.always ?? []) edges.push(toEdge(state, transition, 'always'));
  }
  return { states, edges };
}

/**
 * Collects the steps flows take while scripts run (give `observe` to the engine options) and reports, per
 * flow, which states and transitions some script reached and which none did.
 */
export class CoverageRecorder {
  private readonly states = new Map<string, Set<string>>();
  private readonly edges = new Map<string, Set<string>>();

  readonly observe = (step: FlowStepTaken): void => {
    this.enter(step.flow, step.to);
    if (step.from !== undefined) {
      const set = this.edges.get(step.flow) ?? new Set<string>();
      set.add(edgeKey({ from: step.from, event: step.event, guard: step.guard, to: step.to }));
      this.edges.set(step.flow, set);
    }
  };

  /** A script that starts mid-flow covers the state it starts in. */
  enter(flow: string, state: string): void {
    const set = this.states.get(flow) ?? new Set<string>();
    set.add(state);
    this.states.set(flow, set);
  }

  report(flows: Iterable<CompiledFlow>): CoverageReport {
    const result: FlowCoverage[] = [];
    for (const flow of flows) {
      const id = flow.spec.id;
      const { states, edges } = flowGraph(flow);
      const seenStates = this.states.get(id) ?? new Set<string>();
      const seenEdges = this.edges.get(id) ?? new Set<string>();
      const coveredEdges = edges.filter((edge) => seenEdges.has(edgeKey(edge)));
      result.push({
        flow: id,
        states: {
          total: states.length,
          covered: states.filter((state) => seenStates.has(state)),
          missed: states.filter((state) => !seenStates.has(state)),
        },
        transitions: {
          total: edges.length,
          covered: coveredEdges,
          missed: edges.filter((edge) => !coveredEdges.includes(edge)),
        },
      });
    }
    const sum = (pick: (flow: FlowCoverage) => number): number =>
      result.reduce((total, flow) => total + pick(flow), 0);
    const percent = (covered: number, total: number): number => (total === 0 ? 100 : (100 * covered) / total);
    return {
      flows: result,
      statePercent: percent(
        sum((flow) => flow.states.covered.length),
        sum((flow) => flow.states.total),
      ),
      transitionPercent: percent(
        sum((flow) => flow.transitions.covered.length),
        sum((flow) => flow.transitions.total),
      ),
    };
  }
}

/** `get_order --filled--> look_up`, `look_up --done [orderShipped]--> shipped`. */
export function describeEdge(edge: FlowEdge): string {
  return `${edge.from} --${edge.event}${edge.guard ? ` [${edge.guard}]` : ''}--> ${edge.to}`;
}
