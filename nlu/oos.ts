import { OUT_OF_SCOPE } from '../core/nlu';

/**
 * How sure the classifier is that a message is in scope; below the threshold it is rejected.
 * All work from the calibrated ranking alone, so they need no out-of-scope training phrases;
 * where a bot has them, `out_of_scope` is one more class and competes in the ranking.
 *
 * - `probability`: the best real intent's calibrated probability.
 * - `margin`: that probability minus the runner-up's (any class, `out_of_scope` included).
 * - `blend`: the mean of the two, p1 − p2 / 2.
 * - `log-ratio`: ln p1 − ln p2, the raw class-score margin divided by the temperature.
 */
export const OOS_SCORES = ['probability', 'margin', 'blend', 'log-ratio'] as const;
export type OosScoreKind = (typeof OOS_SCORES)[number];

export interface Scored {
  name: string;
  confidence: number;
}

/** The score of a ranking sorted best first. */
export function oosScore(ranked: readonly Scored[], kind: OosScoreKind): number {
  const bestIndex = ranked.findIndex((r) => r.name !== OUT_OF_SCOPE);
  if (bestIndex < 0) return 0;
  const p1 = ranked[bestIndex].confidence;
  if (kind === 'probability') return p1;
  const p2 = ranked.find((_, i) => i !== bestIndex)?.confidence ?? 0;
  if (kind === 'margin') return p1 - p2;
  if (kind === 'blend') return p1 - p2 / 2;
  return Math.log(Math.max(p1, 1e-12)) - Math.log(Math.max(p2, 1e-12));
}
