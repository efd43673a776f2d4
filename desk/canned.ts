import type { Case } from '../core/case';
import type { JsonObject } from '../core/json';
import type { Agent } from './agents';
import type { CannedResponse } from './desk-config';
import type { CannedView } from './desk.views';
import { customerName } from './case-view';

const PLACEHOLDER = /\{([A-Za-z][\w.-]*)\}/g;
const ORDER_SLOTS = ['order.id', 'orderId', 'order_id', 'orderNumber', 'order_number', 'order'];

function lookup(slots: JsonObject, path: string): string | undefined {
  const direct = slots[path];
  if (typeof direct === 'string' || typeof direct === 'number') return String(direct);
  let value: unknown = slots;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The values a canned response may use for this case and agent. */
export function placeholderValues(
  item: Case,
  agent: Agent,
  queueLabel: string,
): (name: string) => string | undefined {
  const slots = item.package.summary.slots;
  const known: Record<string, string | undefined> = {
    'customer.name': customerName(slots),
    'customer.channel': item.package.transcript.at(-1)?.channel ?? item.channels[0],
    'agent.name': agent.name,
    'case.id': item.id,
    'queue.name': queueLabel,
    'order.id': ORDER_SLOTS.map((slot) => lookup(slots, slot)).find((v) => v !== undefined),
  };
  return (name) => {
    if (name in known) return known[name];
    if (name.startsWith('slot.')) return lookup(slots, name.slice('slot.'.length));
    return lookup(slots, name);
  };
}

/**
 * Fills a canned response's `{placeholders}`; one without a value stays visible as `{name}` and is listed
 * in `missing`, so the agent sees what to fill in before sending.
 */
export function renderCanned(
  response: CannedResponse,
  value: (name: string) => string | undefined,
): CannedView {
  const missing: string[] = [];
  const text = response.text.replace(PLACEHOLDER, (whole, name: string) => {
    const filled = value(name);
    if (filled === undefined || filled === '') {
      if (!missing.includes(name)) missing.push(name);
      return whole;
    }
    return filled;
  });
  return { id: response.id, title: response.title, text, missing };
}
