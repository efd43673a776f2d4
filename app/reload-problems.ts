import { FlowValidationError } from '../dialogs/errors';
import { TrainingDataError } from '../nlu/loader';

/** One reason a bot's files did not build, located as well as the error allows. */
export interface ReloadProblem {
  file?: string;
  line?: number;
  reason: string;
}

/**
 * The problems behind a failed rebuild, one per located issue: a flow error lists every issue in every
 * file; anything else is one problem whose reason is its message on one line.
 */
export function reloadProblems(error: unknown): ReloadProblem[] {
  if (error instanceof FlowValidationError) {
    return error.issues
      .filter((issue) => issue.severity !== 'warning')
      .map((issue) => ({
        file: issue.file,
        ...(issue.line === undefined ? {} : { line: issue.line }),
        reason: oneLine(issue.path ? `${issue.path}: ${issue.message}` : issue.message),
      }));
  }
  if (error instanceof TrainingDataError) {
    return [
      {
        file: error.file,
        ...(error.line === undefined ? {} : { line: error.line }),
        reason: oneLine(error.reason),
      },
    ];
  }
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => locate(line));
}

/** `file.yaml:12: reason` or `file.yaml: reason` as written by loaders that only give a message. */
function locate(line: string): ReloadProblem {
  const match = /^(\S+\.(?:ya?ml|md|json))(?::(\d+))?:\s*(.*)$/.exec(line);
  if (!match) return { reason: line };
  const [, file, lineNumber, reason] = match;
  return {
    ...(file ? { file } : {}),
    ...(lineNumber ? { line: Number(lineNumber) } : {}),
    reason: reason || line,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
