/** A validated transcript page: `offset` from the start, at most `limit` entries (all when absent). */
export interface Page {
  offset: number;
  limit?: number;
}

/** Shared by every transcript store so memory and Redis reject the same bad input. */
export function normalisePage(page: { offset?: number; limit?: number } = {}): Page {
  const offset = page.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`transcript offset must be a non-negative integer, got ${offset}`);
  }
  if (page.limit !== undefined && (!Number.isInteger(page.limit) || page.limit < 0)) {
    throw new RangeError(`transcript limit must be a non-negative integer, got ${page.limit}`);
  }
  return { offset, limit: page.limit };
}
