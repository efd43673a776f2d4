import type { JsonObject, JsonValue } from '../../core/json';
import type { TranscriptEntry } from '../../core/transcript';

/**
 * Rasa's tracker (HTTP API `GET /conversations/{id}/tracker`), built from Parley's transcript and state.
 * Parley has no Rasa actions or stories: customer lines become `user` events, bot and agent lines `bot`
 * events (each turn closed by `action_listen`), filled slots `slot` events, flows `flow_started` /
 * `flow_completed`, and a handoff `pause` / `resume`. Everything comes from the transcript, which holds
 * only redacted text.
 */
export interface RasaTracker {
  sender_id: string;
  slots: JsonObject;
  latest_message: RasaParseData | Record<string, never>;
  latest_event_time: number | null;
  followup_action: null;
  paused: boolean;
  events: RasaEvent[];
  latest_input_channel: string | null;
  active_loop: { name?: string };
  latest_action: { action_name: string } | Record<string, never>;
  latest_action_name: string | null;
}

export interface RasaParseData {
  text: string;
  intent: { name: string; confidence: number };
  entities: JsonValue[];
  intent_ranking: Array<{ name: string; confidence: number }>;
  message_id?: string;
}

export type RasaEvent =
  | {
      event: 'user';
      timestamp: number;
      text: string;
      parse_data: RasaParseData;
      input_channel: string;
      message_id?: string;
    }
  | { event: 'bot'; timestamp: number; text: string; data: JsonObject; metadata: JsonObject }
  | { event: 'action'; timestamp: number; name: string; policy: null; confidence: null }
  | { event: 'slot'; timestamp: number; name: string; value: JsonValue }
  | { event: 'flow_started' | 'flow_completed'; timestamp: number; flow_id: string }
  | { event: 'pause' | 'resume'; timestamp: number };

/** What Parley knows of a conversation besides its transcript. */
export interface ConversationFacts {
  /** The slots the flows hold now (redacted). */
  slots: JsonObject;
  /** A case is open: the customer's messages go to a person, not the bot (Rasa's paused tracker). */
  paused: boolean;
}

const ACTION_LISTEN = 'action_listen';

/** The tracker of conversation `senderId` from its transcript, oldest line first. */
export function buildTracker(
  senderId: string,
  entries: readonly TranscriptEntry[],
  facts: ConversationFacts,
): RasaTracker {
  const events: RasaEvent[] = [];
  const openFlows: string[] = [];
  let latest: RasaParseData | undefined;
  let channel: string | null = null;
  let replied = false;
  const listen = (timestamp: number): void => {
    if (replied)
      events.push({ event: 'action', timestamp, name: ACTION_LISTEN, policy: null, confidence: null });
    replied = false;
  };
  for (const entry of entries) {
    const timestamp = entry.at / 1000;
    if (entry.speaker === 'customer' && entry.text !== undefined) {
      listen(timestamp);
      latest = parseDataOf(entry);
      channel = entry.channel;
      events.push({
        event: 'user',
        timestamp,
        text: entry.text,
        parse_data: latest,
        input_channel: entry.channel,
        ...(entry.messageId ? { message_id: entry.messageId } : {}),
      });
    } else if (
      (entry.speaker === 'bot' || entry.speaker === 'agent') &&
      entry.text !== undefined &&
      !entry.event
    ) {
      replied = true;
      const metadata: JsonObject =
        entry.speaker === 'agent'
          ? { from: 'agent', ...(entry.agent ? { agent_name: entry.agent } : {}) }
          : {};
      events.push({ event: 'bot', timestamp, text: entry.text, data: {}, metadata });
    } else if (entry.event) {
      const mapped = systemEvent(entry, timestamp, openFlows);
      if (mapped) events.push(mapped);
    }
  }
  const last = entries.at(-1);
  if (last) listen(last.at / 1000);
  const lastAction = [...events].reverse().find((event) => event.event === 'action');
  return {
    sender_id: senderId,
    slots: facts.slots,
    latest_message: latest ?? {},
    latest_event_time: events.at(-1)?.timestamp ?? null,
    followup_action: null,
    paused: facts.paused,
    events,
    latest_input_channel: channel,
    active_loop: openFlows.length > 0 ? { name: openFlows[openFlows.length - 1] } : {},
    latest_action: lastAction && 'name' in lastAction ? { action_name: lastAction.name } : {},
    latest_action_name: lastAction && 'name' in lastAction ? lastAction.name : null,
  };
}

function parseDataOf(entry: TranscriptEntry): RasaParseData {
  const intent = { name: entry.intent ?? 'nlu_fallback', confidence: entry.confidence ?? 0 };
  return {
    text: entry.text ?? '',
    intent,
    // Parley's transcript keeps the intent, not the entities: the slots say what was taken from them.
    entities: [],
    intent_ranking: [intent],
    ...(entry.messageId ? { message_id: entry.messageId } : {}),
  };
}

/** The Parley system events Rasa has a counterpart for; the others stay out of the tracker. */
function systemEvent(entry: TranscriptEntry, timestamp: number, openFlows: string[]): RasaEvent | undefined {
  const data = entry.data ?? {};
  const flow = typeof data['flow'] === 'string' ? data['flow'] : undefined;
  switch (entry.event) {
    case 'slot.filled':
      return typeof data['slot'] === 'string'
        ? { event: 'slot', timestamp, name: data['slot'], value: data['value'] ?? null }
        : undefined;
    case 'flow.started':
      if (!flow) return undefined;
      openFlows.push(flow);
      return { event: 'flow_started', timestamp, flow_id: flow };
    case 'flow.completed':
      if (!flow) return undefined;
      if (openFlows.includes(flow)) openFlows.splice(openFlows.lastIndexOf(flow), 1);
      return { event: 'flow_completed', timestamp, flow_id: flow };
    case 'escalated':
      return { event: 'pause', timestamp };
    case 'case.resolved':
    case 'case.closed':
    case 'handback':
      return { event: 'resume', timestamp };
    default:
      return undefined;
  }
}
