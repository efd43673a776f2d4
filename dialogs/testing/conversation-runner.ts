import { isDeepStrictEqual } from 'node:util';
import type { Case } from '../../core/case';
import type { JsonObject, JsonValue } from '../../core/json';
import type { Message, Reply } from '../../core/message';
import type { CaseStore, ConversationStore, IdentityStore, TranscriptReader } from '../../core/ports';
import { CONSENT_PURPOSES, type ConsentLedger } from '../../core/privacy';
import { stateInFlow } from '../state';
import type { TranscriptEntry } from '../../core/transcript';
import type { ConversationScript, ScriptCustomer, ScriptStep } from './conversation-script';

/** The parts of a Parley runtime a script drives: `createRuntime(...)` and its stores fit. */
export interface ScriptTarget {
  handle(message: Message): Promise<Reply[]>;
  /** Ends the case and gives the conversation back to the bot; resolves with what the bot said. */
  handBack(conversationId: string, input: { caseId: string; agentName?: string }): Promise<Reply[]>;
  stores: {
    cases: Pick<CaseStore, 'list'>;
    transcripts: Pick<TranscriptReader, 'read' | 'count'>;
    /** Needed by scripts that `start` mid-flow: their conversation is written there first. */
    conversations?: Pick<ConversationStore, 'put'>;
    /** Needed by scripts with a `customer`: their conversation and consents are set before the first message. */
    identities?: Pick<IdentityStore, 'resolve' | 'beginConversation'>;
    consent?: Pick<ConsentLedger, 'record'>;
  };
  /** Sets the clock the runtime reads. */
  setNow(epochMs: number): void;
}

/** A script step that did not hold, with where it is and what happened instead. */
export class ScriptFailure extends Error {
  constructor(script: ConversationScript, index: number, line: number | undefined, detail: string) {
    super(`${script.file}${line ? `:${line}` : ''} "${script.name}" step ${index + 1}: ${detail}`);
    this.name = 'ScriptFailure';
  }
}

interface TurnRecord {
  replies: Reply[];
  matched: number;
  lastMatched?: Reply;
  entries: TranscriptEntry[];
  newCases: Case[];
  assertedCases: number;
}

function matches(pattern: string, text: string): boolean {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (regex) return new RegExp(regex[1], regex[2]).test(text);
  return text.toLowerCase().includes(pattern.toLowerCase());
}

function includesData(actual: JsonObject | undefined, expected: JsonObject): boolean {
  return Object.entries(expected).every(([key, value]) => isDeepStrictEqual(actual?.[key], value));
}

/** The conversation a script plays in, unless the caller names another. */
export function scriptConversationId(script: ConversationScript): string {
  return `script:${script.file}:${script.name}`;
}

/**
 * Event data with case ids as the script names them (`case-1` for its first case), so a script reads
 * the same whatever ids the store gives (a shared Redis needs ids unique across runs).
 */
function namedCases(data: JsonObject | undefined, opened: string[]): JsonObject | undefined {
  if (!data) return data;
  const name = (value: JsonValue): JsonValue =>
    typeof value === 'string' && opened.includes(value) ? `case-${opened.indexOf(value) + 1}` : value;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, name(value)]));
}

/** Plays one conversation script against a runtime; throws `ScriptFailure` at the first step that fails. */
export async function runConversation(
  script: ConversationScript,
  target: ScriptTarget,
  {
    conversationId = scriptConversationId(script),
    channelUserId: defaultAddress = 'script-user',
  }: {
    conversationId?: string;
    /** The customer's address; a store shared by many scripts needs one per script. */
    channelUserId?: string;
  } = {},
): Promise<void> {
  // A script's own customer writes from their address (the bot's records know it); others from the caller's.
  const channelUserId = script.customer?.address ?? defaultAddress;
  let now = script.now;
  let sequence = 0;
  let turn: TurnRecord | undefined;
  let lastCase: Case | undefined;
  /** Real ids of the cases this script opened, in order: a script names them case-1, case-2… */
  const opened: string[] = [];

  const fail = (index: number, detail: string): never => {
    throw new ScriptFailure(script, index, script.steps[index].line, detail);
  };

  const casesOf = async (): Promise<Case[]> =>
    (await target.stores.cases.list()).filter((item) => item.conversationId === conversationId);

  const play = async (send: () => Promise<Reply[]>): Promise<TurnRecord> => {
    const before = await target.stores.transcripts.count(conversationId);
    const casesBefore = (await casesOf()).length;
    now += 1000;
    target.setNow(now);
    const replies = await send();
    const entries = (await target.stores.transcripts.read(conversationId)).slice(before);
    const newCases = (await casesOf()).slice(casesBefore);
    if (newCases.length > 0) lastCase = newCases.at(-1);
    opened.push(...newCases.map((item) => item.id));
    return { replies, matched: 0, entries, newCases, assertedCases: 0 };
  };

  /** Nothing the previous turn did may go unmentioned. */
  const settle = (index: number): void => {
    if (!turn) return;
    const unmatched = turn.replies.slice(turn.matched).map((reply) => reply.text);
    if (unmatched.length > 0) fail(index, `unexpected bot replies: ${JSON.stringify(unmatched)}`);
    if (turn.newCases.length > turn.assertedCases) {
      fail(
        index,
        `a case was opened (${turn.newCases.map((item) => item.package.reason).join(', ')}) but not asserted`,
      );
    }
  };

  const message = (text: string | undefined): Message => ({
    channel: 'test',
    channelUserId,
    conversationId,
    messageId: `m${(sequence += 1)}`,
    kind: text === undefined ? 'launch' : 'text',
    ...(text === undefined ? {} : { text }),
    ...(script.locale ? { locale: script.locale } : {}),
    timestamp: now,
  });

  if (script.start) {
    if (!target.stores.conversations) fail(0, 'this target cannot start a script mid-flow');
    // Written on the script's clock, so a store that expires records by time keeps it.
    target.setNow(now);
    await target.stores.conversations?.put({
      conversationId,
      customerId: 'script-user',
      dialog: stateInFlow(script.start),
      updatedAt: now,
    });
  }

  if (script.customer) {
    const problem = await prepareCustomer(script.customer, target, { channelUserId, conversationId, now });
    if (problem) fail(0, problem);
  }

  for (const [index, { step }] of script.steps.entries()) {
    if ('user' in step || 'outside' in step || 'launch' in step || 'handback' in step) {
      settle(index);
      turn = await play(() =>
        send(step, target, message, conversationId, lastCase, (detail) => fail(index, detail)),
      );
      continue;
    }
    if (!turn) return fail(index, 'an assertion before anything was said');
    check(step, turn, lastCase, opened, (detail) => fail(index, detail));
  }
  settle(script.steps.length - 1);
}

/**
 * A script's own customer, ready before the first message: their address starts this script's
 * conversation (a store shared with earlier runs may hold an older one), and their answer to every consent
 * purpose is on record (yes for those the script lists, no for the rest), so the script reads the same
 * whatever earlier scripts recorded. On the script's clock, so a store that expires records keeps them.
 */
async function prepareCustomer(
  customer: ScriptCustomer,
  target: ScriptTarget,
  at: { channelUserId: string; conversationId: string; now: number },
): Promise<string | undefined> {
  const { identities, consent } = target.stores;
  if (!identities || !consent) return "this target cannot prepare a script's customer";
  target.setNow(at.now);
  const { customerId, conversationId } = await identities.resolve(
    { channel: 'test', userId: at.channelUserId },
    { customerId: `test:${at.channelUserId}`, conversationId: at.conversationId },
  );
  if (conversationId !== at.conversationId) await identities.beginConversation(customerId, at.conversationId);
  for (const purpose of CONSENT_PURPOSES) {
    const granted = customer.consent.includes(purpose);
    await consent.record({ customerId, purpose, granted, at: at.now, wordingVersion: 'script' });
  }
  return undefined;
}

async function send(
  step: ScriptStep,
  target: ScriptTarget,
  message: (text: string | undefined) => Message,
  conversationId: string,
  lastCase: Case | undefined,
  fail: (detail: string) => never,
): Promise<Reply[]> {
  if ('user' in step) return target.handle(message(step.user));
  if ('outside' in step) {
    const { name, data } = step.outside;
    return target.handle({
      ...message(undefined),
      kind: 'event',
      event: name,
      toFlows: true,
      metadata: data,
    });
  }
  if ('launch' in step) return target.handle(message(undefined));
  if (!('handback' in step)) return fail('not a turn');
  if (!lastCase) return fail('handback without an open case');
  const agentName = step.handback === true ? undefined : step.handback.agent;
  return target.handBack(conversationId, { caseId: lastCase.id, ...(agentName ? { agentName } : {}) });
}

function check(
  step: ScriptStep,
  turn: TurnRecord,
  lastCase: Case | undefined,
  opened: string[],
  fail: (detail: string) => never,
): void {
  if ('bot' in step) {
    const reply = turn.replies[turn.matched];
    if (!reply) return fail(`expected a reply matching ${JSON.stringify(step.bot)}, got no more replies`);
    if (!matches(step.bot, reply.text)) {
      return fail(`expected a reply matching ${JSON.stringify(step.bot)}, got ${JSON.stringify(reply.text)}`);
    }
    turn.matched += 1;
    turn.lastMatched = reply;
  } else if ('buttons' in step) {
    const titles = turn.lastMatched?.buttons?.map((button) => button.title) ?? [];
    if (!isDeepStrictEqual(titles, step.buttons))
      fail(`expected buttons ${JSON.stringify(step.buttons)}, got ${JSON.stringify(titles)}`);
  } else if ('intent' in step) {
    const intent = turn.entries.find((entry) => entry.speaker === 'customer')?.intent;
    if (intent !== step.intent) fail(`expected intent ${step.intent}, got ${intent ?? 'none'}`);
  } else if ('escalated' in step) {
    const opened = turn.newCases[turn.assertedCases];
    if (!opened) return fail(`expected a case (${step.escalated}), none was opened`);
    if (opened.package.reason !== step.escalated)
      fail(`expected a ${step.escalated} case, got ${opened.package.reason}`);
    turn.assertedCases += 1;
  } else if ('summary' in step) {
    checkSummary(step.summary, lastCase, fail);
  } else if ('event' in step) {
    const wanted = typeof step.event === 'string' ? { name: step.event, data: {} } : step.event;
    const found = turn.entries.some(
      (entry) => entry.event === wanted.name && includesData(namedCases(entry.data, opened), wanted.data),
    );
    if (!found) {
      const seen = turn.entries.flatMap((entry) =>
        entry.event ? [`${entry.event} ${JSON.stringify(entry.data ?? {})}`] : [],
      );
      fail(`expected event ${JSON.stringify(wanted)}, the turn recorded: ${seen.join('; ') || 'no events'}`);
    }
  }
}

function checkSummary(
  expected: { slots?: JsonObject; tried?: string[] },
  lastCase: Case | undefined,
  fail: (detail: string) => never,
): void {
  if (!lastCase) return fail('summary asserted but no case was opened');
  const { summary } = lastCase.package;
  if (expected.slots && !includesData(summary.slots, expected.slots)) {
    fail(`expected summary slots ${JSON.stringify(expected.slots)}, got ${JSON.stringify(summary.slots)}`);
  }
  for (const line of expected.tried ?? []) {
    if (!summary.tried.some((tried) => matches(line, tried))) {
      fail(`expected a summary line matching ${JSON.stringify(line)}, got ${JSON.stringify(summary.tried)}`);
    }
  }
}
