/** Smoothed IDF, as scikit-learn's default: never zero, so a term in every phrase still counts a little. */
export function smoothIdf(phrases: number, documentFrequency: number): number {
  return Math.log((1 + phrases) / (1 + documentFrequency)) + 1;
}
