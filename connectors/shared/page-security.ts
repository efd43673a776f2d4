/**
 * The Content-Security-Policy of Parley's pages: no inline script and nothing third-party, so customer text
 * that slipped through as markup still could not run. `frameAncestors` says who may embed the page.
 */
export function pageCsp(frameAncestors: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}
