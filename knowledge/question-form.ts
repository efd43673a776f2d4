/** Words that open a question, per language: "how long…", "can I…", "¿cuánto…". */
const OPENERS: Record<string, RegExp> = {
  en: /^(?:what|what's|whats|when|where|which|who|whom|whose|why|how|can|could|do|does|did|is|are|was|were|will|would|should|shall|may|might|have|has|any)\b/i,
  es: /^(?:¿|qu[eé]|cu[aá]ndo|d[oó]nde|c[oó]mo|cu[aá]nto|cu[aá]nta|cu[aá]ntos|cu[aá]ntas|cu[aá]l|cu[aá]les|qui[eé]n|por qu[eé]|puedo|pueden|puede|se puede|hay|tengo|tienen)\b/i,
};

/** A message asks something: a question mark, or a question word first. */
export function isQuestion(text: string, locale: string): boolean {
  const trimmed = text.trim();
  if (/[?¿]/.test(trimmed)) return true;
  const opener = OPENERS[locale.split('-')[0]] ?? OPENERS.en;
  return opener.test(trimmed);
}
