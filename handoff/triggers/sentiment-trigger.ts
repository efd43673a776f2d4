import type { Middleware } from '../../core/compose';
import type { MessageCatalogue } from '../../core/messages';
import type { HandoffPort } from '../../core/pipeline';
import type { TranscriptReader } from '../../core/ports';
import type { TranscriptEntry } from '../../core/transcript';
import { note, say, type TurnContext } from '../../core/turn';
import { frameworkMessages } from '../../locales/load';
import { defaultScorer, entrySentiment, round, type SentimentScorer } from '../../nlu/sentiment';

export interface SentimentTriggerOptions {
  /** Opens the case (the runtime's handoff port). */
  handoff: Pick<HandoffPort, 'escalate'>;
  /** Where the previous customer message's sentiment is looked up. */
  transcripts: Pick<TranscriptReader, 'read' | 'count'>;
  scorer?: SentimentScorer;
  /** A message at or below this counts as negative; two in a row escalate. */
  threshold?: number;
  /** A message at or below this escalates on its own. */
  strongThreshold?: number;
  /**
   * Said before the handoff message; `false` says nothing extra. By default the catalogue's
   * `handoff.sentimentApology` in the customer's language.
   */
  apology?: string | false;
  messages?: MessageCatalogue;
  queue?: string;
  priority?: number;
}

export const SENTIMENT_DEFAULTS = {
  threshold: -0.35,
  strongThreshold: -0.75,
} as const;

/** How far back the trigger looks for the customer's previous message. */
const LOOK_BACK = 20;

/**
 * A `decide`-stage hook that hands an upset customer to a person. Every customer text line gets its score
 * in `data.sentiment` (so the transcript and `runningSentiment` carry it). The rule:
 *
 * - a message scoring at or below `strongThreshold` (default -0.75, e.g. "this is absolutely useless,
 *   I'm furious") escalates at once;
 * - a message at or below `threshold` (default -0.35, e.g. "this is terrible") escalates when the
 *   customer's previous message was at or below it too: one grumble is normal, two in a row a trend.
 *
 * It acts *after* the bot's own step: a flow that hands off by itself (a complaint flow routing to its
 * queue with a priority) keeps its reason and routing, and an answer the bot found ("your order ships
 * tomorrow") still reaches the customer, followed by the apology and the handoff. Messages that go to an
 * open case are only scored.
 *
 * @example
 * runtime.pipeline.use('decide', createSentimentTrigger({ handoff, transcripts: stores.transcripts }));
 */
export function createSentimentTrigger(options: SentimentTriggerOptions): Middleware<TurnContext> {
  const scorer = options.scorer ?? defaultScorer();
  const threshold = options.threshold ?? SENTIMENT_DEFAULTS.threshold;
  const strong = options.strongThreshold ?? SENTIMENT_DEFAULTS.strongThreshold;
  const messages = options.messages ?? frameworkMessages();
  return async (ctx, next) => {
    const inbound = ctx.entries.find((entry) => entry.speaker === 'customer' && entry.text !== undefined);
    if (!inbound?.text) return next();
    // Scored in the language the turn was understood in, so a Spanish complaint reads as one.
    const locale = ctx.nlu?.locale ?? ctx.state.locale;
    const score = round(scorer.score(inbound.text, locale));
    inbound.data = { ...inbound.data, sentiment: score };
    await next();
    if (ctx.routedToCase || ctx.escalation || ctx.state.caseId || score > threshold) return;
    const previous =
      score <= strong
        ? undefined
        : await previousSentiment(options.transcripts, ctx.message.conversationId, scorer, locale);
    if (score > strong && (previous === undefined || previous > threshold)) return;
    ctx.escalation = {
      reason: 'negative_sentiment',
      detail:
        previous === undefined
          ? `very negative message (sentiment ${score})`
          : `negative twice in a row (sentiment ${previous}, then ${score})`,
      ...(options.queue ? { queue: options.queue } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
    };
    note(ctx, 'sentiment.negative', { score, ...(previous !== undefined ? { previous } : {}) });
    const apology = options.apology ?? messages.text(ctx.state.locale, 'handoff.sentimentApology');
    if (apology) say(ctx, { from: 'bot', text: apology });
    await options.handoff.escalate(ctx);
  };
}

/** The sentiment of the customer's last text line before this turn, if any. */
async function previousSentiment(
  transcripts: Pick<TranscriptReader, 'read' | 'count'>,
  conversationId: string,
  scorer: SentimentScorer,
  locale: string | undefined,
): Promise<number | undefined> {
  const total = await transcripts.count(conversationId);
  if (total === 0) return undefined;
  const tail = await transcripts.read(conversationId, {
    offset: Math.max(0, total - LOOK_BACK),
    limit: LOOK_BACK,
  });
  const last = [...tail]
    .reverse()
    .find((entry: TranscriptEntry) => entry.speaker === 'customer' && entry.text);
  return last ? entrySentiment(last, scorer, locale) : undefined;
}
