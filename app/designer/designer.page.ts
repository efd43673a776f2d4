import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRoute } from '../../core/http';

const WEB = join(__dirname, '..', '..', 'web', 'designer');

/** The page, its script and style, and Mermaid (served from node_modules: nothing third-party at run time). */
const FILES = [
  { path: '/designer', file: join(WEB, 'index.html'), contentType: 'text/html; charset=utf-8' },
  {
    path: '/designer/designer.js',
    file: join(WEB, 'designer.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  {
    path: '/designer/state-details.js',
    file: join(WEB, 'state-details.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  { path: '/designer/designer.css', file: join(WEB, 'designer.css'), contentType: 'text/css; charset=utf-8' },
  {
    path: '/designer/mermaid.min.js',
    file: require.resolve('mermaid/dist/mermaid.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
] as const;

// Mermaid styles its SVG with inline <style> elements: inline styles are allowed, inline script is not.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The flow viewer's static files, read once at start-up so a missing one fails fast. */
export function designerPageRoutes(): HttpRoute[] {
  return FILES.map(({ path, file, contentType }) => {
    const body = readFileSync(file);
    const headers: Record<string, string> = {
      'cache-control': 'no-cache',
      'referrer-policy': 'no-referrer',
      'content-security-policy': CSP,
      'x-frame-options': 'DENY',
    };
    return { method: 'GET', path, handle: async () => ({ status: 200, raw: body, contentType, headers }) };
  });
}
