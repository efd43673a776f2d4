import type { Case } from '../core/case';
import type { DialogEngine } from '../core/dialog';
import type { Reply } from '../core/message';
import type { MessageCatalogue } from '../core/messages';
import type { ChannelAddress, Clock, IdGenerator, Stores } from '../core/ports';
import type { TranscriptEntry } from '../core/transcript';
import { note, say, type TurnContext } from '../core/turn';
import { frameworkMessages } from '../locales/load';
import { validateHandoffPackage } from './package.schema';
import { handoffNotice } from './channel-wording';
import { runningSentiment } from '../nlu/sentiment';

export interface CaseDeps {
  stores: Pick<Stores, 'cases' | 'transcripts' | 'identities'>;
  dialog: Pick<DialogEngine, 'summarize'>;
  clock: Clock;
  ids: IdGenerator;
  /** What the customer is told, per locale (the framework's catalogue when absent). */
  messages?: MessageCatalogue;
  /** Picks the queue of a new case (the desk's `routeToQueue`); the request's queue or `general` when absent. */
  routeQueue?: QueueRouter;
}

/** The queue for a case with these facts; `requested` is the queue the flow or trigger named, if any. */
export type QueueRouter = (
  facts: { intent?: string; language?: string; channel?: string },
  requested?: string,
) => string;

/** The English handoff notice; the customer gets the catalogue's `handoff.opened` in their language. */
export const HANDOFF_REPLY: Reply = {
  from: 'bot',
  text: "I'm passing you to a colleague. They will see everything we've discussed, so you won't need to repeat yourself, and they'll reply right here.",
};

/** Reads a conversation's whole transcript, page by page. */
export async function readWholeTranscript(
  transcripts: Stores['transcripts'],
  conversationId: string,
  pageSize = 500,
): Promise<TranscriptEntry[]> {
  const total = await transcripts.count(conversationId);
  const entries: TranscriptEntry[] = [];
  for (let offset = 0; offset < total; offset += pageSize) {
    entries.push(...(await transcripts.read(conversationId, { offset, limit: pageSize })));
  }
  return entries;
}

/** Every address the customer is known by, the one they wrote from first. */
async function customerAddresses(deps: CaseDeps, ctx: TurnContext): Promise<ChannelAddress[]> {
  const current = { channel: ctx.message.channel, userId: ctx.message.channelUserId };
  const others = (await deps.stores.identities.addresses(ctx.customerId)).filter(
    (a) => a.channel !== current.channel || a.userId !== current.userId,
  );
  return [current, ...others];
}

/**
 * Opens a case for the turn's escalation: the package holds the whole transcript so far, including this
 * turn's lines up to and including the handoff message, and the dialog's summary.
 */
export async function openCase(deps: CaseDeps, ctx: TurnContext): Promise<Case> {
  const request = ctx.escalation;
  if (!request) throw new Error('openCase needs ctx.escalation');
  const id = deps.ids.next();
  const messages = deps.messages ?? frameworkMessages();
  const addresses = await customerAddresses(deps, ctx);
  const [current, ...others] = addresses as [ChannelAddress, ...ChannelAddress[]];
  say(ctx, {
    ...HANDOFF_REPLY,
    ...handoffNotice(messages, ctx.state.locale, current, others),
    handoff: { caseId: id },
  });
  note(ctx, 'escalated', {
    caseId: id,
    reason: request.reason,
    ...(request.detail ? { detail: request.detail } : {}),
  });
  const history = await readWholeTranscript(deps.stores.transcripts, ctx.message.conversationId);
  const transcript = [...history, ...ctx.entries];
  const now = deps.clock.now();
  const sentiment = runningSentiment(transcript, undefined, ctx.nlu?.locale ?? ctx.state.locale);
  const summary = deps.dialog.summarize(ctx.state.dialog);
  const language = ctx.nlu?.locale ?? ctx.state.locale;
  const intent = summary.lastIntent ?? ctx.nlu?.intent.name;
  const facts = {
    ...(intent ? { intent } : {}),
    ...(language ? { language } : {}),
    channel: ctx.message.channel,
  };
  const queue = deps.routeQueue ? deps.routeQueue(facts, request.queue) : (request.queue ?? 'general');
  const item: Case = {
    id,
    conversationId: ctx.message.conversationId,
    customerId: ctx.customerId,
    channels: [...new Set(transcript.map((entry) => entry.channel))],
    queue,
    ...(language ? { language } : {}),
    priority: request.priority ?? 0,
    status: 'queued',
    createdAt: now,
    updatedAt: now,
    package: validateHandoffPackage({
      version: 1,
      reason: request.reason,
      ...(request.detail ? { detail: request.detail } : {}),
      summary: {
        ...summary,
        ...(sentiment !== undefined ? { sentiment } : {}),
      },
      customer: {
        id: ctx.customerId,
        identities: addresses.map((a) => ({ channel: a.channel, id: a.userId })),
      },
      transcript,
      ...(request.device ? { device: request.device } : {}),
    }),
  };
  await deps.stores.cases.create(item);
  ctx.state.caseId = id;
  return item;
}
