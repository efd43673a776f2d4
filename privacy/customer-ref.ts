import { createHmac } from 'node:crypto';

/**
 * The audit trail's pseudonym for a customer: an HMAC of their id under a deployment secret, so the
 * trail can be searched for a customer who exists, survives their erasure, and names nobody by itself.
 */
export function customerRefFor(secret: string): (customerId: string) => string {
  return (customerId) => createHmac('sha256', secret).update(customerId, 'utf8').digest('base64url');
}
