import type { Agent } from '../core/case';
import type { ChannelName, Message } from '../core/message';
import type { CaseStore } from '../core/ports';
import type { CaseService } from '../handoff/case-service';
import { seededRandom } from '../core/random';

/** What the simulation drives: a bot's turns, the case service agents use, and the clock it moves. */
export interface SimulationDeps {
  handle(message: Message): Promise<unknown>;
  cases: Pick<CaseService, 'claim' | 'message' | 'resolve'>;
  caseStore: Pick<CaseStore, 'list'>;
  /** Sets the simulated time (epoch ms) before each step. */
  setTime(at: number): void;
}

export interface SimulationOptions {
  /** UTC midnight of the simulated day. */
  day: number;
  seed: number;
  customers: number;
}

const MIN = 60_000;
const AGENTS: Agent[] = [
  { username: 'sam', name: 'Sam' },
  { username: 'kim', name: 'Kim' },
  { username: 'alex', name: 'Alex' },
];
const CHANNELS: [ChannelName, number][] = [
  ['webchat', 0.5],
  ['sms', 0.25],
  ['whatsapp', 0.15],
  ['rest', 0.1],
];
/** Questions the acme bot has no intent for, in a few groups of meaning: the report should find them. */
const UNANSWERED = [
  ['do you sell mobile phones', 'can I buy a new phone from you', 'do you have the latest iphone'],
  ['can I pay with paypal', 'is paypal accepted'],
  ['is there a student discount', 'do students get a discount'],
  ['I am moving home next month', 'can I take my broadband when I move house'],
  ['can I buy a gift card', 'how do I get loyalty points'],
];

type Script = {
  weight: number;
  lines: (pick: <T>(items: readonly T[]) => T) => string[];
  escalates?: boolean;
};
const SCRIPTS: Script[] = [
  {
    weight: 26,
    lines: (pick) => [
      pick(['hi', 'hello']),
      `where is my order ${pick(['A1001', 'A1002', 'A1003'])}?`,
      'thanks',
    ],
  },
  { weight: 8, lines: () => ['when are you open?', 'thanks'] },
  { weight: 6, lines: (pick) => [`reset my password, my email is ${pick(['jo', 'al', 'mo'])}@example.com`] },
  { weight: 8, lines: () => ['¿dónde está mi pedido A1001?'] },
  {
    weight: 16,
    lines: (pick) => {
      const group = pick(UNANSWERED);
      return [pick(group), pick(group)];
    },
  },
  {
    weight: 12,
    lines: (pick) => [pick(['I want to talk to a person', 'let me talk to a human'])],
    escalates: true,
  },
  { weight: 8, lines: () => ['this is ridiculous, I want to complain'], escalates: true },
  { weight: 6, lines: () => ['I want to cancel my service'], escalates: true },
];

/**
 * A seeded day of demo traffic against a bot such as acme: customers on several channels asking, some
 * not understood, some coming back about the same thing, some escalating; agents claiming (or not, in
 * time), replying and handing back or closing; customers answering the satisfaction question. Returns how
 * many conversations and cases it made.
 */
export async function simulateDay(
  deps: SimulationDeps,
  options: SimulationOptions,
): Promise<{ conversations: number; cases: number }> {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const weighted = <T>(items: readonly [T, number][]): T => {
    let r = random() * items.reduce((s, [, w]) => s + w, 0);
    for (const [item, w] of items) if ((r -= w) <= 0) return item;
    return items[0]?.[0] as T;
  };
  const arrivals = Array.from(
    { length: options.customers },
    () => options.day + 8 * 60 * MIN + random() * 10 * 60 * MIN,
  ).sort((a, b) => a - b);
  let sequence = 0;
  let conversations = 0;
  let cases = 0;
  const visits: { customer: string; channel: ChannelName; at: number; script: Script }[] = [];
  arrivals.forEach((at, i) => {
    const script = weighted(SCRIPTS.map((s) => [s, s.weight] as [Script, number]));
    const customer = `sim-${options.seed}-${i}`;
    const channel = weighted(CHANNELS);
    visits.push({ customer, channel, at, script });
    // Some come back later the same day about the same thing: repeat contact.
    if (!script.escalates && random() < 0.15)
      visits.push({ customer, channel, at: at + (40 + random() * 180) * MIN, script });
  });
  for (const visit of visits.sort((a, b) => a.at - b.at)) {
    let now = visit.at;
    const say = async (text: string) => {
      now = Math.round(now);
      deps.setTime(now);
      await deps.handle({
        channel: visit.channel,
        channelUserId: visit.customer,
        conversationId: `${visit.channel}:${visit.customer}:${Math.round(visit.at)}`,
        messageId: `sim-${++sequence}`,
        kind: 'text',
        text,
        timestamp: now,
      });
      now += (0.3 + random()) * MIN;
    };
    conversations += 1;
    for (const line of visit.script.lines(pick)) await say(line);
    if (!visit.script.escalates) continue;
    const [item] = (await deps.caseStore.list({ status: 'queued' })).filter((c) =>
      c.customerId.endsWith(`:${visit.customer}`),
    );
    if (!item) continue;
    cases += 1;
    // One case in ten waits too long: nobody claims it (abandoned).
    if (random() < 0.1) continue;
    const agent = pick(AGENTS);
    now = Math.round(item.createdAt + (1 + random() * 14) * MIN);
    deps.setTime(now);
    await deps.cases.claim(item.id, agent);
    now = Math.round(now + (0.5 + random() * 3) * MIN);
    deps.setTime(now);
    await deps.cases.message(
      item.id,
      agent,
      'Hi, I have read the conversation. Let me sort this out for you.',
    );
    now += random() * 2 * MIN;
    await say('thank you');
    now = Math.round(now + (2 + random() * 10) * MIN);
    deps.setTime(now);
    const handBack = random() < 0.75;
    await deps.cases.resolve(item.id, agent, { handBack });
    now += 0.5 * MIN;
    if (handBack && random() < 0.85) await say(random() < 0.8 ? 'yes' : 'no');
  }
  return { conversations, cases };
}
