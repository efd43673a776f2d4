/**
 * Sentence-by-sentence synthesis: the caller hears the first sentence while the next is being synthesised.
 */
import type { AudioFormat, TextToSpeech } from '../core/speech';

/**
 * Splits text after `.`, `!`, `?` (and `…`) followed by a space, keeping abbreviations such as "Mr." or
 * "e.g." and decimals ("£4.50") inside their sentence.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  const boundary = /[.!?…]+["')\]]*\s+/g;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const before = text.slice(start, match.index);
    if (/\b(Mr|Mrs|Ms|Dr|St|No|e\.g|i\.e|etc|vs)$/i.test(before)) continue;
    sentences.push(text.slice(start, match.index + match[0].length).trim());
    start = match.index + match[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences.filter((s) => s.length > 0);
}

export interface SentenceAudio {
  /** The sentence's text (or the whole SSML document). */
  text: string;
  audio: Buffer;
}

/**
 * Synthesises a reply one sentence at a time, each sentence's synthesis starting while the previous one is
 * played. SSML is synthesised whole: splitting markup would break its elements.
 *
 * @example
 * for await (const { audio } of synthesizeSentences(tts, { text: reply, locale: 'en-GB' }, MULAW_8K)) {
 *   playFrames(audio);
 * }
 */
export async function* synthesizeSentences(
  tts: TextToSpeech,
  input: { text?: string; ssml?: string; locale: string },
  format: AudioFormat,
): AsyncGenerator<SentenceAudio> {
  if (input.ssml !== undefined) {
    yield {
      text: input.ssml,
      audio: await tts.synthesize({ ssml: input.ssml, locale: input.locale }, format),
    };
    return;
  }
  const sentences = splitSentences(input.text ?? '');
  const synthesize = (text: string) => tts.synthesize({ text, locale: input.locale }, format);
  let next = sentences.length > 0 ? synthesize(sentences[0]) : undefined;
  for (let i = 0; i < sentences.length && next; i++) {
    const current = next;
    // Start the following sentence now, so it is ready when this one has played.
    next = i + 1 < sentences.length ? synthesize(sentences[i + 1]) : undefined;
    // A rejected look-ahead must not go unhandled if the caller stops iterating early.
    next?.catch(() => undefined);
    yield { text: sentences[i], audio: await current };
  }
}
