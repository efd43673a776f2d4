import type { Case } from '../../core/case';
import type { Middleware } from '../../core/compose';
import type { CaseStore, Logger } from '../../core/ports';
import type { TurnContext } from '../../core/turn';

export interface CaseExportHookOptions {
  cases: Pick<CaseStore, 'get'>;
  /** Each receives every case this process opens, e.g. `(item) => hub.deliver(item, 'case.created')`. */
  exporters: Array<(item: Case) => Promise<unknown>>;
  logger: Logger;
}

export interface CaseExportHook {
  /** Hook it on `record`: it acts once the turn's lines (the `escalated` note included) are stored. */
  hook: Middleware<TurnContext>;
  /** Resolves when every export started so far has settled: call it on shutdown (and in tests). */
  drain(): Promise<void>;
}

/**
 * Sends each case to external agent hubs right after the turn that opened it, off the turn's critical
 * path: the customer's reply does not wait for a hub's retries. Only the process that opened the case
 * exports it, so each case is sent once (and the idempotency key covers the rest).
 *
 * @example
 * const exports = createCaseExportHook({ cases: stores.cases, logger,
 *   exporters: [(item) => hub.deliver(item, 'case.created')] });
 * runtime.pipeline.use('record', exports.hook);
 */
export function createCaseExportHook(options: CaseExportHookOptions): CaseExportHook {
  const inFlight = new Set<Promise<void>>();
  const exportCase = async (caseId: string): Promise<void> => {
    const item = await options.cases.get(caseId);
    if (!item) {
      options.logger.warn({ caseId }, 'case to export not found');
      return;
    }
    await Promise.all(
      options.exporters.map((send) =>
        send(item).catch((cause: unknown) =>
          options.logger.error({ caseId, err: cause }, 'case export failed'),
        ),
      ),
    );
  };
  return {
    async hook(ctx, next) {
      await next();
      for (const entry of ctx.entries) {
        const caseId = entry.event === 'escalated' ? entry.data?.['caseId'] : undefined;
        if (typeof caseId !== 'string') continue;
        const running = exportCase(caseId).catch((cause: unknown) =>
          ctx.log.error({ caseId, err: cause }, 'case export failed'),
        );
        inFlight.add(running);
        void running.finally(() => inFlight.delete(running));
      }
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
