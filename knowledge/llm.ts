import { z } from 'zod';
import type { Section } from './articles';

/** An OpenAI-compatible chat completions endpoint: a self-hosted server (vLLM, llama.cpp, Ollama) or a cloud one. */
export interface LlmSettings {
  /** Base URL up to and including the version, e.g. `http://localhost:8000/v1`. */
  url: string;
  model: string;
  apiKey?: string;
  /** A slow model must not hold the customer's turn: past this the extract answers instead. */
  timeoutMs?: number;
}

/** What the model made of the sections: an answer citing some of them, or a refusal. */
export type LlmOutcome =
  | { kind: 'answer'; text: string; cited: Section[] }
  | { kind: 'refused'; reason: 'no-answer' | 'uncited' | 'empty' };

const REFUSAL = 'NO_ANSWER';

const Completion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

export class LlmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LlmError';
  }
}

const LANGUAGES: Record<string, string> = { en: 'English', es: 'Spanish' };

/**
 * Asks the model to answer only from the numbered sections and to cite them. An answer that cites no
 * section, or cites one it was not given, is treated as a refusal: an uncited answer cannot be trusted.
 * Throws `LlmError` when the endpoint fails, times out or answers in another shape.
 */
export async function askLlm(
  settings: LlmSettings,
  question: { text: string; locale: string },
  sections: readonly Section[],
  company = 'the company',
): Promise<LlmOutcome> {
  const language = LANGUAGES[question.locale.split('-')[0]] ?? question.locale;
  const system = [
    `You answer customers' questions for ${company} using ONLY the numbered help-centre sections given.`,
    `Answer in ${language}, in at most three short sentences, and end with the numbers of the sections you used in square brackets, e.g. [1].`,
    `If the sections do not answer the question, reply exactly ${REFUSAL}.`,
    'Never ask for, repeat or discuss card numbers, security codes, passwords or account details.',
  ].join(' ');
  const numbered = sections
    .map((s, i) => `[${i + 1}] ${s.articleTitle} — ${s.heading}\n${s.text}`)
    .join('\n\n');
  const body = {
    model: settings.model,
    temperature: 0,
    max_tokens: 220,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: `Sections:\n\n${numbered}\n\nQuestion: ${question.text}` },
    ],
  };
  const content = await complete(settings, body);
  return interpret(content, sections);
}

async function complete(settings: LlmSettings, body: object): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${settings.url.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(settings.timeoutMs ?? 4000),
    });
  } catch (error) {
    throw new LlmError(`chat completions request failed: ${(error as Error).message}`);
  }
  if (!response.ok) throw new LlmError(`chat completions answered HTTP ${response.status}`);
  const parsed = Completion.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new LlmError('chat completions answered without choices[0].message.content');
  return parsed.data.choices[0].message.content ?? '';
}

export function interpret(content: string, sections: readonly Section[]): LlmOutcome {
  const text = content.trim();
  if (!text) return { kind: 'refused', reason: 'empty' };
  if (text.includes(REFUSAL)) return { kind: 'refused', reason: 'no-answer' };
  const numbers = [...text.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)].flatMap((m) =>
    m[1].split(',').map((n) => Number(n.trim())),
  );
  const cited = [...new Set(numbers)].map((n) => sections[n - 1]);
  if (cited.length === 0 || cited.some((s) => s === undefined)) return { kind: 'refused', reason: 'uncited' };
  const answer = text
    .replace(/\s*\[\d+(?:\s*,\s*\d+)*\]/g, '')
    .replace(/\s+([.,!?])/g, '$1')
    .trim();
  return { kind: 'answer', text: answer, cited: cited as Section[] };
}
