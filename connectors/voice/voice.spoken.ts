/**
 * Numbers and codes on a call: recognisers hear "A one zero zero one", flows want `A1001`, and a caller wants
 * to hear it read back one character at a time. Pure.
 */

const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0',
  oh: '0',
  o: '0',
  one: '1',
  two: '2',
  to: '2',
  too: '2',
  three: '3',
  four: '4',
  for: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

function digitOf(word: string): string | undefined {
  if (/^\d+$/.test(word)) return word;
  return DIGIT_WORDS[word.toLowerCase()];
}

/**
 * Joins spelled codes in a transcript: a letter followed by two or more digits becomes one code
 * ("order a one zero zero one" → "order A1001"), and three or more digits in a row one number. Returns the
 * text and the codes found (for read-back). "to" and "for" only count inside a run that already started.
 */
export function joinSpokenCodes(transcript: string): { text: string; codes: string[] } {
  const words = transcript
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0);
  const out: string[] = [];
  const codes: string[] = [];
  for (let i = 0; i < words.length;) {
    const word = words[i] as string;
    const letter = /^[a-z]$/i.test(word) ? word.toUpperCase() : '';
    const from = letter ? i + 1 : i;
    let digits = '';
    let j = from;
    for (; j < words.length; j += 1) {
      const next = words[j] as string;
      const isWeak = ['to', 'too', 'for', 'o'].includes(next.toLowerCase());
      const digit = isWeak && digits.length === 0 ? undefined : digitOf(next);
      if (digit === undefined) break;
      digits += digit;
    }
    const enough = letter ? digits.length >= 2 : digits.length >= 3 && j - from >= 3;
    if (enough) {
      const code = `${letter}${digits}`;
      out.push(code);
      codes.push(code);
      i = j;
    } else {
      out.push(word);
      i += 1;
    }
  }
  return { text: out.join(' '), codes };
}

/** A code as a caller should hear it: "A1001" → "A, 1, 0, 0, 1" (engines then say each character). */
export function spellOut(code: string): string {
  return code.split('').join(', ');
}

/** Codes and long numbers inside a sentence spelled for speech: "order A1001 has" → "order A 1 0 0 1 has". */
export function spellCodesForSpeech(text: string): string {
  return text.replace(/\b([A-Z]{1,3}\d{3,}|\d{5,})\b/g, (code) => code.split('').join(' '));
}

/** Digits as words, for grammars: "A1001" → "a one zero zero one". */
export function codeAsWords(code: string): string {
  return code
    .split('')
    .map((char) => (/\d/.test(char) ? DIGIT_NAMES[Number(char)] : char.toLowerCase()))
    .join(' ');
}
