/** grammY/Koa-style middleware: do work, optionally call `next()` once to continue the chain. */
export type Middleware<C> = (ctx: C, next: () => Promise<void>) => Promise<void>;

/** Runs middlewares in order; each decides whether the rest runs. Calling `next` twice is a bug and throws. */
export function compose<C>(middlewares: readonly Middleware<C>[]): (ctx: C) => Promise<void> {
  return (ctx) => {
    const dispatch = async (index: number): Promise<void> => {
      const middleware = middlewares[index];
      if (!middleware) return;
      let called = false;
      await middleware(ctx, async () => {
        if (called) throw new Error(`middleware ${index} called next() twice`);
        called = true;
        await dispatch(index + 1);
      });
    };
    return dispatch(0);
  };
}
