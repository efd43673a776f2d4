import {
  createActor,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
  type ExecutableActionObject,
} from 'xstate';

/**
 * XState's pure `transition()` and `initialTransition()`, with one inert actor scope per machine instead
 * of one per call. XState builds a throw-away actor for every call, and an actor computes its machine's
 * initial snapshot as it is built: about a fifth of a flow step. A flow's machine spawns and invokes
 * nothing (guards, `assign` and named actions only), so the scope carries nothing from one call to the
 * next but its action collector, set for each call; calls are synchronous, so two never share it.
 */
const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();
const ignore = (): void => {};

function scopeOf(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = {
      self,
      id: '',
      sessionId: '',
      logger: ignore,
      defer: ignore,
      emit: ignore,
      system: self.system,
      stopChild: ignore,
      actionExecutor: ignore,
    };
    scopes.set(machine, scope);
  }
  return scope;
}

function collecting<T>(
  machine: AnyStateMachine,
  step: (scope: AnyActorScope) => T,
): [T, ExecutableActionObject[]] {
  const scope = scopeOf(machine);
  const actions: ExecutableActionObject[] = [];
  scope.actionExecutor = (action) => void actions.push(action);
  try {
    return [step(scope), actions];
  } finally {
    scope.actionExecutor = ignore;
  }
}

/** The snapshot after `event` and the actions to execute, as XState's `transition` gives them. */
export function stepFlow(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: EventObject,
): [AnyMachineSnapshot, ExecutableActionObject[]] {
  return collecting(machine, (scope) => machine.transition(snapshot, event, scope) as AnyMachineSnapshot);
}

/** The first snapshot for `input` and its entry actions, as XState's `initialTransition` gives them. */
export function startFlow(
  machine: AnyStateMachine,
  input: unknown,
): [AnyMachineSnapshot, ExecutableActionObject[]] {
  return collecting(machine, (scope) => machine.getInitialSnapshot(scope, input) as AnyMachineSnapshot);
}
