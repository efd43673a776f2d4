import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { FlowIssue } from './errors';
import { flowSchema, type FlowSpec } from './flow-schema';

export type IssuePath = ReadonlyArray<string | number>;

/** A flow file parsed and schema-checked, with a way to point issues at its YAML lines. */
export interface SourceFlow {
  file: string;
  spec: FlowSpec;
  issue(path: IssuePath, message: string): FlowIssue;
}

export const FLOW_FILE = /\.flow\.ya?ml$/;

/** `states.look_up.on.done[0].target`: how designers read a location inside a flow. */
export function formatPath(path: IssuePath): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${key}` : key;
  }, '');
}

/** The node for `path`: a map entry's key (so a state points at its name's line), or a list item. */
function nodeAt(doc: Document, path: IssuePath): Node | undefined {
  if (path.length === 0) return isNode(doc.contents) ? doc.contents : undefined;
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
    return isNode(pair?.key) ? pair.key : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last];
    return isNode(item) ? item : undefined;
  }
  return undefined;
}

/** The line of the deepest YAML node along `path` that exists (a missing key points at its parent). */
function lineOf(doc: Document, lines: LineCounter, path: IssuePath): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = nodeAt(doc, path.slice(0, depth));
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

const EFFECT_KEYS = ['say', 'note', 'lookup', 'do', 'handoff', 'set', 'clear', 'reject'];

/** zod says "Invalid input" for a failed union; an effect list deserves a reason a designer can act on. */
function explain(issue: z.core.$ZodIssue, value: unknown): string {
  const inActions = issue.path.at(-2) === 'entry' || issue.path.at(-2) === 'actions';
  if (issue.code !== 'invalid_union' || !inActions) return issue.message;
  const keys = value && typeof value === 'object' ? Object.keys(value) : [];
  const unknown = keys.filter((key) => !EFFECT_KEYS.includes(key));
  if (keys.length !== 1 || unknown.length > 0) {
    return `${unknown.length ? `unknown effect "${unknown.join('", "')}"` : 'not an effect'}: write one of ${EFFECT_KEYS.join(', ')}`;
  }
  return `invalid "${keys[0]}" effect`;
}

function zodIssues(error: z.ZodError, doc: Document, make: SourceFlow['issue']): FlowIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    const node = doc.getIn(path, true);
    return make(path, explain(issue, isNode(node) ? node.toJSON() : node));
  });
}

/** Parses and schema-checks one flow's YAML text. `file` only labels the issues. */
export function parseFlow(file: string, source: string): { flow?: SourceFlow; issues: FlowIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const issue = (path: IssuePath, message: string): FlowIssue => ({
    file,
    line: lineOf(doc, lines, path),
    path: formatPath(path),
    message,
  });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((error) => ({
        file,
        line: lines.linePos(error.pos[0]).line,
        path: '',
        message: `YAML syntax: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  const parsed = flowSchema.safeParse(doc.toJS());
  if (!parsed.success) return { issues: zodIssues(parsed.error, doc, issue) };
  return { flow: { file, spec: parsed.data, issue }, issues: [] };
}

/** Reads every `*.flow.yaml` in `flowsDir` (sorted, so menus keep a stable order). */
export function readFlowDir(
  flowsDir: string,
  labelFrom = process.cwd(),
): { flows: SourceFlow[]; issues: FlowIssue[] } {
  const files = readdirSync(flowsDir)
    .filter((entry) => FLOW_FILE.test(entry))
    .sort();
  const flows: SourceFlow[] = [];
  const issues: FlowIssue[] = [];
  for (const entry of files) {
    const path = join(flowsDir, entry);
    const result = parseFlow(relative(labelFrom, path) || path, readFileSync(path, 'utf8'));
    if (result.flow) flows.push(result.flow);
    issues.push(...result.issues);
  }
  if (files.length === 0) issues.push({ file: flowsDir, path: '', message: 'no *.flow.yaml files found' });
  return { flows, issues };
}
