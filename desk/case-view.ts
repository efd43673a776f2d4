import type { Case } from '../core/case';
import type { MessageCatalogue } from '../core/messages';
import type { JsonObject } from '../core/json';
import type { DeskConfig } from './desk-config';
import type { CaseView, Labelled, PriorityCategory, SentimentCategory } from './desk.views';

/** What a case view needs besides the case: the desk's words, its queues, agents' names and the time. */
export interface CaseViewContext {
  messages: MessageCatalogue;
  /** The desk's locale for labels (agents' language, not the customer's). */
  locale: string;
  config: DeskConfig;
  agentName(username: string): string | undefined;
  now: number;
}

const NAME_SLOTS = ['customer.name', 'customerName', 'customer_name', 'name', 'fullName', 'firstName'];
const FIRST_REQUEST_CHARS = 140;
const SENTIMENT_BAND = 0.25;

/** The customer's name, when a flow collected one under a name-like slot. */
export function customerName(slots: JsonObject): string | undefined {
  for (const key of NAME_SLOTS) {
    const value = key.includes('.') ? nested(slots, key) : slots[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 80);
  }
  return undefined;
}

function nested(object: JsonObject, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** "webchat vch4o3…": the channel and enough of the id to tell customers apart. */
export function shortAddress(channel: string, userId: string): string {
  return `${channel} ${userId.length > 10 ? `${userId.slice(0, 8)}…` : userId}`;
}

export function sentimentCategory(score: number): SentimentCategory {
  if (score <= -SENTIMENT_BAND) return 'negative';
  if (score >= SENTIMENT_BAND) return 'positive';
  return 'neutral';
}

/** Priorities are numbers (higher is more urgent, 0 the default): above 0 is high, below is low. */
export function priorityCategory(priority: number): PriorityCategory {
  if (priority > 0) return 'high';
  if (priority < 0) return 'low';
  return 'normal';
}

function label<C extends string>(context: CaseViewContext, group: string, code: C): Labelled<C> {
  return { code, label: context.messages.text(context.locale, `desk.${group}.${code}`) };
}

function firstRequest(item: Case): string | undefined {
  const line = item.package.transcript.find((e) => e.speaker === 'customer' && e.text?.trim());
  const text = line?.text?.trim().replace(/\s+/g, ' ');
  if (!text) return undefined;
  return text.length > FIRST_REQUEST_CHARS ? `${text.slice(0, FIRST_REQUEST_CHARS - 1)}…` : text;
}

/** Time waited for an agent: until now while queued, until the claim (or last change) otherwise. */
function waitOf(item: Case, now: number): number {
  const until = item.status === 'queued' ? now : (item.claimedAt ?? item.updatedAt);
  return Math.max(0, until - (item.queuedAt ?? item.createdAt));
}

/** Everything the desk shows about a case, labelled in the desk's locale. */
export function caseView(item: Case, context: CaseViewContext): CaseView {
  const { summary, customer } = item.package;
  const name = customerName(summary.slots);
  const first = customer.identities[0];
  const address = first ? shortAddress(first.channel, first.id) : item.customerId;
  const request = firstRequest(item);
  const display = name ?? address;
  const queue = context.config.queues.find((q) => q.id === item.queue);
  const waitMs = waitOf(item, context.now);
  const view: CaseView = {
    id: item.id,
    conversationId: item.conversationId,
    customerId: item.customerId,
    status: item.status,
    title: request ? `${display} · ${request}` : display,
    customer: { ...(name ? { name } : {}), address, display },
    ...(request ? { firstRequest: request } : {}),
    channels: item.channels,
    queue: { code: item.queue, label: queue?.label ?? item.queue },
    reason: label(context, 'reason', item.package.reason),
    priority: { ...label(context, 'priority', priorityCategory(item.priority)), value: item.priority },
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    waitMs,
  };
  if (item.owner) {
    view.owner = { username: item.owner, name: context.agentName(item.owner) ?? item.owner };
  }
  if (item.package.detail) view.detail = item.package.detail;
  if (summary.lastIntent) view.intent = { code: summary.lastIntent, label: humanise(summary.lastIntent) };
  if (item.language) view.language = item.language;
  if (summary.sentiment !== undefined) {
    const category = sentimentCategory(summary.sentiment);
    view.sentiment = { ...label(context, 'sentiment', category), score: summary.sentiment };
  }
  if (queue) view.sla = { targetMs: queue.slaMs, breached: waitMs > queue.slaMs };
  return view;
}

/** `order_status` → "Order status". */
export function humanise(code: string): string {
  const words = code.replace(/[_.-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
