// The conversation every target is driven through, and what a right answer to each step looks like on
// each target: a turn counts only when its reply says what that bot says at that point.
import type { ReplyCheck } from './driver';

/** The shared peers' default script: order status with a follow-up question, then a booking. */
export const SCRIPT = [
  'hi',
  'where is my order',
  'A1001',
  'thanks',
  'I want to book an engineer',
  'tomorrow',
  'morning',
  'bye',
] as const;

/** Parley's acme bot asks to confirm a booking; the Bot Framework peer books at once. */
const PARLEY = [
  /^Hello!/,
  /order number/,
  /order A1001 has shipped/,
  /welcome/i,
  /Which day/,
  /Morning, afternoon or evening\?/,
  /Shall I book an engineer/,
  /Goodbye/,
];
const BOT_FRAMEWORK = [
  /^Hello!/,
  /order number/,
  /Order A1001 is shipped/,
  /welcome/i,
  /Which day/,
  /time window/,
  /^Booked:/,
  /Goodbye/,
];
const HELLO = SCRIPT.map(() => /^hello$/);

export type TargetKind = 'restify' | 'botframework' | 'parley';

/** The replies' texts, joined, must match the step's pattern, and every reply must go to the sender. */
function patternCheck(patterns: readonly RegExp[]): ReplyCheck {
  return (step, sender, body) => {
    let replies: Array<{ recipient_id?: unknown; text?: unknown }>;
    try {
      replies = JSON.parse(body) as typeof replies;
    } catch {
      return 'not JSON';
    }
    if (!Array.isArray(replies) || replies.length === 0) return 'no reply';
    if (replies.some((r) => r?.recipient_id !== sender)) return 'a reply addressed to someone else';
    const text = replies.map((r) => (typeof r.text === 'string' ? r.text : '')).join(' ');
    const pattern = patterns[step];
    return pattern && !pattern.test(text) ? `expected ${String(pattern)}, got "${text}"` : undefined;
  };
}

export const CHECKS: Record<TargetKind, ReplyCheck> = {
  restify: patternCheck(HELLO),
  botframework: patternCheck(BOT_FRAMEWORK),
  parley: patternCheck(PARLEY),
};
