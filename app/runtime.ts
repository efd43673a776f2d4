import { systemClock, uuidIds } from '../core/defaults';
import type { DialogEngine } from '../core/dialog';
import type { Reply } from '../core/message';
import type { NluParser } from '../core/nlu';
import { Pipeline, type HandoffPort, type Redactor } from '../core/pipeline';
import type { Clock, IdGenerator, Logger, Outbox, ProactiveSender, Stores } from '../core/ports';
import type { ConversationRuntime } from '../core/runtime';
import { createCaseRouting } from '../handoff/case-routing';
import type { QueueRouter } from '../handoff/open-case';
import { createTypingRelay } from '../outbox/typing';
import { seenLines } from '../transcripts/seen-lines';
import { cardNotice } from '../transcripts/card-notice';
import { createMessageRedactor } from '../transcripts/redact-message';
import { createDelivery, type Delivery } from '../handoff/delivery';
import type { ChannelName } from '../core/message';
import { createOutbox } from '../outbox/outbox';
import type { MessageCatalogue } from '../core/messages';
import { frameworkMessages } from '../locales/load';
import type { Analytics } from './analytics';

export interface RuntimeDeps {
  stores: Stores;
  nlu: NluParser;
  dialog: DialogEngine;
  redact: Redactor;
  logger: Logger;
  clock?: Clock;
  ids?: IdGenerator;
  defaultLocale?: string;
  /** Channels that cannot take a push (default `['rest']`): agents' replies wait for the next request. */
  heldChannels?: readonly ChannelName[];
  /** The REST channel's proactive sender, e.g. its callback URL (`runtime.outbox.register` for others). */
  outbound?: ProactiveSender;
  /** The framework's sentences with the bot's overrides (`locales/load.ts`); the framework's alone by default. */
  messages?: MessageCatalogue;
  /** Routes new cases to the desk's queues (`desk/desk-config.ts` `routeToQueue`). */
  routeQueue?: QueueRouter;
}

/** A running bot: the turn pipeline plus what connectors and the agent desk need around it. */
export interface ParleyRuntime extends ConversationRuntime, Delivery {
  readonly pipeline: Pipeline;
  readonly stores: Stores;
  /** The bot's dialog engine as the runtime currently uses it (follows `replaceBot`). */
  readonly dialog: DialogEngine;
  /** Opens cases and routes customers to them; triggers escalate through it. */
  readonly handoff: HandoffPort;
  /** Where out-of-turn replies leave; later channels plug their proactive senders in here. */
  readonly outbox: Outbox;
  /** What the framework says to customers, per locale. */
  readonly messages: MessageCatalogue;
  /** Sends a reply to a conversation from outside a turn (an agent); every process's connectors see it. */
  push(conversationId: string, reply: Reply): Promise<void>;
  /**
   * Swaps in a retrained NLU and reloaded flows between turns (a designer saved a file). Conversations
   * keep their state; a frame whose flow or state no longer exists is dropped by the engine.
   */
  replaceBot(parts: BotParts): void;
  /** Where the runtime's analytics events go (`app/analytics.ts`), when they are recorded. */
  readonly analytics?: Analytics;
  close(): Promise<void>;
}

/** What a bot's files turn into: replaced together when they change. */
export interface BotParts {
  nlu: NluParser;
  dialog: DialogEngine;
}

/**
 * Wires a bot's NLU and dialog engine to the stores through the turn pipeline.
 *
 * @example
 * const runtime = createRuntime({ stores: createMemoryStores({ retentionMs }), nlu, dialog, redact: redactText, logger });
 * const replies = await runtime.handle(message);
 */
export function createRuntime(deps: RuntimeDeps): ParleyRuntime {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? uuidIds;
  // Everyone holds these forwarding views, so replacing the bot's parts reaches every user at once.
  let parts: BotParts = { nlu: deps.nlu, dialog: deps.dialog };
  const nlu: NluParser = { parse: (text, options) => parts.nlu.parse(text, options) };
  const dialog: DialogEngine = {
    step: (state, input, turn) => parts.dialog.step(state, input, turn),
    summarize: (state) => parts.dialog.summarize(state),
  };
  const messages = deps.messages ?? frameworkMessages();
  const handoff = createCaseRouting({
    stores: deps.stores,
    dialog,
    clock,
    ids,
    messages,
    ...(deps.routeQueue ? { routeQueue: deps.routeQueue } : {}),
  });
  const outbox = createOutbox({
    bus: deps.stores.bus,
    logger: deps.logger,
    ...(deps.heldChannels ? { heldChannels: deps.heldChannels } : {}),
  });
  if (deps.outbound) outbox.register('rest', deps.outbound);
  const pipeline = new Pipeline({
    stores: deps.stores,
    outbox,
    nlu,
    dialog,
    handoff,
    redact: deps.redact,
    // The same redactor over the whole message: ids, metadata and speech as well as text.
    redactMessage: createMessageRedactor(deps.redact),
    clock,
    logger: deps.logger,
    messages,
    ...(deps.defaultLocale ? { defaultLocale: deps.defaultLocale } : {}),
  });
  pipeline.use('route', cardNotice());
  const delivery = createDelivery(pipeline);
  return {
    pipeline,
    outbox,
    stores: deps.stores,
    dialog,
    handoff,
    messages,
    replaceBot: (next) => {
      parts = next;
    },
    deliver: delivery.deliver,
    record: delivery.record,
    handBack: delivery.handBack,
    release: delivery.release,
    handle: (message) => pipeline.handle(message),
    // Debug endpoints (`/model/parse`) echo the text and entities: they get the redacted text only.
    parse: (text, options) => nlu.parse(deps.redact(text).text, options),
    history: (conversationId, limit) => seenLines(deps.stores.transcripts, conversationId, limit),
    push: (conversationId, reply) => outbox.push(conversationId, reply),
    onPush: (conversationId, handler) => outbox.listen(conversationId, handler),
    typing: createTypingRelay(deps.stores.bus),
    close: () => deps.stores.close(),
  };
}
