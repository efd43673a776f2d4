/**
 * Codes on a call: a caller wants to hear what was understood read back one character at a time. Turning
 * spoken codes into written ones ("a one zero zero one" → "A1001") is speech/'s `writtenText`. Pure.
 */
import { writtenText } from '../../speech/spoken';

/**
 * A final transcript as the text a turn reads, and the codes in it (for read-back): spelled codes are joined
 * whichever engine heard them, a letter with two or more digits or three or more digits alone.
 */
export function heardText(transcript: string): { text: string; codes: string[] } {
  const text = writtenText(transcript.split(/\s+/).filter((word) => word.length > 0));
  const codes = text.match(/\b(?:[A-Z]{1,3}\d{2,}|\d{3,})\b/g) ?? [];
  return { text, codes };
}

/** A code as a caller should hear it: "A1001" → "A, 1, 0, 0, 1" (engines then say each character). */
export function spellOut(code: string): string {
  return code.split('').join(', ');
}

/** Codes and long numbers inside a sentence spelled for speech: "order A1001 has" → "order A 1 0 0 1 has". */
export function spellCodesForSpeech(text: string): string {
  return text.replace(/\b([A-Z]{1,3}\d{3,}|\d{5,})\b/g, (code) => code.split('').join(' '));
}
