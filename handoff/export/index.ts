import type { Case } from '../../core/case';
import type { Middleware } from '../../core/compose';
import type { StageName } from '../../core/errors';
import type { JsonValue } from '../../core/json';
import type { Clock, Logger, Stores } from '../../core/ports';
import type { TurnContext } from '../../core/turn';
import { createCaseExportHook, type CaseExportHook } from './case-export-hook';
import { createWebhookSender, type DeliveryFailedLine } from './webhook';

export * from './case-export-hook';
export * from './webhook';

export interface HubExportSettings {
  url: string;
  secret: string;
  logger: Logger;
  clock?: Clock;
  /** The body for the hub; default Parley's `{ event, case, package }`. */
  body?: (item: Case, event: string) => JsonValue;
}

/**
 * Sends every case this process opens to an external agent hub (signed webhook with retries); a final
 * failure is logged and recorded as `handoff.delivery_failed` in the conversation. Returns the hook, so
 * shutdown can `drain()` deliveries still in flight.
 *
 * @example
 * const hub = installHubExport(runtime, { url: config.hub.url, secret: config.hub.secret, logger });
 * // Bot Framework hubs: body: (item) => JSON.parse(JSON.stringify(toHandoffInitiation(item)))
 */
export function installHubExport(
  runtime: {
    pipeline: { use(stage: StageName, middleware: Middleware<TurnContext>): unknown };
    stores: Pick<Stores, 'cases'>;
    record(conversationId: string, lines: DeliveryFailedLine[]): Promise<unknown>;
  },
  settings: HubExportSettings,
): CaseExportHook {
  const sender = createWebhookSender({
    url: settings.url,
    secret: settings.secret,
    logger: settings.logger,
    ...(settings.clock ? { clock: settings.clock } : {}),
    ...(settings.body ? { body: settings.body } : {}),
    onFailure: (conversationId, line) => runtime.record(conversationId, [line]),
  });
  const exports = createCaseExportHook({
    cases: runtime.stores.cases,
    logger: settings.logger,
    exporters: [(item) => sender.deliver(item, 'case.created')],
  });
  runtime.pipeline.use('record', exports.hook);
  return exports;
}
