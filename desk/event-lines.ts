import type { MessageCatalogue, MessageVars } from '../core/messages';
import type { TranscriptEntry } from '../core/transcript';
import { ESCALATION_REASONS, type EscalationReason } from '../core/case';
import type { DeskLine } from './desk.protocol';
import type { EventTopic, LineView } from './desk.views';
import { humanise } from './case-view';

/** The desk's words for transcript lines, in its locale. */
export interface LineWords {
  messages: MessageCatalogue;
  locale: string;
}

const TOPIC_BY_PREFIX: [string, EventTopic][] = [
  ['case.', 'case'],
  ['escalat', 'handoff'],
  ['handoff', 'handoff'],
  ['handback', 'handoff'],
  ['human.', 'handoff'],
  ['trigger.', 'handoff'],
  ['flow.', 'flow'],
  ['slot.', 'slot'],
  ['fallback', 'understanding'],
  ['sentiment', 'understanding'],
  ['satisfaction', 'understanding'],
  ['channel.', 'channel'],
  ['media', 'channel'],
];

/** What an event is about, for the desk's event filter. */
export function eventTopic(event: string): EventTopic {
  return TOPIC_BY_PREFIX.find(([prefix]) => event.startsWith(prefix))?.[1] ?? 'system';
}

const isReason = (value: unknown): value is EscalationReason =>
  typeof value === 'string' && (ESCALATION_REASONS as readonly string[]).includes(value);

/** The event's data as template values: flow, slot and intent names in words, the reason as its label. */
function varsOf(entry: DeskLine, words: LineWords): MessageVars {
  const vars: Record<string, string | number> = { event: entry.event ?? '', agent: entry.agent ?? '' };
  const data = entry.data ?? {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'number' || typeof value === 'string') vars[key] = value;
  }
  // The line's agent is their display name; the data's `agent` is a username.
  if (entry.agent) vars.agent = entry.agent;
  if (typeof data.flow === 'string') vars.flow = humanise(data.flow);
  if (typeof data.slot === 'string') vars.slot = humanise(data.slot).toLowerCase();
  if (typeof data.intent === 'string') vars.intent = humanise(data.intent).toLowerCase();
  if (isReason(data.reason)) vars.reason = words.messages.text(words.locale, `desk.reason.${data.reason}`);
  if (typeof data.toName === 'string') vars.to = data.toName;
  return vars;
}

function eventSentence(entry: DeskLine, words: LineWords): string {
  const specific = `desk.events.${(entry.event ?? '').replace(/\./g, '_')}`;
  const key = words.messages.template(words.locale, specific) ? specific : 'desk.events.other';
  return words.messages.text(words.locale, key, varsOf(entry, words));
}

function speakerName(entry: DeskLine, words: LineWords): string {
  if (entry.speaker === 'agent' && entry.agent) return entry.agent;
  return words.messages.text(words.locale, `desk.speaker.${entry.speaker}`);
}

/**
 * A transcript line in plain words: said text as it is, a note as a note, and a system event as a
 * sentence (`slot.rejected` → "Bot could not use the answer for postcode (try 2).") with its topic.
 */
export function lineView(entry: DeskLine | TranscriptEntry, words: LineWords): LineView {
  const base = {
    at: entry.at,
    speaker: entry.speaker,
    by: speakerName(entry, words),
    ...(entry.channel ? { channel: entry.channel } : {}),
  };
  if (entry.event === 'case.note')
    return { ...base, kind: 'note', event: entry.event, text: entry.text ?? '' };
  if (entry.event) {
    return {
      ...base,
      kind: 'event',
      topic: eventTopic(entry.event),
      event: entry.event,
      text: eventSentence(entry, words),
    };
  }
  return { ...base, kind: 'message', text: entry.text ?? '' };
}
