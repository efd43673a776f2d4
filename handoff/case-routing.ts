import type { HandoffPort } from '../core/pipeline';
import type { Stores } from '../core/ports';
import { say, type TurnContext } from '../core/turn';
import { caseTopic, publishCase } from './case-events';
import { frameworkMessages } from '../locales/load';
import { openCase, type CaseDeps } from './open-case';
import { queuedNotice } from './channel-wording';
import { countCustomerLine } from './case-activity';

/**
 * While a case is open the bot steps aside: the customer's messages join the case (its transcript) and
 * are published for the agent desk. A resolved or closed case gives the conversation back to the bot.
 */
export type CaseRoutingDeps = CaseDeps & {
  stores: Pick<Stores, 'cases' | 'transcripts' | 'bus' | 'keyValue'>;
};

export function createCaseRouting(deps: CaseRoutingDeps): HandoffPort {
  return {
    async route(ctx: TurnContext): Promise<boolean> {
      const caseId = ctx.state.caseId;
      if (!caseId) return false;
      const item = await deps.stores.cases.get(caseId);
      if (!item || item.status === 'resolved' || item.status === 'closed') {
        delete ctx.state.caseId;
        return false;
      }
      await deps.stores.bus.publish(caseTopic(caseId), {
        type: 'customer.message',
        text: ctx.message.text ?? '',
      });
      await countCustomerLine(deps.stores, caseId).catch((error: unknown) =>
        ctx.log.warn({ err: error, caseId }, 'counting the unread message failed'),
      );
      if (item.status === 'queued') {
        const messages = deps.messages ?? frameworkMessages();
        say(ctx, { from: 'bot', text: queuedNotice(messages, ctx.state.locale, ctx.message.channel) });
      }
      return true;
    },
    async escalate(ctx: TurnContext): Promise<void> {
      const item = await openCase(deps, ctx);
      // The queue is live on every desk; a failed notice must not undo the customer's handoff.
      await publishCase(deps.stores.bus, item).catch((error: unknown) =>
        ctx.log.warn({ err: error, caseId: item.id }, 'publishing the new case failed'),
      );
    },
  };
}
