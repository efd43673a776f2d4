import { pageCsp } from '../connectors/shared/page-security';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRoute } from '../core/http';
import { DESK_SOCKET_PATH } from './desk.protocol';

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const STYLES = ['base', 'desk', 'supervisor'];
const SCRIPTS = ['desk', 'session', 'render', 'case-list', 'composer', 'transfer', 'keys', 'supervisor'];

const FILES = [
  { path: '/agent', file: 'index.html', contentType: HTML },
  { path: '/agent/supervisor', file: 'supervisor.html', contentType: HTML },
  ...STYLES.map((name) => ({ path: `/agent/${name}.css`, file: `${name}.css`, contentType: CSS })),
  ...SCRIPTS.map((name) => ({ path: `/agent/${name}.js`, file: `${name}.js`, contentType: JS })),
];

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
    if (contentType === HTML) {
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
