import type { ParleyConfig } from '../app/config';
import type { Clock } from '../core/ports';
import type { AuditTrail } from '../core/privacy';
import { customerRefFor } from './customer-ref';
import { sendErasureNotice, type ErasureNotice } from './erasure-notice';
import { createPrivacyService, type PrivacyService } from './privacy-service';

/** The key the audit pseudonyms use when `PARLEY_AUDIT_KEY` is unset: fine for development only. */
export const DEVELOPMENT_AUDIT_KEY = 'parley-development-audit-key';

export interface PrivacySetup {
  service: PrivacyService;
  audit: AuditTrail;
  customerRef: (customerId: string) => string;
}

/** Subject access and erasure over a runtime's stores, telling the configured agent hub about erasures. */
export function setUpPrivacy(
  config: Pick<ParleyConfig, 'auditKey' | 'hub'>,
  stores: PrivacyServiceStores,
  clock: Clock,
): PrivacySetup {
  const customerRef = customerRefFor(config.auditKey ?? DEVELOPMENT_AUDIT_KEY);
  const { hub } = config;
  const service = createPrivacyService({
    stores,
    clock,
    customerRef,
    ...(hub ? { notifyHubs: (notice: ErasureNotice) => sendErasureNotice(notice, hub) } : {}),
  });
  return { service, audit: stores.audit, customerRef };
}

type PrivacyServiceStores = Parameters<typeof createPrivacyService>[0]['stores'];
