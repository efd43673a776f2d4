import type { HttpResponse } from '../../core/http';
import { STORE_RETRY_AFTER_SECONDS } from '../../core/store-unavailable';

/** The body of every "store unavailable" answer: the turn was not taken, so resending it is safe. */
export const UNAVAILABLE = {
  error: 'unavailable',
  detail: 'The service is briefly unavailable. Please send the same message again shortly.',
} as const;

/** 503 with `Retry-After`: what every HTTP channel answers when a turn could not reach a store. */
export function unavailableResponse(retryAfterSeconds = STORE_RETRY_AFTER_SECONDS): HttpResponse {
  return {
    status: 503,
    json: UNAVAILABLE,
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}
