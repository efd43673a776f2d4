import type { Token } from './custom';

/**
 * Cheap tests that say when the costly extractors (chrono for dates, libphonenumber for phones) cannot
 * find anything, so most messages ("thanks", "yes please") skip them. They may say "maybe" too often,
 * never "no" wrongly: `gates.test.ts` checks them against chrono and libphonenumber themselves.
 */

const DIGIT = /\p{Nd}/u;

/** Every phone number has digits (libphonenumber reads any script's decimal digits). */
export function mayHavePhone(text: string): boolean {
  return DIGIT.test(text);
}

interface DateWords {
  /** Words chrono can read a date or time from without a digit (lower case, accents stripped). */
  words: ReadonlySet<string>;
  /** First letters of chrono's time units, abbreviations included ("m", "hrs", "qtr"). */
  unitInitials: ReadonlySet<string>;
  numberWords: ReadonlySet<string>;
  /** Units chrono's parser reads glued to a number word ("dosh": two hours in Spanish). */
  gluedUnits: ReadonlySet<string>;
  /** Words chrono lets stand before a number with no space between ("within", "about"). */
  prefixes: readonly string[];
  /** "next m", "past y": chrono reads any time unit, even one letter, after these words. */
  relatives: readonly string[];
  units: ReadonlySet<string>;
  /** What chrono lets follow a month with no space ("enerode", "mayof"). */
  suffix: string;
}

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean));

// From chrono's casual parsers and dictionaries (chrono-node 2.x, `locales/<lang>/constants.js`).
const ENGLISH: DateWords = {
  words: set(`
    now today tonight weekend weekday tomorrow overmorrow tmr tmrw yesterday night
    morning afternoon evening midnight midday noon
    sunday sun monday mon tuesday tue wednesday wed thursday thurs thur thu friday fri saturday sat
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    sec second seconds min mins minute minutes hr hrs hour hours day days week weeks
    mo mos month months qtr quarter quarters yr year years`),
  unitInitials: set('s m h d w q y'),
  gluedUnits: new Set(),
  numberWords: set(
    'one two three four five six seven eight nine ten eleven twelve a an the few several couple of half',
  ),
  prefixes: [...set('in within for about around roughly approximately just this last past next after a of')],
  relatives: [...set('this last past next after')],
  units: set(`s sec second seconds m min mins minute minutes h hr hrs hour hours d day days w week weeks
    mo mon mos month months qtr quarter quarters y yr year years`),
  suffix: 'of',
};

const SPANISH: DateWords = {
  words: set(`
    ahora hoy manana ayer tarde medianoche mediodia noche
    domingo dom lunes lun martes mar miercoles mie jueves jue viernes vie sabado sab
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
    ene feb abr may jun jul ago sep oct nov dic
    sec segundo segundos min mins minuto minutos hr hrs hora horas dia dias semana semanas
    mes meses cuarto cuartos ano anos`),
  unitInitials: set('s m h d c a'),
  gluedUnits: set('h'),
  numberWords: set(
    'uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece un una unos unas algunos algunas demi',
  ),
  prefixes: [...set('en por durante de dentro')],
  relatives: [],
  units: new Set(),
  suffix: 'de',
};

const BY_LANGUAGE: Record<string, DateWords> = { en: ENGLISH, es: SPANISH };

/**
 * Whether chrono might find a date or time: any digit, or a word of the language's date vocabulary.
 * Languages without a list use English's, as the date extractor uses English's parser for them.
 */
export function mayHaveDate(text: string, words: readonly Token[], language: string): boolean {
  if (DIGIT.test(text)) return true;
  const vocabulary = BY_LANGUAGE[language] ?? ENGLISH;
  for (let i = 0; i < words.length; i++) {
    const word = words[i].norm;
    // chrono's prefixes may be glued on ("nextmonday", "thisweekend"): a date word may end a longer word.
    if (endsWithAny(word, vocabulary.words)) return true;
    const { suffix } = vocabulary;
    if (word.endsWith(suffix) && endsWithAny(word.slice(0, -suffix.length), vocabulary.words)) return true;
    // "a day", "the money" (chrono: "the m" + "one y"), "half and" ("half an" + "d"): a number word,
    // maybe glued to one of chrono's prefixes ("inthe"), then a word that starts with a unit.
    const next = words[i + 1]?.norm;
    if (next !== undefined && isNumberWord(word, vocabulary)) {
      if (vocabulary.unitInitials.has(next[0]) || (word.endsWith('half') && next[0] === 'a')) return true;
    }
    if (afterRelative(word, next, vocabulary)) return true;
    if (gluedNumberUnit(word, vocabulary)) return true;
  }
  return false;
}

function isNumberWord(word: string, vocabulary: DateWords): boolean {
  if (vocabulary.numberWords.has(word)) return true;
  for (const prefix of vocabulary.prefixes)
    if (
      word.length > prefix.length &&
      word.startsWith(prefix) &&
      isNumberWord(word.slice(prefix.length), vocabulary)
    )
      return true;
  return false;
}

/** A number word with a unit's first letter glued on: "dosh", "seish" (found by the property test). */
function gluedNumberUnit(word: string, vocabulary: DateWords): boolean {
  for (let cut = 1; cut < word.length; cut++)
    if (vocabulary.gluedUnits.has(word[cut]!) && isNumberWord(word.slice(0, cut), vocabulary)) return true;
  return false;
}

function afterRelative(word: string, next: string | undefined, vocabulary: DateWords): boolean {
  for (const relative of vocabulary.relatives) {
    const at = word.lastIndexOf(relative);
    if (at < 0) continue;
    const rest = word.slice(at + relative.length);
    if (rest === '' ? next !== undefined && vocabulary.units.has(next) : vocabulary.units.has(rest))
      return true;
  }
  return false;
}

function endsWithAny(word: string, suffixes: ReadonlySet<string>): boolean {
  for (let start = 0; start < word.length; start++) if (suffixes.has(word.slice(start))) return true;
  return false;
}
