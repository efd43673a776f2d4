import { join } from 'node:path';
import type { Clock, IdGenerator, Logger, Stores } from '../core/ports';
import { loadDialogEngine, type DialogImplementations } from '../dialogs';
import type { ConsentLedger } from '../core/privacy';
import { trainBotNlu, type NluModel } from '../nlu';
import { setUpAgentDesk } from '../desk/setup';
import { loadBotDeskConfig, routeToQueue } from '../desk/desk-config';
import { installPrivacy } from '../privacy/setup';
import { installHubExport } from '../handoff/export';
import { installHandoffTriggers } from '../handoff/triggers';
import { createSatisfactionRelay } from '../handoff/satisfaction-relay';
import { handoffInitiationBody } from '../connectors/botframework/handoff-initiate';
import { withConsentPrefetch } from '../stores/consent-prefetch';
import { createMemoryStores } from '../stores/memory';
import { createRedisStores } from '../stores/redis';
import { addPostgresRecords } from '../stores/postgres';
import { redactText } from '../transcripts/redact';
import { loadKnowledgeBase } from '../knowledge/knowledge-base';
import type { KnowledgeBase } from '../core/knowledge';
import type { BotDefinition } from './bot-definition';
import type { ParleyConfig } from './config';
import { createHttpServer, type BoundAddress } from '../connectors/http/http-server';
import type { HealthCheck, HttpRoute, SocketEndpoint } from '../core/http';
import { systemClock } from '../core/defaults';
import { createConnectorRegistry } from '../core/connector-registry';
import { createTwilioConnectors } from '../connectors/twilio/twilio.connector';
import { createOfflineVoiceConnector } from '../connectors/voice/voice.setup';
import type { VoiceOptions } from '../connectors/voice/voice.connector';
import { createRestConnector } from '../connectors/rest/rest.connector';
import { createWebChatConnector } from '../connectors/webchat/webchat.connector';
import type { MessageCatalogue } from '../core/messages';
import { loadMessages } from '../locales/load';
import { createBotFrameworkConnector } from '../connectors/botframework/botframework.connector';
import { createSharedReferenceStore } from '../connectors/botframework/botframework.references';
import { createAlexaConnector, type AlexaOptions } from '../connectors/alexa/alexa.connector';
import { createRuntime, type BotParts, type ParleyRuntime } from './runtime';
import { linkingSlot, withLinking, type LinkingSlot } from '../linking/implementations';
import { createLinking, type Linking } from '../linking/linking';
import { createSmtpMailer } from '../connectors/email/smtp.mailer';
import { conversationIdOf } from '../connectors/twilio/twilio.inbound';
import {
  createDeviceConnector,
  type DeviceConnector,
  type DeviceConnectorOptions,
} from '../connectors/devices/device.connector';
import { installTurnAnalytics, openAnalytics } from './analytics';
import { createPrometheusMetrics } from '../analytics/prometheus';
import { createDesignerTools } from './designer-tools';

export interface BuildOptions {
  logger: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  /** The bot's effects and look-ups, when the caller keeps them (hot reload reuses them). */
  implementations?: DialogImplementations;
  /** An already trained model, so tests that build many runtimes train once. */
  nlu?: NluModel;
  /** Linking's flow look-ups, bound once the runtime exists (`startParley` shares it with hot reload). */
  linking?: LinkingSlot;
}

/**
 * Memory by default; Redis or Redis Cluster when configured. With DATABASE_URL, transcripts and cases go to
 * PostgreSQL (migrated first) and the hot state stays where it was. A turn's consent is read as it starts
 * (`stores/consent-prefetch.ts`).
 */
export async function createStores(config: ParleyConfig, options: BuildOptions): Promise<Stores> {
  return withConsentPrefetch(await createRecordStores(config, options));
}

async function createRecordStores(config: ParleyConfig, options: BuildOptions): Promise<Stores> {
  const hot = await createHotStores(config, options);
  if (!config.database) return hot;
  const { logger, clock } = options;
  const { retentionMs, consentRetentionMs, auditRetentionMs, retention } = config;
  return addPostgresRecords(hot, {
    databaseUrl: config.database.url,
    queryTimeoutMs: config.timeouts.postgresQueryMs,
    connectTimeoutMs: config.timeouts.postgresConnectMs,
    retentionMs,
    consentRetentionMs,
    auditRetentionMs,
    retention,
    logger,
    ...(clock ? { clock } : {}),
  });
}

async function createHotStores(config: ParleyConfig, { logger, clock }: BuildOptions): Promise<Stores> {
  const {
    retentionMs,
    store,
    timeouts,
    turnLeaseMs: lockLeaseMs,
    consentRetentionMs,
    auditRetentionMs,
  } = config;
  const periods = { retentionMs, consentRetentionMs, auditRetentionMs, retention: config.retention };
  const policy = {
    commandTimeoutMs: timeouts.redisCommandMs,
    reconnectMaxDelayMs: timeouts.redisReconnectMaxMs,
    offlineQueue: timeouts.redisOfflineQueue,
  };
  switch (store.kind) {
    case 'memory':
      return createMemoryStores({
        ...periods,
        maxConversations: config.memoryMaxConversations,
        logger,
        ...(clock ? { clock } : {}),
      });
    case 'redis':
      return createRedisStores({ url: store.url, ...periods, lockLeaseMs, logger, ...policy });
    case 'cluster':
      return createRedisStores({ cluster: store.nodes, ...periods, lockLeaseMs, logger, ...policy });
  }
}

/**
 * Trains the bot's NLU and loads and validates its flows: what the bot's files become. Throws (naming the
 * file and line) when a training file or a flow is invalid.
 */
export async function buildBotParts(
  bot: BotDefinition,
  config: Pick<ParleyConfig, 'nluThreshold' | 'llm'>,
  implementations: DialogImplementations = bot.createImplementations(),
  trained?: NluModel,
  logger?: Logger,
): Promise<BotParts> {
  // Flows may name linking's look-ups; a runtime binds them (`buildRuntime`), elsewhere they fail cleanly.
  const withLinks = withLinking(implementations);
  const nlu =
    trained ??
    (await trainBotNlu(join(bot.directory, 'nlu'), {
      ...(config.nluThreshold !== undefined ? { threshold: config.nluThreshold } : {}),
    }));
  const dialog = loadDialogEngine({
    flowsDir: join(bot.directory, 'flows'),
    implementations: withLinks,
    options: { ...bot.engineOptions, intents: nlu.intents(), ...botKnowledge(bot, config, logger) },
    messages: botMessages(bot),
  });
  return { nlu, dialog };
}

/** The bot's `knowledge/` help centre, read again with the flows on every reload. */
function botKnowledge(
  bot: BotDefinition,
  config: Pick<ParleyConfig, 'llm'>,
  logger?: Logger,
): { knowledge?: KnowledgeBase } {
  const knowledge = loadKnowledgeBase(join(bot.directory, 'knowledge'), {
    ...(bot.defaultLocale ? { defaultLocale: bot.defaultLocale } : {}),
    ...(config.llm ? { llm: config.llm } : {}),
    ...(bot.companyName ? { company: bot.companyName } : {}),
    ...(logger ? { logger } : {}),
  });
  return knowledge ? { knowledge } : {};
}

/** The framework's sentences with the bot's `locales/*.yaml` and its definition's overrides on top. */
export function botMessages(bot: BotDefinition): MessageCatalogue {
  return loadMessages({
    botDirectory: bot.directory,
    ...(bot.messages ? { overrides: bot.messages } : {}),
    ...(bot.defaultLocale ? { defaultLocale: bot.defaultLocale } : {}),
  });
}

/** Builds the bot's parts and wires them to the stores through the turn pipeline. */
export async function buildRuntime(
  bot: BotDefinition,
  config: ParleyConfig,
  options: BuildOptions,
): Promise<ParleyRuntime & { linking: Linking }> {
  const slot = options.linking ?? linkingSlot();
  const own = options.implementations ?? bot.createImplementations();
  // Personalisation and `consent:` states use the consent ledger, which exists only once the stores do: it binds late.
  // Set on the runtime's own implementations, so flows reloaded with them keep it.
  const bound: { ledger?: ConsentLedger } = {};
  own.consentLedger ??= {
    history: async (customerId) => (bound.ledger ? bound.ledger.history(customerId) : []),
    record: async (consent) => bound.ledger?.record(consent),
  };
  const implementations = withLinking(own, slot);
  const { nlu, dialog } = await buildBotParts(bot, config, implementations, options.nlu, options.logger);
  const stores = await createStores(config, options);
  bound.ledger = stores.consent;
  const clock = options.clock ?? systemClock;
  const deskConfig = await loadBotDeskConfig(bot.directory);
  const runtime = createRuntime({
    routeQueue: (facts, requested) => routeToQueue(deskConfig, facts, requested),
    stores,
    nlu,
    dialog,
    redact: redactText,
    logger: options.logger,
    clock,
    ...(options.ids ? { ids: options.ids } : {}),
    ...(bot.defaultLocale ? { defaultLocale: bot.defaultLocale } : {}),
    messages: botMessages(bot),
  });
  // On top of the flows' own handoffs: a clearly upset customer goes to a person (handoff/triggers).
  installHandoffTriggers(runtime, runtime.handoff, bot.handoff, { messages: runtime.messages });
  runtime.pipeline.use('record', createSatisfactionRelay(stores.bus));
  const linked = installLinking(runtime, bot, config, options, slot);
  const analytics = await openAnalytics(config, { ...options, consent: stores.consent }).catch(
    async (error: unknown) => {
      await linked.close();
      throw error;
    },
  );
  installTurnAnalytics(runtime, analytics.recorder, {
    clock,
    ...(bot.defaultLocale ? { defaultLocale: bot.defaultLocale } : {}),
  });
  const counted = {
    ...linked,
    analytics,
    async close() {
      await linked.close();
      await analytics.store.close();
    },
  };
  if (!config.hub) return counted;
  const hub = installHubExport(counted, {
    url: config.hub.url,
    secret: config.hub.secret,
    logger: options.logger,
    clock,
    ...(config.hub.format === 'botframework' ? { body: handoffInitiationBody } : {}),
  });
  return {
    ...counted,
    async close() {
      await hub.drain();
      await counted.close();
    },
  };
}

/**
 * Verified channel linking (`linking/`): codes go out by SMS through the outbox when Twilio can send, by
 * e-mail when SMTP is configured; a code sent from a new address links it before the pipeline resolves
 * who wrote.
 */
function installLinking(
  runtime: ParleyRuntime,
  bot: BotDefinition,
  config: ParleyConfig,
  options: BuildOptions,
  slot: LinkingSlot,
): ParleyRuntime & { linking: Linking } {
  const twilio = config.twilio;
  const canText = Boolean(twilio?.accountSid && twilio.smsFrom);
  const mailer = config.smtp ? createSmtpMailer(config.smtp) : undefined;
  const linking = createLinking({
    stores: runtime.stores,
    outbox: runtime.outbox,
    dialog: runtime.dialog,
    messages: runtime.messages,
    clock: options.clock ?? systemClock,
    logger: options.logger,
    ...(bot.customers ? { directory: bot.customers } : {}),
    ...(mailer ? { mailer } : {}),
    ...(canText
      ? { sms: { channel: 'sms', session: (phone: string) => conversationIdOf('sms', phone) } }
      : {}),
    ...(twilio?.smsFrom?.startsWith('+') ? { number: twilio.smsFrom } : {}),
    ...(bot.defaultLocale ? { defaultLocale: bot.defaultLocale } : {}),
    ...(bot.companyName ? { companyName: bot.companyName } : {}),
  });
  slot.bind(linking);
  runtime.pipeline.use('decide', linking.decideHook);
  return {
    ...runtime,
    linking,
    handle: (message) => linking.handle(message, (m) => runtime.pipeline.handle(m)),
    async close() {
      mailer?.close();
      await runtime.close();
    },
  };
}

export interface RunningParley {
  runtime: ParleyRuntime;
  /** The device connector (its counters, its sweeper). */
  devices: DeviceConnector;
  address: BoundAddress;
  close(): Promise<void>;
}

/** Everything `npm start` runs: the runtime behind the HTTP server (REST, web chat, NLU debug). */
export async function startParley(
  bot: BotDefinition,
  config: ParleyConfig,
  options: BuildOptions & {
    routes?: HttpRoute[];
    sockets?: SocketEndpoint[];
    voice?: Partial<VoiceOptions>;
    devices?: DeviceConnectorOptions;
    /** Set on every HTTP response, e.g. which worker process answered. */
    responseHeaders?: Record<string, string>;
  },
): Promise<RunningParley> {
  // Devices are callers too: their connector offers flows remote commands, so it exists before the bot.
  const devices = createDeviceConnector({
    ...options.devices,
    ...(config.mqttUrl ? { mqttUrl: config.mqttUrl } : {}),
  });
  const linking = linkingSlot();
  const implementations = withLinking(bot.createImplementations({ devices: devices.actions }), linking);
  const runtime = await buildRuntime(bot, config, { ...options, implementations, linking });
  const tools = createDesignerTools({
    bot,
    config,
    runtime,
    implementations,
    logger: options.logger,
    clock: options.clock ?? systemClock,
  });
  // "Send me my data": the one-time code goes by SMS or e-mail to what the bot's records hold.
  const canText = Boolean(config.twilio?.accountSid && config.twilio.smsFrom);
  const mailer = bot.customers && config.smtp ? createSmtpMailer(config.smtp) : undefined;
  const privacy = installPrivacy(runtime, config, options.clock ?? systemClock, {
    logger: options.logger,
    ...(bot.customers ? { directory: bot.customers } : {}),
    ...(mailer ? { mailer } : {}),
    ...(canText
      ? {
          sms: {
            outbox: runtime.outbox,
            channel: 'sms',
            session: (phone: string) => conversationIdOf('sms', phone),
          },
        }
      : {}),
  });
  const companyName = config.desk.companyName ?? bot.companyName;
  const desk = await setUpAgentDesk(
    {
      ...config.desk,
      ...(companyName ? { companyName } : {}),
      config: await loadBotDeskConfig(bot.directory),
    },
    {
      stores: runtime.stores,
      delivery: runtime,
      ...(runtime.typing ? { typing: runtime.typing } : {}),
      messages: runtime.messages,
      logger: options.logger,
      clock: options.clock ?? systemClock,
      privacy,
      channels: { unlink: (caseId, address) => runtime.linking.unlinkFromCase(caseId, address) },
      ...(runtime.analytics
        ? { analytics: runtime.analytics.recorder, analyticsStore: runtime.analytics.store }
        : {}),
    },
  );
  tools.useDeskTokens(desk.tokens);
  const metrics = createPrometheusMetrics(runtime.stores);
  runtime.pipeline.use('receive', metrics.hooks.receive);
  runtime.pipeline.use('understand', metrics.hooks.understand).use('record', metrics.hooks.record);
  // The channels this server runs: one line per connector.
  const connectors = createConnectorRegistry();
  const { restToken: token, restCallbackUrl: callbackUrl } = config;
  connectors.register(createRestConnector({ token, callbackUrl, rasaApi: tools.rasaApi }));
  connectors.register(createWebChatConnector({ title: `${bot.companyName ?? bot.name} support` }));
  connectors.register(
    createBotFrameworkConnector({
      ...config.botFramework,
      references: createSharedReferenceStore(runtime.stores.keyValue),
    }),
  );
  if (config.twilio)
    connectors.register(...createTwilioConnectors({ ...config.twilio, state: runtime.stores.keyValue }));
  if (config.alexa) connectors.register(createAlexaConnector(alexaOptions(config.alexa, bot, runtime)));
  if (config.twilio)
    connectors.register(
      await createOfflineVoiceConnector(
        config.twilio,
        config.speech,
        { directory: bot.directory, messages: runtime.messages },
        options.voice,
      ),
    );
  connectors.register(devices.attach(runtime, options));
  // Agents' replies and hand-backs reach each channel through its own out-of-turn sender.
  const unplug = connectors.plugInto(metrics.countingSenders(runtime.outbox));
  const http = createHttpServer({
    runtime,
    logger: options.logger,
    connectors,
    healthChecks: healthChecksOf(runtime.stores, config.store.kind),
    routes: [
      ...desk.routes,
      ...privacy.routes,
      ...tools.routes,
      metrics.route(config.metricsToken),
      ...(options.routes ?? []),
    ],
    sockets: [...desk.sockets, tools.socket, ...(options.sockets ?? [])],
    observe: (observation) => metrics.observeHttp(observation),
    ...(options.responseHeaders ? { responseHeaders: options.responseHeaders } : {}),
  });
  const address = await http.listen(config.port, config.host);
  return {
    runtime,
    devices,
    address,
    async close() {
      tools.close();
      unplug();
      await http.close();
      await runtime.close();
    },
  };
}

/** The Alexa skill's settings, its sentences and, when the bot links accounts, its look-up. */
function alexaOptions(
  settings: { skillId: string },
  bot: BotDefinition,
  runtime: ParleyRuntime,
): AlexaOptions {
  const { alexaAccounts } = bot;
  return {
    ...settings,
    messages: runtime.messages,
    cardTitle: `${bot.companyName ?? bot.name} support`,
    ...(alexaAccounts ? { accounts: { lookup: alexaAccounts, identities: runtime.stores.identities } } : {}),
  };
}

/** One check per dependency the stores report (redis, bus, postgres); the store's ping without them. */
function healthChecksOf(stores: Stores, kind: string): HealthCheck[] {
  const probes = stores.probes ? Object.entries(stores.probes) : [];
  if (probes.length === 0) return [{ name: kind, check: () => stores.ping() }];
  return probes.map(([name, check]) => ({ name, check }));
}

export { loadBotDefinition } from './bot-definition';
