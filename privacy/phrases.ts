import type { ConsentPurpose } from '../core/privacy';

/** What a customer asked about their data, recognised from their own words (English and Spanish). */
export type PrivacyRequest =
  { kind: 'consent'; purpose: ConsentPurpose; granted: boolean; wordingVersion: string } | { kind: 'data' };

// Each purpose by the words customers use for it.
const PURPOSE_WORDS: Array<[ConsentPurpose, RegExp]> = [
  [
    'analytics',
    /\b(analytics|statistics|stats|analítica|analitica|análisis|analisis|estadísticas|estadisticas)\b/i,
  ],
  ['marketing', /\b(marketing|offers|advertising|ads|promotions|publicidad|ofertas|promociones)\b/i],
  [
    'personalisation',
    /\b(personali[sz]ation|personali[sz]ing|recommendations|personalización|personalizacion|recomendaciones)\b/i,
  ],
  [
    'transcript_storage',
    /\b(transcripts?|keeping my conversations|storing my conversations|training|transcripciones|guardar mis conversaciones|entrenamiento)\b/i,
  ],
];

const MY_DATA = /\b(my (personal )?(data|information|info)|mis datos|mi información|mi informacion)\b/i;
const WITHDRAW =
  /\b(stop|don'?t|do not|no longer|never|dej[ae]n?|dejad|deja de|no (uses|usen|utilic\w*|us[ée]is)|ya no)\b/i;
const GRANT =
  /\b(you can|you may|i agree|i consent|feel free|ok to|pueden|puedes|podéis|acepto|doy mi consentimiento)\b/i;
const DATA_REQUEST =
  /\b(send|give|show|export|download|get|env[ií]\S*|mand\S*|dame|quiero|descarg\w*)\b.*\b(my (personal )?(data|information)|mis datos|mi información|mi informacion)\b|\bwhat (data|information) do you (have|hold|keep) (about|on) me\b|\bqué datos (tienen|tenéis|guardan) (de|sobre) mí\b/i;
/** A consent button's payload: `/consent <purpose> yes|no <wording version>`. */
const BUTTON = /^\/consent (transcript_storage|personalisation|analytics|marketing) (yes|no) ([\w.-]{1,40})$/;

export const WITHDRAW_WORDING = 'withdraw-in-conversation.v1';
export const GRANT_WORDING = 'grant-in-conversation.v1';

/** The customer's privacy request in `text`, or undefined when the text is about something else. */
export function privacyRequestIn(text: string): PrivacyRequest | undefined {
  const button = BUTTON.exec(text.trim());
  if (button) {
    return {
      kind: 'consent',
      purpose: button[1] as ConsentPurpose,
      granted: button[2] === 'yes',
      wordingVersion: button[3]!,
    };
  }
  if (MY_DATA.test(text)) {
    const purpose = PURPOSE_WORDS.find(([, words]) => words.test(text))?.[0];
    if (purpose && WITHDRAW.test(text))
      return { kind: 'consent', purpose, granted: false, wordingVersion: WITHDRAW_WORDING };
    if (purpose && GRANT.test(text))
      return { kind: 'consent', purpose, granted: true, wordingVersion: GRANT_WORDING };
  }
  return DATA_REQUEST.test(text) ? { kind: 'data' } : undefined;
}
