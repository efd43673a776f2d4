import type { ParleyConfig } from '../app/config';
import type { Clock } from '../core/ports';
import type { AuditTrail } from '../core/privacy';
import type { HttpRoute } from '../core/http';
import type { ParleyRuntime } from '../app/runtime';
import { privacyConversation } from './conversation';
import { deliverExportCode, type CodeDeliveryDeps } from './code-delivery';
import { ExportCodes } from './export-codes';
import { createExportLinks, exportLinkRoute, type ExportLinks } from './export-link';
import { customerRefFor } from './customer-ref';
import type { AnalyticsStore } from '../core/analytics';
import { analyticsData } from './analytics';
import { sendErasureNotice, type ErasureNotice } from './erasure-notice';
import { createPrivacyService, type PrivacyService } from './privacy-service';

/** The key the audit pseudonyms use when `PARLEY_AUDIT_KEY` is unset: fine for development only. */
export const DEVELOPMENT_AUDIT_KEY = 'parley-development-audit-key';

export interface PrivacySetup {
  service: PrivacyService;
  audit: AuditTrail;
  customerRef: (customerId: string) => string;
  /** Signed links to a customer's own export, and the route that serves them. */
  links: ExportLinks;
  routes: HttpRoute[];
}

/** Subject access and erasure over a runtime's stores, telling the configured agent hub about erasures. */
export function setUpPrivacy(
  config: Pick<ParleyConfig, 'auditKey' | 'hub' | 'publicUrl'>,
  stores: PrivacyServiceStores,
  clock: Clock,
  /** The analytics store, when analytics are recorded: exported and erased with the rest. */
  analytics?: { store: AnalyticsStore },
): PrivacySetup {
  const customerRef = customerRefFor(config.auditKey ?? DEVELOPMENT_AUDIT_KEY);
  const { hub } = config;
  const service = createPrivacyService({
    stores,
    clock,
    customerRef,
    ...(analytics ? { extra: { analytics: analyticsData(analytics.store) } } : {}),
    ...(hub ? { notifyHubs: (notice: ErasureNotice) => sendErasureNotice(notice, hub) } : {}),
  });
  const links = createExportLinks({
    key: config.auditKey ?? DEVELOPMENT_AUDIT_KEY,
    clock,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  });
  return {
    service,
    audit: stores.audit,
    customerRef,
    links,
    routes: [exportLinkRoute(links, service, customerRef)],
  };
}

/**
 * Privacy for a running bot: consent and data requests in conversation (hooked on `decide`; the export
 * link follows a one-time code, see `deliverExportCode`) and the export-link route; returns the setup for
 * the desk.
 */
export function installPrivacy(
  runtime: Pick<ParleyRuntime, 'pipeline' | 'stores' | 'messages' | 'analytics'>,
  config: Pick<ParleyConfig, 'auditKey' | 'hub' | 'publicUrl'>,
  clock: Clock,
  delivery: Omit<CodeDeliveryDeps, 'messages'> = {},
): PrivacySetup {
  const analytics = runtime.analytics && { store: runtime.analytics.store };
  const setup = setUpPrivacy(config, runtime.stores, clock, analytics);
  runtime.pipeline.use(
    'decide',
    privacyConversation({
      consent: runtime.stores.consent,
      messages: runtime.messages,
      exportLink: setup.links.link,
      codes: new ExportCodes({ store: runtime.stores.keyValue, locks: runtime.stores.turns, clock }),
      sendCode: deliverExportCode({ ...delivery, messages: runtime.messages }),
    }),
  );
  return setup;
}

type PrivacyServiceStores = Parameters<typeof createPrivacyService>[0]['stores'];
