/** One problem in one flow file, located well enough for a designer to fix it. */
export interface FlowIssue {
  file: string;
  /** 1-based line in the YAML file, when the node could be found. */
  line?: number;
  /** Where inside the flow, e.g. `states.ask_date.on.affirm.target`. */
  path: string;
  message: string;
  /** A warning is worth a look but does not stop the bot from loading; absent means an error. */
  severity?: 'warning';
}

export function formatIssue(issue: FlowIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  const message = issue.severity === 'warning' ? `warning: ${issue.message}` : issue.message;
  return issue.path ? `${where} ${issue.path}: ${message}` : `${where}: ${message}`;
}

/** Thrown at load when any flow is invalid; carries every issue found, not only the first. */
export class FlowValidationError extends Error {
  constructor(readonly issues: FlowIssue[]) {
    super(`invalid flows:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'FlowValidationError';
  }
}

/** A named effect or look-up failed; the engine turns it into an apology and an `effect.failed` event. */
export class EffectError extends Error {
  constructor(
    readonly effect: string,
    readonly flow: string,
    readonly state: string,
    cause: unknown,
  ) {
    super(
      `effect ${effect} failed in ${flow}.${state}: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'EffectError';
  }
}

/** The engine itself went wrong (a flow that never settles); carries the flow and state for the log. */
export class DialogError extends Error {
  constructor(
    message: string,
    readonly flow: string,
    readonly state: string,
  ) {
    super(`${message} (${flow}.${state})`);
    this.name = 'DialogError';
  }
}
