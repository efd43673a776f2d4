/**
 * A store (Redis, PostgreSQL) did not answer in time or is disconnected. Unlike a bug in a flow, this is
 * not the customer's turn going wrong: the pipeline propagates it without recording the turn as processed,
 * so the connector can answer its channel's "try again" status (REST: 503 + Retry-After) and the retry
 * with the same message id runs the turn afresh.
 */
export class StoreUnavailableError extends Error {
  constructor(
    /** Which dependency: `redis`, `postgres`. */
    readonly store: string,
    override readonly cause: unknown,
  ) {
    super(`${store} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}

/** Seconds a client should wait before retrying a turn refused because a store was unavailable. */
export const STORE_RETRY_AFTER_SECONDS = 2;

/** The store outage behind `error`, looking through `cause` chains (a TurnError wraps what a stage threw). */
export function storeUnavailable(error: unknown): StoreUnavailableError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof StoreUnavailableError) return current;
    current = current.cause;
  }
  return undefined;
}

/**
 * Wraps every method of a store object so an outage the classifier recognises rejects with
 * `StoreUnavailableError`; other errors pass through unchanged. Synchronous methods stay synchronous.
 */
export function guardStore<T extends object>(
  target: T,
  store: string,
  isOutage: (error: unknown) => boolean,
): T {
  const translate = (error: unknown): never => {
    if (!(error instanceof StoreUnavailableError) && isOutage(error)) {
      throw new StoreUnavailableError(store, error);
    }
    throw error;
  };
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = Reflect.apply(value, object, args);
        } catch (error) {
          return translate(error);
        }
        return result instanceof Promise ? result.catch(translate) : result;
      };
    },
  });
}
