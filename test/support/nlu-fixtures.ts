import type { DialogInput, DialogTurnInfo } from '../../core/dialog';
import type { JsonValue } from '../../core/json';
import type { Entity } from '../../core/nlu';

/** A hand-built NLU result, so engine tests never need a trained model. */
export function said(
  text: string,
  intent: string,
  entities: Array<[entity: string, value: JsonValue, text?: string]> = [],
  confidence = 0.95,
): DialogInput {
  const found: Entity[] = entities.map(([entity, value, surface]) => {
    const shown = surface ?? String(value);
    const start = Math.max(0, text.indexOf(shown));
    return { entity, value, text: shown, start, end: start + shown.length };
  });
  return {
    type: 'user',
    text,
    nlu: {
      text,
      intent: { name: intent, confidence },
      intent_ranking: [{ name: intent, confidence }],
      entities: found,
      locale: 'en',
    },
  };
}

export function turnAt(now: number, conversationId = 'c1'): DialogTurnInfo {
  return { conversationId, customerId: 'cust-1', channel: 'test', locale: 'en', now };
}
