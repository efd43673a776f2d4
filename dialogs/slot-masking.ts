import type { DialogEvent } from '../core/dialog';
import type { JsonObject } from '../core/json';
import type { Reply } from '../core/message';
import type { Entity } from '../core/nlu';
import { maskValue, type MaskOptions } from '../transcripts/mask-slot';
import type { CompiledFlow } from './compile';
import type { DialogState } from './state';

/** A value the step used in clear, and the form everything kept shows instead. */
export interface MaskedValue {
  value: string;
  masked: string;
}

/** Slots marked `masked` in any of the bot's flows (slots live once per conversation), by slot name. */
export function maskedSlotsOf(flows: Iterable<CompiledFlow>): Map<string, MaskOptions & { entity: string }> {
  const masks = new Map<string, MaskOptions & { entity: string }>();
  for (const flow of flows)
    for (const [slot, def] of Object.entries(flow.spec.slots)) {
      if (!def.masked) continue;
      const keepLast = typeof def.masked === 'object' ? def.masked.keepLast : undefined;
      masks.set(slot, { entity: def.entity ?? slot, ...(keepLast !== undefined ? { keepLast } : {}) });
    }
  return masks;
}

/**
 * Per-slot masking, after a step has run with the real values: the flow's look-ups and guards saw them,
 * but the state to persist holds the masked form, the step's replies and events show only it, and the
 * returned pairs let the pipeline mask the customer's own message in the transcript. A value that was
 * already masked (filled on an earlier turn) is left alone.
 */
export function maskStep(
  step: { state: DialogState; replies: Reply[]; events: DialogEvent[] },
  before: JsonObject,
  entities: readonly Entity[],
  masks: ReadonlyMap<string, MaskOptions & { entity: string }>,
): MaskedValue[] {
  const pairs: MaskedValue[] = [];
  const add = (value: string, options: MaskOptions) => {
    const masked = maskValue(value, options);
    if (value.length > 0 && masked !== value && !pairs.some((p) => p.value === value))
      pairs.push({ value, masked });
  };
  // Values given this step: those a `slot.filled` event names (even if the flow cleared the slot since)
  // and those a slot holds now that it did not hold before.
  for (const event of step.events) {
    const slot = event.event === 'slot.filled' ? event.data?.['slot'] : undefined;
    const options = typeof slot === 'string' ? masks.get(slot) : undefined;
    const value = event.data?.['value'];
    if (options && (typeof value === 'string' || typeof value === 'number')) add(String(value), options);
  }
  for (const [slot, options] of masks) {
    const value = step.state.slots[slot];
    if ((typeof value !== 'string' && typeof value !== 'number') || value === before[slot]) continue;
    add(String(value), options);
    step.state.slots = { ...step.state.slots, [slot]: maskValue(String(value), options) };
  }
  // The words the customer used for a value (`ES91 2100 …` for `ES9121…`) are masked as well.
  for (const options of masks.values())
    for (const entity of entities)
      if (entity.entity === options.entity && pairs.some((p) => p.value === String(entity.value)))
        add(entity.text, options);
  if (pairs.length === 0) return pairs;
  // Longest first, so a value inside another is not masked half-way.
  pairs.sort((a, b) => b.value.length - a.value.length);
  for (const reply of step.replies) maskReply(reply, pairs);
  for (const reply of step.state.lastReplies ?? []) maskReply(reply as Reply, pairs);
  for (const event of step.events) if (event.data) event.data = maskJson(event.data, pairs);
  step.state.log = step.state.log.map((line) => maskText(line, pairs));
  return pairs;
}

/** `text` with every masked value replaced by its masked form. */
export function maskText(text: string, pairs: readonly MaskedValue[]): string {
  return pairs.reduce((out, pair) => out.split(pair.value).join(pair.masked), text);
}

function maskReply(reply: Reply, pairs: readonly MaskedValue[]): void {
  reply.text = maskText(reply.text, pairs);
  if (reply.speech !== undefined) reply.speech = maskText(reply.speech, pairs);
  if (reply.short !== undefined) reply.short = maskText(reply.short, pairs);
}

function maskJson(data: JsonObject, pairs: readonly MaskedValue[]): JsonObject {
  return JSON.parse(
    JSON.stringify(data, (_key, value: unknown) => {
      if (typeof value === 'string') return maskText(value, pairs);
      if (typeof value === 'number' && pairs.some((p) => p.value === String(value)))
        return maskText(String(value), pairs);
      return value;
    }),
  ) as JsonObject;
}
