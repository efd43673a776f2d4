import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { HttpRequest, HttpResponse, HttpRoute } from '../../core/http';
import type { TranscriptReader } from '../../core/ports';
import { flowToMermaid, type CompiledFlow, type FlowStepTaken } from '../../dialogs';
import type { DialogEngine } from '../../core/dialog';
import type { NluResult } from '../../core/nlu';
import { loadConversationScripts } from '../../dialogs/testing/conversation-script';
import { reloadProblems } from '../reload-problems';
import { customerLinesOf, customerLinesOfTranscript, replayConversation } from './replay';

/** What the flow viewer's API reads: the bot's files as they are now, its NLU and its transcripts. */
export interface DesignerApiDeps {
  botName: string;
  botDirectory: string;
  /** The bot's flows as they are on disk now, compiled; throws when a file is invalid. */
  loadEngine(observe?: (step: FlowStepTaken) => void): DialogEngine & {
    readonly flows: ReadonlyMap<string, CompiledFlow>;
  };
  /** The running bot's NLU, on redacted text. */
  parse(text: string): Promise<NluResult>;
  transcripts: TranscriptReader;
  now: () => number;
  /** Undefined lets the request through; otherwise the refusal to send (401, 403). */
  guard(request: HttpRequest): Promise<HttpResponse | undefined>;
}

const parseBody = z.strictObject({ text: z.string().min(1).max(2000) });
const replayBody = z.union([
  z.strictObject({ conversationId: z.string().min(1).max(200) }),
  z.strictObject({ transcript: z.string().min(1).max(100_000) }),
]);
const MAX_REPLAYED_TURNS = 200;

/** The viewer's JSON API under `/designer/api/`, every route behind the guard. */
export function designerApiRoutes(deps: DesignerApiDeps): HttpRoute[] {
  const guarded =
    (handle: (request: HttpRequest) => Promise<HttpResponse>) =>
    async (request: HttpRequest): Promise<HttpResponse> =>
      (await deps.guard(request)) ?? handle(request);
  return [
    { method: 'GET', path: '/designer/api/flows', handle: guarded(async () => flowsResponse(deps)) },
    {
      method: 'GET',
      path: '/designer/api/conversations',
      handle: guarded(async () => scriptsResponse(deps)),
    },
    {
      method: 'POST',
      path: '/designer/api/parse',
      handle: guarded((request) => parseResponse(deps, request)),
    },
    {
      method: 'POST',
      path: '/designer/api/replay',
      handle: guarded((request) => replayResponse(deps, request)),
    },
  ];
}

/** Every flow with its spec (states, prompts, slots, effects) and its Mermaid diagram. */
function flowsResponse(deps: DesignerApiDeps): HttpResponse {
  try {
    const flows = [...deps.loadEngine().flows.values()].map(({ spec }) => ({
      id: spec.id,
      spec,
      mermaid: flowToMermaid(spec),
    }));
    return { status: 200, json: { bot: deps.botName, flows } };
  } catch (error) {
    const problems = reloadProblems(error).map(
      (problem) =>
        [problem.file, problem.line].filter((part) => part !== undefined).join(':') + `: ${problem.reason}`,
    );
    return { status: 422, json: { error: 'invalid_flows', problems } };
  }
}

/** The bot's conversation scripts that start at the beginning: conversations to pick and replay. */
function scriptsResponse(deps: DesignerApiDeps): HttpResponse {
  const dir = join(deps.botDirectory, 'tests');
  if (!existsSync(dir)) return { status: 200, json: { conversations: [] } };
  try {
    const conversations = loadConversationScripts(dir)
      .filter((script) => !script.start)
      .map((script) => ({
        file: basename(script.file),
        name: script.name,
        lines: script.steps.flatMap(({ step }) => ('user' in step ? [step.user] : [])),
      }))
      .filter((script) => script.lines.length > 0);
    return { status: 200, json: { conversations } };
  } catch (error) {
    return { status: 422, json: { error: 'invalid_scripts', detail: oneLine(error) } };
  }
}

async function parseResponse(deps: DesignerApiDeps, request: HttpRequest): Promise<HttpResponse> {
  const body = parseBody.safeParse(request.body);
  if (!body.success) return badRequest('expected {"text": "a sentence"} (1 to 2000 characters)');
  const result = await deps.parse(body.data.text);
  return {
    status: 200,
    json: {
      text: result.text,
      locale: result.locale,
      intent: result.intent,
      ranking: result.intent_ranking,
      entities: result.entities,
    },
  };
}

async function replayResponse(deps: DesignerApiDeps, request: HttpRequest): Promise<HttpResponse> {
  const body = replayBody.safeParse(request.body);
  if (!body.success) return badRequest('expected {"conversationId": "…"} or {"transcript": "user> …"}');
  const lines =
    'conversationId' in body.data
      ? customerLinesOfTranscript(
          await deps.transcripts.read(body.data.conversationId, { limit: MAX_REPLAYED_TURNS * 4 }),
        )
      : customerLinesOf(body.data.transcript);
  if (lines.length === 0) {
    const what =
      'conversationId' in body.data ? 'no customer messages in that conversation' : 'no customer lines';
    return { status: 404, json: { error: 'nothing_to_replay', detail: what } };
  }
  try {
    const turns = await replayConversation(lines.slice(0, MAX_REPLAYED_TURNS), {
      loadEngine: (observe) => deps.loadEngine(observe),
      parse: deps.parse,
      now: deps.now,
    });
    return { status: 200, json: { turns, visited: visitedByFlow(turns.flatMap((turn) => turn.steps)) } };
  } catch (error) {
    return { status: 422, json: { error: 'replay_failed', detail: oneLine(error) } };
  }
}

/** Per flow, the states and transitions taken, in order of first visit. */
function visitedByFlow(
  steps: readonly FlowStepTaken[],
): Record<string, { states: string[]; transitions: string[] }> {
  const visited: Record<string, { states: string[]; transitions: string[] }> = {};
  for (const step of steps) {
    const flow = (visited[step.flow] ??= { states: [], transitions: [] });
    for (const state of [step.from, step.to]) {
      if (state && !flow.states.includes(state)) flow.states.push(state);
    }
    const transition = `${step.from ?? '[*]'} -> ${step.to} (${step.event})`;
    if (!flow.transitions.includes(transition)) flow.transitions.push(transition);
  }
  return visited;
}

function badRequest(detail: string): HttpResponse {
  return { status: 400, json: { error: 'bad_request', detail } };
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}
