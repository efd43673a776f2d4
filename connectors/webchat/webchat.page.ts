import { pageCsp } from '../shared/page-security';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_SOCKET_PATH = '/webchat/socket';

export interface WebChatPageOptions {
  /** Shown in the page title and header. */
  title?: string;
  /** Where `index.html`, `chat.js`, `chat.css` and `widget.js` live. */
  assetsDir?: string;
  socketPath?: string;
  /**
   * Sites allowed to frame the chat page (what `widget.js` does on a customer's site), as CSP
   * `frame-ancestors` sources. Defaults to this server only.
   */
  embedOrigins?: readonly string[];
}

/** A file the server answers with, already templated, with its headers. */
export interface PageAsset {
  path: string;
  contentType: string;
  body: Buffer;
  headers: Record<string, string>;
}

const FILES = [
  { path: '/', file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { path: '/chat/chat.js', file: 'chat.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/chat/chat.css', file: 'chat.css', contentType: 'text/css; charset=utf-8' },
  { path: '/chat/widget.js', file: 'widget.js', contentType: 'text/javascript; charset=utf-8' },
] as const;

/**
 * Reads the chat page once, at start-up (a missing file fails fast, not on the first visitor). The page
 * gets a strict Content-Security-Policy: no inline script, no third-party sources, so even a rendering bug
 * could not run injected markup.
 */
export function loadWebChatPage({
  title = 'Chat',
  assetsDir = join(__dirname, '..', '..', 'web', 'chat'),
  socketPath = DEFAULT_SOCKET_PATH,
  embedOrigins = [],
}: WebChatPageOptions = {}): PageAsset[] {
  const csp = pageCsp(["'self'", ...embedOrigins]);

  return FILES.map(({ path, file, contentType }) => {
    let text = readFileSync(join(assetsDir, file), 'utf8');
    const headers: Record<string, string> = { 'cache-control': 'no-cache' };
    if (file === 'index.html') {
      text = text
        .replaceAll('{{title}}', escapeHtml(title))
        .replaceAll('{{socketPath}}', escapeHtml(socketPath));
      headers['content-security-policy'] = csp;
      headers['referrer-policy'] = 'no-referrer';
    }
    return { path, contentType, body: Buffer.from(text, 'utf8'), headers };
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
