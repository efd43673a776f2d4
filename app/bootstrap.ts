import { join } from 'node:path';
import type { Clock, Logger, Stores } from '../core/ports';
import { loadDialogEngine, type DialogImplementations } from '../dialogs';
import { trainBotNlu } from '../nlu';
import { setUpAgentDesk } from '../connectors/agent-desk/setup';
import { createCaseRouting } from '../handoff/case-routing';
import { createRestCallback } from '../handoff/rest-callback';
import { installHandoffTriggers } from '../handoff/triggers';
import { createMemoryStores } from '../stores/memory';
import { createRedisStores } from '../stores/redis';
import { redactText } from '../transcripts/redact';
import type { BotDefinition } from './bot-definition';
import type { ParleyConfig } from './config';
import { watchBotFiles } from './hot-reload';
import { createHttpServer, type BoundAddress, type HttpRoute, type SocketEndpoint } from './http-server';
import { createRuntime, systemClock, uuidIds, type BotParts, type ParleyRuntime } from './runtime';

export interface BuildOptions {
  logger: Logger;
  clock?: Clock;
}

/** Memory by default; Redis or Redis Cluster when configured. */
export async function createStores(config: ParleyConfig, { logger, clock }: BuildOptions): Promise<Stores> {
  const { retentionMs, store } = config;
  switch (store.kind) {
    case 'memory':
      return createMemoryStores({ retentionMs, logger, ...(clock ? { clock } : {}) });
    case 'redis':
      return createRedisStores({ url: store.url, retentionMs, logger });
    case 'cluster':
      return createRedisStores({ cluster: store.nodes, retentionMs, logger });
  }
}

/**
 * Trains the bot's NLU and loads and validates its flows: what the bot's files become. Throws (naming the
 * file and line) when a training file or a flow is invalid.
 */
export async function buildBotParts(
  bot: BotDefinition,
  config: Pick<ParleyConfig, 'nluThreshold'>,
  implementations: DialogImplementations = bot.createImplementations(),
): Promise<BotParts> {
  const nlu = await trainBotNlu(join(bot.directory, 'nlu'), {
    ...(config.nluThreshold !== undefined ? { threshold: config.nluThreshold } : {}),
  });
  const dialog = loadDialogEngine({
    flowsDir: join(bot.directory, 'flows'),
    implementations,
    options: { ...bot.engineOptions, intents: nlu.intents() },
  });
  return { nlu, dialog };
}

/** Builds the bot's parts and wires them to the stores through the turn pipeline. */
export async function buildRuntime(
  bot: BotDefinition,
  config: ParleyConfig,
  options: BuildOptions,
  implementations: DialogImplementations = bot.createImplementations(),
): Promise<ParleyRuntime> {
  const { nlu, dialog } = await buildBotParts(bot, config, implementations);
  const stores = await createStores(config, options);
  const clock = options.clock ?? systemClock;
  const runtime = createRuntime({
    stores,
    nlu,
    dialog,
    redact: redactText,
    logger: options.logger,
    clock,
    ...(bot.defaultLocale ? { defaultLocale: bot.defaultLocale } : {}),
    ...(config.restCallbackUrl
      ? { outbound: createRestCallback({ url: config.restCallbackUrl, logger: options.logger }) }
      : {}),
  });
  // On top of the flows' own handoffs: a clearly upset customer goes to a person (handoff/triggers).
  installHandoffTriggers(runtime, createCaseRouting({ stores, dialog: runtime.dialog, clock, ids: uuidIds }));
  return runtime;
}

export interface RunningParley {
  runtime: ParleyRuntime;
  address: BoundAddress;
  close(): Promise<void>;
}

/** Everything `npm start` runs: the runtime behind the HTTP server (REST, web chat, NLU debug). */
export async function startParley(
  bot: BotDefinition,
  config: ParleyConfig,
  options: BuildOptions & { routes?: HttpRoute[]; sockets?: SocketEndpoint[] },
): Promise<RunningParley> {
  const implementations = bot.createImplementations();
  const runtime = await buildRuntime(bot, config, options, implementations);
  const reload = config.reload
    ? watchBotFiles({
        bot,
        build: () => buildBotParts(bot, config, implementations),
        apply: (parts) => runtime.replaceBot(parts),
        logger: options.logger,
      })
    : undefined;
  const companyName = config.desk.companyName ?? bot.companyName;
  const desk = await setUpAgentDesk(
    { ...config.desk, ...(companyName ? { companyName } : {}) },
    {
      stores: runtime.stores,
      delivery: runtime,
      logger: options.logger,
      clock: options.clock ?? systemClock,
    },
  );
  const http = createHttpServer({
    runtime,
    logger: options.logger,
    routes: [...desk.routes, ...(options.routes ?? [])],
    sockets: [...desk.sockets, ...(options.sockets ?? [])],
  });
  const address = await http.listen(config.port, config.host);
  return {
    runtime,
    address,
    async close() {
      reload?.close();
      await http.close();
      await runtime.close();
    },
  };
}

export { loadBotDefinition } from './bot-definition';
