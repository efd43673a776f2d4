import type { Case } from '../core/case';

/** Oldest first, so a queue reads in arrival order; the id breaks ties for a stable order. */
export function sortCases(cases: Case[]): Case[] {
  return [...cases].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
