import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../core/ports';
import type { Reply } from '../core/message';
import { loadDialogEngine, type CompiledFlow, type DialogImplementations } from '../dialogs';
import { CoverageRecorder, type CoverageReport } from '../dialogs/testing/coverage';
import {
  loadConversationScripts,
  type ConversationScript,
  type ScriptLookupStub,
} from '../dialogs/testing/conversation-script';
import type { JsonValue } from '../core/json';
import {
  runConversation,
  scriptConversationId,
  type ScriptTarget,
} from '../dialogs/testing/conversation-runner';
import { trainBotNlu, type NluModel } from '../nlu';
import { silentLogger } from '../stores/silent-logger';
import { botMessages, buildRuntime } from './bootstrap';
import { withLinking } from '../linking/implementations';
import type { BotDefinition } from './bot-definition';
import { loadConfig } from './config';
import type { ParleyRuntime } from './runtime';

/**
 * The bot's implementations with some look-ups answered by a script (`lookups:` in a `*.conv.yaml`):
 * a value, or a failure the flow's `error` branch takes.
 */
export function withScriptLookups(
  implementations: DialogImplementations,
  stubs: Record<string, ScriptLookupStub> = {},
): DialogImplementations {
  const stubbed = Object.fromEntries(
    Object.entries(stubs).map(([name, stub]) => [
      name,
      (): JsonValue => {
        if ('fails' in stub) throw new Error(stub.fails);
        return stub.returns;
      },
    ]),
  );
  return { ...implementations, lookups: { ...implementations.lookups, ...stubbed } };
}

export interface BotTestOptions {
  /** A Redis to run on (a test database: scripts write conversations and cases into it); memory when unset. */
  redisUrl?: string;
  /** Where the scripts are; the bot's `tests/` by default. */
  scriptsDir?: string;
  logger?: Logger;
}

export interface ScriptResult {
  script: ConversationScript;
  /** Undefined when the script passed. */
  failure?: string;
  seconds: number;
}

export interface BotTestRun {
  results: ScriptResult[];
  coverage: CoverageReport;
}

/**
 * Runs a bot's `*.conv.yaml` scripts against its whole runtime (NLU trained once, flows, its
 * implementations, handoff triggers) on a clock each script sets, and records which flow states and
 * transitions they reach. Each script gets a fresh runtime, so no script sees another's back-end state.
 */
export async function runBotTests(bot: BotDefinition, options: BotTestOptions = {}): Promise<BotTestRun> {
  const scriptsDir = options.scriptsDir ?? join(bot.directory, 'tests');
  if (!existsSync(scriptsDir)) throw new Error(`no conversation scripts: ${scriptsDir} does not exist`);
  const scripts = loadConversationScripts(scriptsDir);
  if (scripts.length === 0) throw new Error(`no conversation scripts (*.conv.yaml) in ${scriptsDir}`);
  const nlu = await trainBotNlu(join(bot.directory, 'nlu'));
  const coverage = new CoverageRecorder();
  const observed: BotDefinition = {
    ...bot,
    engineOptions: { ...bot.engineOptions, observe: coverage.observe },
  };
  const flows = loadFlows(bot, nlu);
  // On a shared Redis, conversations of this run never meet those of an earlier one.
  const run = options.redisUrl ? `${randomUUID().slice(0, 8)}:` : '';
  const results: ScriptResult[] = [];
  for (const script of scripts) {
    const started = performance.now();
    const failure = await runOne(script, { bot: observed, nlu, flows, coverage, run, options });
    results.push({ script, ...(failure ? { failure } : {}), seconds: (performance.now() - started) / 1000 });
  }
  return { results, coverage: coverage.report(flows.values()) };
}

function loadFlows(bot: BotDefinition, nlu: NluModel): ReadonlyMap<string, CompiledFlow> {
  return loadDialogEngine({
    flowsDir: join(bot.directory, 'flows'),
    // The same look-ups the runtime offers flows (linking's among them), so every flow loads.
    implementations: withLinking(bot.createImplementations()),
    options: { ...bot.engineOptions, intents: nlu.intents() },
    messages: botMessages(bot),
  }).flows;
}

interface RunContext {
  bot: BotDefinition;
  nlu: NluModel;
  flows: ReadonlyMap<string, CompiledFlow>;
  coverage: CoverageRecorder;
  run: string;
  options: BotTestOptions;
}

/** Plays one script on a fresh runtime; the failure's message, or undefined when it passed. */
async function runOne(script: ConversationScript, context: RunContext): Promise<string | undefined> {
  const { start } = script;
  if (start) {
    const flow = context.flows.get(start.flow);
    if (!flow) return `${script.file} "${script.name}": start: no flow "${start.flow}"`;
    if (!flow.spec.states[start.state])
      return `${script.file} "${script.name}": start: flow "${start.flow}" has no state "${start.state}"`;
  }
  const conversationId = `${context.run}${scriptConversationId(script)}`;
  const target = await createScriptTarget(context.bot, context.nlu, {
    ...context.options,
    ...(script.lookups ? { lookups: script.lookups } : {}),
  });
  try {
    if (start) context.coverage.enter(start.flow, start.state);
    // On a shared Redis an address keeps its conversation: each script writes from an address of its own.
    const channelUserId = context.run ? `${context.run}${conversationId}` : 'script-user';
    await runConversation(script, target, { conversationId, channelUserId });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await target.runtime.close();
  }
}

/**
 * The bot's whole runtime as `npm start` builds it (real NLU, flows, back-end look-ups, handoff triggers),
 * on a clock the script sets: what one conversation script runs against. Memory by default, or a Redis.
 */
export async function createScriptTarget(
  bot: BotDefinition,
  nlu: NluModel,
  options: Pick<BotTestOptions, 'redisUrl' | 'logger'> & {
    /** A script's `lookups:` stubs. */
    lookups?: Record<string, ScriptLookupStub>;
  } = {},
): Promise<ScriptTarget & { runtime: ParleyRuntime }> {
  let now = 0;
  let ids = 0;
  // Unique on a shared Redis; scripts name cases case-1, case-2… whatever their ids (conversation-runner).
  const prefix = options.redisUrl ? `${randomUUID().slice(0, 8)}:` : '';
  // Only what a script needs: none of the environment's hubs, callbacks or tokens.
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PARLEY_RELOAD: 'false',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
  });
  const runtime = await buildRuntime(bot, config, {
    logger: options.logger ?? silentLogger,
    clock: { now: () => now },
    ids: { next: () => `${prefix}case-${(ids += 1)}` },
    nlu,
    ...(options.lookups
      ? { implementations: withScriptLookups(bot.createImplementations(), options.lookups) }
      : {}),
  });
  return {
    runtime,
    handle: (message) => runtime.handle(message),
    // Hand-back replies reach the customer as pushes, like an agent's messages.
    handBack: async (conversationId, input) => {
      const pushed: Reply[] = [];
      const stop = await runtime.onPush(conversationId, (reply) => pushed.push(reply));
      await runtime.handBack(conversationId, input);
      await stop();
      return pushed;
    },
    stores: runtime.stores,
    setNow: (epochMs) => {
      now = epochMs;
    },
  };
}
