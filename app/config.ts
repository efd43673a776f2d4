import { z } from 'zod';
import type { DeskSettings } from '../desk/setup';
import { parseDemoAgent } from '../desk/agents';
import type { SpeechSettings } from '../speech';
import type { LlmSettings } from '../knowledge/llm';
import { FOUND_THROUGH_IDENTITIES, retentionProblem, type RetentionPolicy } from '../core/retention';

const DAY_MS = 24 * 60 * 60 * 1000;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** `redis://host:port` for one Redis; unset means the in-memory store. */
  REDIS_URL: z.string().url().optional(),
  /** Comma-separated `host:port` seeds of a Redis Cluster; wins over REDIS_URL. */
  REDIS_CLUSTER_NODES: z.string().optional(),
  /**
   * `postgres://user:password@host:5432/db`: transcripts, cases, consent, audit and analytics records go
   * there (migrated at start-up); hot state stays in Redis or memory.
   */
  DATABASE_URL: z
    .string()
    .url()
    .refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** A Redis command that takes longer fails (the turn answers "try again") instead of hanging. */
  PARLEY_REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  /** Longest pause between reconnection attempts to Redis: recovery follows Redis's return this closely. */
  PARLEY_REDIS_RECONNECT_MAX_MS: z.coerce.number().int().positive().default(500),
  /** Queue commands while Redis is disconnected (off: fail at once; see stores/redis/client.ts). */
  PARLEY_REDIS_OFFLINE_QUEUE: z.enum(['true', 'false']).default('false'),
  /** A PostgreSQL query that takes longer fails instead of hanging a turn. */
  PARLEY_POSTGRES_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  /** Opening a PostgreSQL connection, or waiting for a free one, fails after this long. */
  PARLEY_POSTGRES_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  PARLEY_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /**
   * Retention per data class, in days; each defaults to PARLEY_RETENTION_DAYS (identities: to the longest
   * of the classes found through them). See README "Privacy" for the table.
   */
  PARLEY_RETENTION_STATE_DAYS: z.coerce.number().positive().optional(),
  PARLEY_RETENTION_IDENTITIES_DAYS: z.coerce.number().positive().optional(),
  PARLEY_RETENTION_DEDUPE_DAYS: z.coerce.number().positive().optional(),
  PARLEY_RETENTION_CONNECTOR_VALUES_DAYS: z.coerce.number().positive().optional(),
  PARLEY_RETENTION_TRANSCRIPTS_DAYS: z.coerce.number().positive().optional(),
  PARLEY_RETENTION_CASES_DAYS: z.coerce.number().positive().optional(),
  PARLEY_RETENTION_ANALYTICS_DAYS: z.coerce.number().positive().optional(),
  /** The memory store's ceiling on conversations: past it, the least recently active idle ones go. */
  PARLEY_MEMORY_MAX_CONVERSATIONS: z.coerce.number().int().positive().default(50_000),
  /** How long consent records are kept after a customer's latest answer (evidence of consent). */
  PARLEY_CONSENT_RETENTION_DAYS: z.coerce.number().positive().default(1095),
  /** How long each audit-trail entry is kept. */
  PARLEY_AUDIT_RETENTION_DAYS: z.coerce.number().positive().default(365),
  /** Keys the audit trail's customer pseudonyms (HMAC); set the same value on every process. */
  PARLEY_AUDIT_KEY: z.string().min(16).optional(),
  /** How long the text of unanswered questions is kept for the report (never longer than the retention). */
  PARLEY_UNANSWERED_RETENTION_DAYS: z.coerce.number().positive().default(14),
  /** Required as a Bearer token by `GET /metrics` when set; the endpoint is open without it. */
  PARLEY_METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * Redis turn lock lease: a conversation whose process died answers again about this long after the
   * death, however many turns were queued behind it. Renewed every third of it while a turn runs.
   */
  PARLEY_TURN_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(3000),
  PARLEY_NLU_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  PARLEY_BOT: z.string().default('acme'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Reload flows and training phrases when their files change; off by default in production. */
  PARLEY_RELOAD: z.enum(['true', 'false']).optional(),
  NODE_ENV: z.string().optional(),
  /** `user:password` of the desk's demo agent; a printed default when unset. */
  PARLEY_DEMO_AGENT: z.string().optional(),
  /** JSON array of `{ username, name, passwordHash }` agent accounts. */
  PARLEY_AGENTS_FILE: z.string().min(1).optional(),
  /** Signs agent tokens; set the same value on every process sharing a Redis. */
  PARLEY_AGENT_TOKEN_SECRET: z.string().min(16).optional(),
  /** Where the token secret is kept when PARLEY_AGENT_TOKEN_SECRET is unset (created once): sign-ins survive restarts. */
  PARLEY_AGENT_TOKEN_SECRET_FILE: z.string().min(1).default('.parley/agent-token-secret'),
  /** The language of the desk's labels and event lines (`locales/<locale>.yaml`, `desk.*`). */
  PARLEY_DESK_LOCALE: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/)
    .default('en'),
  PARLEY_COMPANY_NAME: z.string().min(1).optional(),
  /** Agents' replies to REST customers are also POSTed here, as Rasa's callback channel does. */
  PARLEY_REST_CALLBACK_URL: z.string().url().optional(),
  /** A shared token the REST channel and `/model/parse` require (Bearer header or `?token=`). */
  PARLEY_REST_TOKEN: z.string().min(16).optional(),
  /** An external agent hub that receives every new case as a signed webhook. */
  PARLEY_HUB_URL: z.string().url().optional(),
  /** The shared secret the hub verifies `X-Parley-Signature` with. */
  PARLEY_HUB_SECRET: z.string().min(16).optional(),
  /** `parley` (the handoff package) or `botframework` (a `handoff.initiate` event activity). */
  PARLEY_HUB_FORMAT: z.enum(['parley', 'botframework']).default('parley'),
  /** The Twilio account's auth token: turns on SMS and WhatsApp and verifies `X-Twilio-Signature`. */
  PARLEY_TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
  /** The account SID (`AC…`): needed to send out of turn (agents' replies, hand-back). */
  PARLEY_TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC followed by 32 hex digits')
    .optional(),
  /** Twilio's REST API base URL; tests point it at a local server. */
  PARLEY_TWILIO_API_URL: z.string().url().default('https://api.twilio.com'),
  /** Sender for out-of-turn SMS: an E.164 number (`+15550001111`) or a Messaging Service SID (`MG…`). */
  PARLEY_TWILIO_SMS_FROM: z.string().min(2).optional(),
  /** Phone calls: a number (E.164) or SIP address that takes transferred calls (needs the account SID). */
  PARLEY_VOICE_TRANSFER_TO: z
    .string()
    .regex(/^(\+[1-9]\d{1,14}|sips?:[^\s"<>]{3,200})$/, 'expected an E.164 number or a sip: address')
    .optional(),
  /** Sender for out-of-turn WhatsApp messages: `whatsapp:+15550001111` (the prefix is added when missing). */
  PARLEY_TWILIO_WHATSAPP_FROM: z.string().min(2).optional(),
  /** An SMTP server for e-mailed link codes: `smtp://user:password@mail.example.com:587` (`smtps://` for TLS). */
  PARLEY_SMTP_URL: z.string().url().optional(),
  /** The From of e-mailed codes, e.g. `Acme <support@acme.example>`. */
  PARLEY_MAIL_FROM: z.string().min(3).default('Parley <no-reply@localhost>'),
  /** Parley's public base URL (`https://bot.example.com`) when behind a proxy: webhook signatures are checked against it. */
  PARLEY_PUBLIC_URL: z.string().url().optional(),
  /** The Alexa skill's id (`amzn1.ask.skill.…`): turns on `POST /webhooks/alexa` for that skill only. */
  PARLEY_ALEXA_SKILL_ID: z
    .string()
    .regex(/^amzn1\.ask\.skill\.[A-Za-z0-9-]{1,100}$/, 'expected amzn1.ask.skill. followed by the skill id')
    .optional(),
  /** `mqtt://host:1883`: connected devices report over MQTT there (HTTP devices work without it). */
  PARLEY_MQTT_URL: z
    .string()
    .url()
    .refine((url) => /^mqtts?:\/\//.test(url), 'must be an mqtt:// or mqtts:// URL')
    .optional(),
  /** The Azure Bot's app registration; with a password or certificate, channel tokens are checked. */
  MICROSOFT_APP_ID: optionalText(),
  MICROSOFT_APP_PASSWORD: optionalText(),
  MICROSOFT_APP_TENANT_ID: optionalText(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MICROSOFT_APP_CERTIFICATE_THUMBPRINT: optionalText(),
  /** The certificate's private key, PEM. */
  MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY: optionalText(),
  /** Auth off only: comma-separated serviceUrl prefixes the bot may reply to (default: loopback). */
  PARLEY_BOTFRAMEWORK_SERVICE_URLS: optionalText(),
  /** Speech-to-text for calls: `google` or `pocketsphinx` (offline); Google when its credentials are set. */
  PARLEY_STT: z.enum(['google', 'pocketsphinx']).optional(),
  /** A Google service-account key file; turns on Google Cloud Speech unless PARLEY_STT says otherwise. */
  GOOGLE_APPLICATION_CREDENTIALS: optionalText(),
  /** Google's recognition model (`phone_call` by default). */
  PARLEY_GOOGLE_SPEECH_MODEL: optionalText(),
  /**
   * An OpenAI-compatible chat completions endpoint up to the version (`http://localhost:8000/v1`): the
   * knowledge base then words answers from the retrieved help-centre sections instead of quoting them.
   */
  PARLEY_LLM_URL: z.string().url().optional(),
  PARLEY_LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  PARLEY_LLM_API_KEY: optionalText(),
  /** A slower model answer is dropped and the help-centre extract answers instead. */
  PARLEY_LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(4000),
});

/** Azure's samples ship `.env` files with `MicrosoftAppId=` left blank: blank means unset. */
function optionalText() {
  return z
    .string()
    .optional()
    .transform((value) => (value && value.trim().length > 0 ? value.trim() : undefined));
}

/** The Bot Framework connector's settings (`connectors/botframework/`). */
export interface BotFrameworkSettings {
  appId?: string;
  appPassword?: string;
  appTenantId?: string;
  appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  certificateThumbprint?: string;
  certificatePrivateKey?: string;
  /** With auth off: the serviceUrl prefixes replies may go to; unset means loopback only. */
  allowedServiceUrls?: string[];
}

export interface ParleyConfig {
  port: number;
  host: string;
  store:
    | { kind: 'memory' }
    | { kind: 'redis'; url: string }
    | { kind: 'cluster'; nodes: { host: string; port: number }[] };
  /** PostgreSQL for durable records, when DATABASE_URL is set. */
  database?: { url: string };
  /** How long a store may take before a turn gives up on it (fail fast, answer "try again"). */
  timeouts: StoreTimeouts;
  /** The default retention (PARLEY_RETENTION_DAYS); `retention` has the period of each data class. */
  retentionMs: number;
  /** How long each class of data is kept (TTLs in Redis and memory, a sweep in PostgreSQL). */
  retention: RetentionPolicy;
  /** The memory store's ceiling on conversations (`PARLEY_MEMORY_MAX_CONVERSATIONS`). */
  memoryMaxConversations: number;
  /** Consent and audit records have retention periods of their own (also in `retention`). */
  consentRetentionMs: number;
  auditRetentionMs: number;
  /** Keys the audit trail's customer pseudonyms; a development key when unset. */
  auditKey?: string;
  /** Analytics events follow `retentionMs`; the texts of unanswered questions are kept for less. */
  analytics: { questionRetentionMs: number };
  /** The Bearer token `GET /metrics` requires, when set. */
  metricsToken?: string;
  /** The Redis turn lock's lease (`PARLEY_TURN_LEASE_MS`). */
  turnLeaseMs: number;
  nluThreshold?: number;
  bot: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Watch the bot's files and reload them without a restart. */
  reload: boolean;
  /** Development (NODE_ENV is not `production`): the flow viewer is open to anyone who reaches the server. */
  devMode: boolean;
  desk: DeskSettings & { demoAgent: { username: string; password: string } };
  restCallbackUrl?: string;
  restToken?: string;
  hub?: { url: string; secret: string; format: 'parley' | 'botframework' };
  botFramework: BotFrameworkSettings;
  /** SMS and WhatsApp, on when the auth token is set. */
  twilio?: TwilioSettings;
  publicUrl?: string;
  /** An Alexa custom skill, on when its skill id is set. */
  alexa?: { skillId: string };
  /** E-mail for link codes, when an SMTP server is configured. */
  smtp?: { url: string; from: string };
  /** Connected devices' MQTT broker, when PARLEY_MQTT_URL is set. */
  mqttUrl?: string;
  /** Speech engines for calls (`speech/`). */
  speech: SpeechSettings;
  /** Generated knowledge-base answers, when PARLEY_LLM_URL is set (`knowledge/llm.ts`). */
  llm?: LlmSettings;
}

export interface StoreTimeouts {
  redisCommandMs: number;
  redisReconnectMaxMs: number;
  redisOfflineQueue: boolean;
  postgresQueryMs: number;
  postgresConnectMs: number;
}

export interface TwilioSettings {
  authToken: string;
  accountSid?: string;
  apiUrl: string;
  smsFrom?: string;
  whatsappFrom?: string;
  publicUrl?: string;
  /** Where phone calls are transferred when a case opens. */
  voiceTransferTo?: string;
}

/** The one place Parley reads `process.env`. A bad value fails at start-up, naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    store: storeConfig(e.REDIS_URL, e.REDIS_CLUSTER_NODES),
    ...(e.DATABASE_URL ? { database: { url: e.DATABASE_URL } } : {}),
    timeouts: {
      redisCommandMs: e.PARLEY_REDIS_COMMAND_TIMEOUT_MS,
      redisReconnectMaxMs: e.PARLEY_REDIS_RECONNECT_MAX_MS,
      redisOfflineQueue: e.PARLEY_REDIS_OFFLINE_QUEUE === 'true',
      postgresQueryMs: e.PARLEY_POSTGRES_QUERY_TIMEOUT_MS,
      postgresConnectMs: e.PARLEY_POSTGRES_CONNECT_TIMEOUT_MS,
    },
    retentionMs: e.PARLEY_RETENTION_DAYS * DAY_MS,
    retention: retentionConfig(e),
    memoryMaxConversations: e.PARLEY_MEMORY_MAX_CONVERSATIONS,
    consentRetentionMs: e.PARLEY_CONSENT_RETENTION_DAYS * DAY_MS,
    auditRetentionMs: e.PARLEY_AUDIT_RETENTION_DAYS * DAY_MS,
    ...(e.PARLEY_AUDIT_KEY ? { auditKey: e.PARLEY_AUDIT_KEY } : {}),
    analytics: {
      questionRetentionMs:
        Math.min(
          e.PARLEY_UNANSWERED_RETENTION_DAYS,
          e.PARLEY_RETENTION_ANALYTICS_DAYS ?? e.PARLEY_RETENTION_DAYS,
        ) * DAY_MS,
    },
    ...(e.PARLEY_METRICS_TOKEN ? { metricsToken: e.PARLEY_METRICS_TOKEN } : {}),
    turnLeaseMs: e.PARLEY_TURN_LEASE_MS,
    ...(e.PARLEY_NLU_THRESHOLD !== undefined ? { nluThreshold: e.PARLEY_NLU_THRESHOLD } : {}),
    bot: e.PARLEY_BOT,
    logLevel: e.LOG_LEVEL,
    reload: e.PARLEY_RELOAD ? e.PARLEY_RELOAD === 'true' : e.NODE_ENV !== 'production',
    devMode: e.NODE_ENV !== 'production',
    desk: {
      demoAgent: parseDemoAgent(e.PARLEY_DEMO_AGENT),
      ...(e.PARLEY_AGENTS_FILE ? { agentsFile: e.PARLEY_AGENTS_FILE } : {}),
      ...(e.PARLEY_AGENT_TOKEN_SECRET ? { tokenSecret: e.PARLEY_AGENT_TOKEN_SECRET } : {}),
      tokenSecretFile: e.PARLEY_AGENT_TOKEN_SECRET_FILE,
      locale: e.PARLEY_DESK_LOCALE,
      ...(e.PARLEY_COMPANY_NAME ? { companyName: e.PARLEY_COMPANY_NAME } : {}),
    },
    ...(e.PARLEY_REST_CALLBACK_URL ? { restCallbackUrl: e.PARLEY_REST_CALLBACK_URL } : {}),
    ...(e.PARLEY_REST_TOKEN ? { restToken: e.PARLEY_REST_TOKEN } : {}),
    ...hubConfig(e.PARLEY_HUB_URL, e.PARLEY_HUB_SECRET, e.PARLEY_HUB_FORMAT),
    ...(e.PARLEY_PUBLIC_URL ? { publicUrl: e.PARLEY_PUBLIC_URL } : {}),
    ...(e.PARLEY_MQTT_URL ? { mqttUrl: e.PARLEY_MQTT_URL } : {}),
    ...twilioConfig(e),
    ...(e.PARLEY_ALEXA_SKILL_ID ? { alexa: { skillId: e.PARLEY_ALEXA_SKILL_ID } } : {}),
    ...(e.PARLEY_SMTP_URL ? { smtp: { url: e.PARLEY_SMTP_URL, from: e.PARLEY_MAIL_FROM } } : {}),
    botFramework: botFrameworkConfig(e),
    speech: speechConfig(e),
    ...(e.PARLEY_LLM_URL
      ? {
          llm: {
            url: e.PARLEY_LLM_URL,
            model: e.PARLEY_LLM_MODEL,
            timeoutMs: e.PARLEY_LLM_TIMEOUT_MS,
            ...(e.PARLEY_LLM_API_KEY ? { apiKey: e.PARLEY_LLM_API_KEY } : {}),
          },
        }
      : {}),
  };
}

function retentionConfig(e: z.infer<typeof envSchema>): RetentionPolicy {
  const days = (value: number | undefined) => (value ?? e.PARLEY_RETENTION_DAYS) * DAY_MS;
  const found = {
    state: days(e.PARLEY_RETENTION_STATE_DAYS),
    // As long as a channel may retry a message (hours), not the whole retention: a day unless set.
    dedupe: Math.min((e.PARLEY_RETENTION_DEDUPE_DAYS ?? 1) * DAY_MS, e.PARLEY_RETENTION_DAYS * DAY_MS),
    connectorValues: days(e.PARLEY_RETENTION_CONNECTOR_VALUES_DAYS),
    transcripts: days(e.PARLEY_RETENTION_TRANSCRIPTS_DAYS),
    cases: days(e.PARLEY_RETENTION_CASES_DAYS),
    analytics: days(e.PARLEY_RETENTION_ANALYTICS_DAYS),
    unansweredQuestions:
      Math.min(
        e.PARLEY_UNANSWERED_RETENTION_DAYS,
        e.PARLEY_RETENTION_ANALYTICS_DAYS ?? e.PARLEY_RETENTION_DAYS,
      ) * DAY_MS,
  };
  const policy: RetentionPolicy = {
    ...found,
    identities: e.PARLEY_RETENTION_IDENTITIES_DAYS
      ? e.PARLEY_RETENTION_IDENTITIES_DAYS * DAY_MS
      : Math.max(...FOUND_THROUGH_IDENTITIES.map((name) => found[name as keyof typeof found])),
    consent: e.PARLEY_CONSENT_RETENTION_DAYS * DAY_MS,
    audit: e.PARLEY_AUDIT_RETENTION_DAYS * DAY_MS,
  };
  const problem = retentionProblem(policy);
  if (problem) throw new Error(`invalid configuration: PARLEY_RETENTION_IDENTITIES_DAYS: ${problem}`);
  return policy;
}

function speechConfig(e: z.infer<typeof envSchema>): SpeechSettings {
  const stt = e.PARLEY_STT ?? (e.GOOGLE_APPLICATION_CREDENTIALS ? 'google' : 'pocketsphinx');
  if (stt === 'pocketsphinx') return { stt };
  return {
    stt,
    google: {
      ...(e.GOOGLE_APPLICATION_CREDENTIALS ? { keyFile: e.GOOGLE_APPLICATION_CREDENTIALS } : {}),
      ...(e.PARLEY_GOOGLE_SPEECH_MODEL ? { model: e.PARLEY_GOOGLE_SPEECH_MODEL } : {}),
    },
  };
}

function twilioConfig(e: z.infer<typeof envSchema>): Pick<ParleyConfig, 'twilio'> {
  if (!e.PARLEY_TWILIO_AUTH_TOKEN) return {};
  return {
    twilio: {
      authToken: e.PARLEY_TWILIO_AUTH_TOKEN,
      apiUrl: e.PARLEY_TWILIO_API_URL,
      ...(e.PARLEY_TWILIO_ACCOUNT_SID ? { accountSid: e.PARLEY_TWILIO_ACCOUNT_SID } : {}),
      ...(e.PARLEY_TWILIO_SMS_FROM ? { smsFrom: e.PARLEY_TWILIO_SMS_FROM } : {}),
      ...(e.PARLEY_TWILIO_WHATSAPP_FROM ? { whatsappFrom: e.PARLEY_TWILIO_WHATSAPP_FROM } : {}),
      ...(e.PARLEY_PUBLIC_URL ? { publicUrl: e.PARLEY_PUBLIC_URL } : {}),
      ...(e.PARLEY_VOICE_TRANSFER_TO ? { voiceTransferTo: e.PARLEY_VOICE_TRANSFER_TO } : {}),
    },
  };
}

function botFrameworkConfig(e: z.infer<typeof envSchema>): BotFrameworkSettings {
  const fail = (message: string): never => {
    throw new Error(`invalid configuration: ${message}`);
  };
  const allowed = e.PARLEY_BOTFRAMEWORK_SERVICE_URLS?.split(',').map((url) => url.trim());
  for (const url of allowed ?? []) {
    if (!/^https?:\/\/[^/\s]+/.test(url))
      fail(`PARLEY_BOTFRAMEWORK_SERVICE_URLS: "${url}" is not an http(s) URL prefix`);
  }
  const settings: BotFrameworkSettings = {
    ...(e.MICROSOFT_APP_ID ? { appId: e.MICROSOFT_APP_ID } : {}),
    ...(e.MICROSOFT_APP_PASSWORD ? { appPassword: e.MICROSOFT_APP_PASSWORD } : {}),
    ...(e.MICROSOFT_APP_TENANT_ID ? { appTenantId: e.MICROSOFT_APP_TENANT_ID } : {}),
    ...(e.MICROSOFT_APP_TYPE ? { appType: e.MICROSOFT_APP_TYPE } : {}),
    ...(e.MICROSOFT_APP_CERTIFICATE_THUMBPRINT
      ? { certificateThumbprint: e.MICROSOFT_APP_CERTIFICATE_THUMBPRINT }
      : {}),
    ...(e.MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY
      ? { certificatePrivateKey: e.MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY }
      : {}),
    ...(allowed ? { allowedServiceUrls: allowed } : {}),
  };
  if (!settings.appId) return settings;
  // An app id alone would silently leave auth off: refuse to start rather than guess.
  const proof =
    settings.appPassword || settings.certificateThumbprint || settings.appType === 'UserAssignedMSI';
  if (!proof)
    fail('MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID (or a certificate, or UserAssignedMSI)');
  if (settings.certificateThumbprint && !settings.certificatePrivateKey) {
    fail('MICROSOFT_APP_CERTIFICATE_PRIVATE_KEY: required with MICROSOFT_APP_CERTIFICATE_THUMBPRINT');
  }
  if (settings.appType === 'SingleTenant' && !settings.appTenantId) {
    fail('MICROSOFT_APP_TENANT_ID: required when MICROSOFT_APP_TYPE is SingleTenant');
  }
  return settings;
}

function storeConfig(url: string | undefined, clusterNodes: string | undefined): ParleyConfig['store'] {
  if (clusterNodes) {
    const nodes = clusterNodes.split(',').map((seed) => {
      const [host, port] = seed.trim().split(':');
      const portNumber = Number(port);
      if (!host || !Number.isInteger(portNumber)) {
        throw new Error(`invalid configuration: REDIS_CLUSTER_NODES: "${seed}" is not host:port`);
      }
      return { host, port: portNumber };
    });
    return { kind: 'cluster', nodes };
  }
  return url ? { kind: 'redis', url } : { kind: 'memory' };
}

function hubConfig(
  url: string | undefined,
  secret: string | undefined,
  format: 'parley' | 'botframework',
): Pick<ParleyConfig, 'hub'> {
  if (!url) return {};
  // An unsigned webhook would let anyone who learns the URL forge cases: refuse to start without a secret.
  if (!secret)
    throw new Error('invalid configuration: PARLEY_HUB_SECRET: required when PARLEY_HUB_URL is set');
  return { hub: { url, secret, format } };
}
