import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Message, Reply } from '../core/message';
import type { Section } from './articles';

/** A question a customer might ask and the section that answers it (`file#slug`), or `none`. */
export interface LabelledQuestion {
  q: string;
  expect: string;
}

const QuestionFile = z.strictObject({
  dev: z.array(z.strictObject({ q: z.string().min(1), expect: z.string().min(1) })),
  test: z.array(z.strictObject({ q: z.string().min(1), expect: z.string().min(1) })),
});

export function readQuestions(file: string): z.infer<typeof QuestionFile> {
  return QuestionFile.parse(parseYaml(readFileSync(file, 'utf8')));
}

export type Verdict = 'correct' | 'wrong' | 'unanswered' | 'refused';

export interface QuestionResult extends LabelledQuestion {
  /** The section the bot cited, when it answered from the help centre. */
  cited?: string;
  verdict: Verdict;
}

export interface KnowledgeScore {
  questions: number;
  /** Answerable questions answered from the right section, over answerable questions. */
  correctShare: number;
  /** Questions answered from a wrong section, or answered when no section answers, over all questions. */
  wrongShare: number;
  /** Unanswerable questions the bot did not answer from the help centre, over unanswerable questions. */
  refusedShare: number;
  results: QuestionResult[];
}

/** Sends one message as a new customer and returns the bot's replies. */
export type AskBot = (text: string, index: number) => Promise<Reply[]>;

/**
 * Asks each question of a fresh conversation through the whole bot (NLU, flows, help centre), as a
 * customer would, and checks which section, if any, the reply cites.
 */
export async function scoreKnowledge(
  questions: readonly LabelledQuestion[],
  ask: AskBot,
  sectionOfUrl: (url: string) => string | undefined,
): Promise<KnowledgeScore> {
  const results: QuestionResult[] = [];
  for (const [index, question] of questions.entries()) {
    const replies = await ask(question.q, index);
    const url = replies.flatMap((reply) => reply.cards ?? []).find((card) => card.url)?.url;
    const cited = url ? sectionOfUrl(url) : undefined;
    results.push({ ...question, ...(cited ? { cited } : {}), verdict: verdictOf(question.expect, cited) });
  }
  const answerable = results.filter((r) => r.expect !== 'none');
  const unanswerable = results.filter((r) => r.expect === 'none');
  const share = (n: number, of: number): number => (of === 0 ? 0 : n / of);
  return {
    questions: results.length,
    correctShare: share(answerable.filter((r) => r.verdict === 'correct').length, answerable.length),
    wrongShare: share(results.filter((r) => r.verdict === 'wrong').length, results.length),
    refusedShare: share(unanswerable.filter((r) => r.verdict === 'refused').length, unanswerable.length),
    results,
  };
}

function verdictOf(expect: string, cited: string | undefined): Verdict {
  if (expect === 'none') return cited ? 'wrong' : 'refused';
  if (!cited) return 'unanswered';
  return cited === expect ? 'correct' : 'wrong';
}

/** A message from a new web chat customer, as a connector would hand it over. */
export function customerMessage(text: string, index: number, timestamp: number): Message {
  return {
    channel: 'webchat',
    channelUserId: `kb-eval-${index}`,
    conversationId: `kb-eval-${index}`,
    messageId: `kb-eval-${index}-1`,
    kind: 'text',
    text,
    timestamp,
    raw: {},
  };
}

/** Maps a cited URL (`<article url>#<slug>`) back to its section id. */
export function sectionsByUrl(sections: readonly Section[]): (url: string) => string | undefined {
  const byUrl = new Map<string, string>();
  for (const section of sections) {
    if (section.url) byUrl.set(`${section.url}#${section.id.split('#')[1]}`, section.id);
  }
  return (url) => byUrl.get(url);
}
