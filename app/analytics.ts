import type { AnalyticsStore } from '../core/analytics';
import type { Clock, Logger } from '../core/ports';
import { createAnalyticsRecorder, type AnalyticsRecorder } from '../analytics/recorder';
import { turnAnalytics } from '../analytics/turn-hook';
import { consentAwareRecorder } from '../analytics/consent';
import { systemClock } from '../core/defaults';
import { consentGate, type ConsentLedger } from '../core/privacy';
import { createMemoryAnalytics } from '../stores/memory-analytics';
import { openPostgresAnalytics } from '../stores/postgres/analytics-store';
import type { ParleyConfig } from './config';
import type { ParleyRuntime } from './runtime';

/** A runtime's analytics: where events are kept, and the one path they are written through. */
export interface Analytics {
  store: AnalyticsStore;
  recorder: AnalyticsRecorder;
}

/** PostgreSQL with DATABASE_URL (already migrated by `createStores`), this process's memory otherwise. */
export async function openAnalytics(
  config: Pick<ParleyConfig, 'database' | 'retentionMs' | 'analytics'> &
    Partial<Pick<ParleyConfig, 'retention'>>,
  options: {
    logger: Logger;
    clock?: Clock;
    /** With a consent ledger, events of customers who did not consent to analytics are anonymised. */
    consent?: Pick<ConsentLedger, 'history'>;
  },
): Promise<Analytics> {
  const retention = {
    retentionMs: config.retention?.analytics ?? config.retentionMs,
    questionRetentionMs: config.analytics.questionRetentionMs,
  };
  const { logger, clock } = options;
  const store = config.database
    ? await openPostgresAnalytics({
        databaseUrl: config.database.url,
        ...retention,
        logger,
        ...(clock ? { clock } : {}),
      })
    : createMemoryAnalytics(retention, clock);
  const recorder = createAnalyticsRecorder(store, logger);
  if (!options.consent) return { store, recorder };
  return {
    store,
    recorder: consentAwareRecorder(recorder, {
      mayLink: consentGate(options.consent, 'analytics'),
      clock: clock ?? systemClock,
    }),
  };
}

/** Hooks the runtime's pipeline so every customer turn emits its analytics events. */
export function installTurnAnalytics(
  runtime: Pick<ParleyRuntime, 'pipeline' | 'stores' | 'dialog'>,
  recorder: AnalyticsRecorder,
  options: { clock: Clock; defaultLocale?: string },
): void {
  const hooks = turnAnalytics({
    recorder,
    stores: runtime.stores,
    slotsOf: (dialog) => runtime.dialog.summarize(dialog).slots,
    clock: options.clock,
    ...(options.defaultLocale ? { defaultLocale: options.defaultLocale } : {}),
  });
  runtime.pipeline.use('understand', hooks.understand).use('record', hooks.record);
}
