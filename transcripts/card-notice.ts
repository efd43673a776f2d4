import type { Middleware } from '../core/compose';
import type { Reply } from '../core/message';
import { say, type TurnContext } from '../core/turn';
import { CARD_DATA_KINDS } from './redact';

export const CARD_NOTICE: Reply = {
  from: 'system',
  text:
    "For your security we never take card details in chat, so I've removed them. " +
    'Please do not share card numbers or security codes here.',
};

/** The kinds the receive stage noted as removed from this turn's message. */
function redactedKinds(ctx: TurnContext): string[] {
  return ctx.entries.flatMap((entry) => {
    const kinds =
      entry.speaker === 'system' && entry.event === 'redacted' ? entry.data?.['kinds'] : undefined;
    return Array.isArray(kinds) ? kinds.filter((kind): kind is string => typeof kind === 'string') : [];
  });
}

/**
 * Tells the customer, once per conversation, that card details are never taken in chat: the first time
 * card data is removed from what they sent. Hook it on a stage after `identify` (the state holds the flag).
 *
 * @example
 * runtime.pipeline.use('route', cardNotice());
 */
export function cardNotice(): Middleware<TurnContext> {
  const cardKinds = new Set<string>(CARD_DATA_KINDS);
  return async (ctx, next) => {
    if (!ctx.state.cardNoticeGiven && redactedKinds(ctx).some((kind) => cardKinds.has(kind))) {
      say(ctx, CARD_NOTICE);
      ctx.state.cardNoticeGiven = true;
    }
    await next();
  };
}
