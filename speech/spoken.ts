/**
 * Written text ⇄ the words a caller says. Callers spell codes character by character ("A1001" is "a one zero
 * zero one"); recognisers return those words, and the NLU wants the code back as it is written.
 */

export const DIGIT_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
] as const;

const DIGIT_OF: ReadonlyMap<string, string> = new Map([
  ...DIGIT_WORDS.map((word, digit) => [word, String(digit)] as const),
  ['oh', '0'],
]);

const isLetterWord = (word: string): boolean => /^[a-z]$/i.test(word);

/** A word's digits: a digit word ("one", "oh") or digits an engine already wrote ("1001"). */
function digitsOf(word: string): string | undefined {
  return /^\d+$/.test(word) ? word : DIGIT_OF.get(word.toLowerCase());
}

/** One written token as spoken words: codes and numbers character by character, words as they are. */
function spokenToken(token: string): string[] {
  if (/\d/.test(token)) {
    return [...token.toLowerCase()].map((c) => (/\d/.test(c) ? DIGIT_WORDS[Number(c)] : c));
  }
  return [token.toLowerCase()];
}

/**
 * A written phrase as the lower-case words a caller would say: punctuation dropped (apostrophes kept,
 * "where's"), codes and numbers spelled out.
 *
 * @example spokenWords("Where's my order A1001?") // ['where\'s', 'my', 'order', 'a', 'one', 'zero', 'zero', 'one']
 */
export function spokenWords(text: string): string[] {
  const tokens = text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? [];
  return tokens.flatMap((token) => spokenToken(token.replace(/’/g, "'")));
}

/**
 * Recognised words as text for the NLU: a run of spelled letters and digits holding at least two digits
 * becomes one written code ("a one zero zero one" → "A1001", "one two three four five six seven eight" →
 * "12345678"); everything else stays as said ("a two year contract"). Digits an engine wrote itself join too,
 * so a cloud engine's "A 1001" reads as "A1001".
 */
export function writtenText(words: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < words.length;) {
    let end = i;
    let digits = 0;
    while (end < words.length) {
      const spelled = digitsOf(words[end]);
      if (spelled === undefined && !isLetterWord(words[end])) break;
      digits += spelled?.length ?? 0;
      end++;
    }
    if (digits >= 2) {
      out.push(
        words
          .slice(i, end)
          .map((w) => digitsOf(w) ?? w.toUpperCase())
          .join(''),
      );
      i = end;
    } else {
      out.push(words[i]);
      i++;
    }
  }
  return out.join(' ');
}
