import afinnSpanish from 'natural/lib/natural/sentiment/Spanish/afinnShortSortedSpanish.json';
import negationsSpanish from 'natural/lib/natural/sentiment/Spanish/negations_es.json';
import type { SentimentLanguage } from './sentiment';

/**
 * Words that AFINN's Spanish list rates for reviews, not for customer service: asking for help or a person
 * is not a feeling, and a fault report ("no funciona", "sin conexión") is mildly negative at most. Kept in
 * step with the English service lexicon.
 */
const SERVICE_LEXICON_ES: Record<string, number> = {
  ayuda: 0,
  ayudar: 0,
  favor: 0,
  'por favor': 0,
  quiero: 0,
  querer: 0,
  gustaría: 0,
  perdón: 0,
  cancelar: 0,
  avería: 0,
  problema: -1,
  problemas: -1,
  'no funciona': -1,
  cobrado: -1,
  estafa: -3,
  vergüenza: -3,
  harto: -3,
  harta: -3,
  hartos: -3,
  'pérdida de tiempo': -3,
  inútil: -3,
  inútiles: -3,
  pésimo: -3,
  pésima: -3,
  desastre: -3,
  furioso: -3,
  furiosa: -3,
};

/** The Spanish lexicon (AFINN's Spanish list shipped with natural, plus the service overrides). */
export const SPANISH_SENTIMENT: Omit<SentimentLanguage, 'stem'> = {
  lexicon: { ...(afinnSpanish as Record<string, number>), ...SERVICE_LEXICON_ES },
  negators: new Set([...(negationsSpanish as { words: string[] }).words, 'tampoco', 'nada', 'nadie', 'sin']),
  intensifiers: new Set([
    'muy',
    'tan',
    'totalmente',
    'absolutamente',
    'completamente',
    'realmente',
    'demasiado',
    'súper',
    'increíblemente',
  ]),
  contrast: 'pero',
};
