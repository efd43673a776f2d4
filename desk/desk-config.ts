import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

/** A queue cases wait in, and the cases routed to it. */
export interface QueueConfig {
  id: string;
  label: string;
  /** How long a case may wait for its first claim before it counts as an SLA breach. */
  slaMs: number;
  /** Routing: a case goes to the first queue whose non-empty lists all match it. */
  intents: string[];
  languages: string[];
  channels: string[];
}

/** A reply an agent picks from a list; `{customer.name}`-style placeholders are filled per case. */
export interface CannedResponse {
  id: string;
  title: string;
  text: string;
}

/** The desk of one bot: its queues, the queue of a case no rule matches, and its canned responses. */
export interface DeskConfig {
  queues: QueueConfig[];
  defaultQueue: string;
  canned: CannedResponse[];
}

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const DEFAULT_SLA_MINUTES = 5;

const fileSchema = z
  .object({
    defaultQueue: z.string().regex(ID).optional(),
    queues: z
      .array(
        z
          .object({
            id: z.string().regex(ID, 'a queue id is lower-case letters, digits, - and _'),
            label: z.string().min(1).max(80).optional(),
            slaMinutes: z
              .number()
              .positive()
              .max(7 * 24 * 60)
              .optional(),
            intents: z.array(z.string().min(1)).optional(),
            languages: z.array(z.string().min(2)).optional(),
            channels: z.array(z.string().min(1)).optional(),
          })
          .strict(),
      )
      .optional(),
    canned: z
      .array(
        z
          .object({
            id: z.string().regex(ID, 'a canned response id is lower-case letters, digits, - and _'),
            title: z.string().min(1).max(80),
            text: z.string().min(1).max(2000),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type DeskConfigInput = z.input<typeof fileSchema>;

const titleOf = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replace(/[-_]/g, ' ');

/**
 * Validates a desk configuration (parsed YAML or an object in code). Without queues there is one,
 * `general`, which is also where escalations without a queue of their own have always gone.
 */
export function parseDeskConfig(input: unknown, source = 'desk configuration'): DeskConfig {
  const parsed = fileSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid ${source}: ${issues.join('; ')}`);
  }
  const raw = parsed.data;
  const queues: QueueConfig[] = (raw.queues ?? [{ id: 'general' }]).map((q) => ({
    id: q.id,
    label: q.label ?? titleOf(q.id),
    slaMs: (q.slaMinutes ?? DEFAULT_SLA_MINUTES) * 60_000,
    intents: q.intents ?? [],
    languages: q.languages ?? [],
    channels: q.channels ?? [],
  }));
  const ids = queues.map((q) => q.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`invalid ${source}: queue ${duplicate} is defined twice`);
  const defaultQueue = raw.defaultQueue ?? queues[0]?.id ?? 'general';
  if (!ids.includes(defaultQueue)) {
    throw new Error(`invalid ${source}: defaultQueue ${defaultQueue} is not one of the queues`);
  }
  const canned = raw.canned ?? [];
  const cannedIds = canned.map((c) => c.id);
  const twice = cannedIds.find((id, i) => cannedIds.indexOf(id) !== i);
  if (twice) throw new Error(`invalid ${source}: canned response ${twice} is defined twice`);
  return { queues, defaultQueue, canned };
}

/** Reads a bot's `desk.yaml`; the error names the file. */
export async function loadDeskConfig(path: string): Promise<DeskConfig> {
  let document: unknown;
  try {
    document = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read desk configuration ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseDeskConfig(document, `desk configuration ${path}`);
}

/** The facts a case is routed by. */
export interface RoutingFacts {
  intent?: string;
  language?: string;
  channel?: string;
}

/**
 * The queue for a new case: an escalation that names a queue keeps it (the flow decided); otherwise the first queue
 * whose rules all match (a rule with an empty list matches anything, a queue with no rules matches nothing),
 * else the default queue.
 */
export function routeToQueue(config: DeskConfig, facts: RoutingFacts, requested?: string): string {
  if (requested) return requested;
  const language = facts.language?.toLowerCase().split(/[-_]/)[0];
  const matches = (list: string[], value: string | undefined) =>
    list.length === 0 || (value !== undefined && list.includes(value));
  const found = config.queues.find(
    (q) =>
      q.intents.length + q.languages.length + q.channels.length > 0 &&
      matches(q.intents, facts.intent) &&
      matches(q.languages, language) &&
      matches(q.channels, facts.channel),
  );
  return found?.id ?? config.defaultQueue;
}

/** A bot's desk: `<bot directory>/desk.yaml` when it has one, else one `general` queue and no canned responses. */
export async function loadBotDeskConfig(botDirectory: string): Promise<DeskConfig> {
  const path = join(botDirectory, 'desk.yaml');
  return existsSync(path) ? loadDeskConfig(path) : parseDeskConfig({});
}
