import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponse, HttpRoute } from '../core/http';
import type { Clock } from '../core/ports';
import { renderExportHtml } from './export-html';
import type { PrivacyService } from './privacy-service';

export interface ExportLinkOptions {
  /** Signs the links; at least 16 characters, the same on every process. */
  key: string;
  clock: Clock;
  /** The server's public base URL (`https://bot.example.com`); links are relative without it. */
  publicUrl?: string;
  /** How long a link works. Default 1 hour. */
  ttlMs?: number;
}

export const EXPORT_LINK_PATH = '/privacy/export/:token';

/**
 * Signed, expiring links to a customer's own export, for the self-service request in chat. Nothing is
 * stored: the export is built when the link is opened (so it is current, and an erased customer's link
 * shows nothing). The token carries the customer id (base64url, not encrypted) and an expiry, signed with
 * HMAC-SHA256: it is sent only to the verified customer, on their own channel.
 */
export function createExportLinks(options: ExportLinkOptions) {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const sign = (payload: string) => createHmac('sha256', options.key).update(payload).digest('base64url');
  return {
    link(customerId: string): string {
      const payload = Buffer.from(JSON.stringify({ c: customerId, e: options.clock.now() + ttlMs })).toString(
        'base64url',
      );
      return `${options.publicUrl ?? ''}/privacy/export/${payload}.${sign(payload)}`;
    },
    /** The customer id a token is for, or undefined when it is forged, malformed or expired. */
    verify(token: string): string | undefined {
      const [payload = '', signature = ''] = token.split('.');
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
          c?: unknown;
          e?: unknown;
        };
        if (typeof claims.c !== 'string' || typeof claims.e !== 'number' || claims.e <= options.clock.now())
          return undefined;
        return claims.c;
      } catch {
        return undefined;
      }
    },
  };
}

export type ExportLinks = ReturnType<typeof createExportLinks>;

/** `GET /privacy/export/:token`: the customer's export as a page, or JSON with `?format=json`; audited. */
export function exportLinkRoute(
  links: ExportLinks,
  privacy: PrivacyService,
  customerRef: (id: string) => string,
): HttpRoute {
  return {
    method: 'GET',
    path: EXPORT_LINK_PATH,
    async handle(request: HttpRequest): Promise<HttpResponse> {
      const customerId = links.verify(request.params['token'] ?? '');
      if (!customerId)
        return { status: 404, json: { error: 'not_found', detail: 'this link is invalid or has expired' } };
      const data = await privacy.exportCustomer(customerId, {
        actor: { kind: 'customer', id: customerRef(customerId) },
        ...(request.remoteAddress ? { from: request.remoteAddress } : {}),
      });
      if (request.query.get('format') === 'json') return { status: 200, json: data };
      return { status: 200, raw: renderExportHtml(data), contentType: 'text/html; charset=utf-8' };
    },
  };
}
