import type { Middleware } from '../core/compose';
import type { MessageBus } from '../core/ports';
import type { TurnContext } from '../core/turn';
import { publishLines } from './case-events';

/**
 * After a hand-back the case is resolved and the bot has the conversation again, so the customer's answer
 * to "did we sort everything out?" no longer flows to the case. This `record` hook relays that turn's lines
 * to the case's topic, so the agent who handed back sees the answer arrive on the desk.
 */
export function createSatisfactionRelay(bus: MessageBus): Middleware<TurnContext> {
  return async (ctx, next) => {
    await next();
    const answer = ctx.entries.find((entry) => entry.event === 'satisfaction');
    const caseId = answer?.data?.['caseId'];
    if (typeof caseId !== 'string') return;
    try {
      await publishLines(bus, caseId, ctx.entries);
    } catch (error) {
      ctx.log.warn({ err: error, caseId }, 'could not relay the satisfaction answer to the desk');
    }
  };
}
