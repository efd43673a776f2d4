import { pageCsp } from '../connectors/shared/page-security';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRoute } from '../core/http';
import { DESK_SOCKET_PATH } from './desk.protocol';

const FILES = [
  { path: '/agent', file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { path: '/agent/desk.js', file: 'desk.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/agent/render.js', file: 'render.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/agent/desk.css', file: 'desk.css', contentType: 'text/css; charset=utf-8' },
] as const;

// Never framed: the desk cannot be click-jacked.
const CSP = pageCsp([]);

/** The desk page at `/agent`, read once at start-up so a missing file fails fast. */
export function deskPageRoutes({
  assetsDir = join(__dirname, '..', 'web', 'agent'),
  title = 'Parley agent desk',
}: { assetsDir?: string; title?: string } = {}): HttpRoute[] {
  return FILES.map(({ path, file, contentType }) => {
    let text = readFileSync(join(assetsDir, file), 'utf8');
    const headers: Record<string, string> = { 'cache-control': 'no-cache', 'referrer-policy': 'no-referrer' };
    if (file === 'index.html') {
      text = text.replaceAll('{{title}}', escapeHtml(title)).replaceAll('{{socketPath}}', DESK_SOCKET_PATH);
      headers['content-security-policy'] = CSP;
      headers['x-frame-options'] = 'DENY';
    }
    const body = Buffer.from(text, 'utf8');
    return { method: 'GET', path, handle: async () => ({ status: 200, raw: body, contentType, headers }) };
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
