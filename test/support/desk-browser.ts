import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import type { Clock } from '../../core/ports';
import { hashPassword } from '../../desk/agents';
import { silentLogger } from '../../stores/silent-logger';

export const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');
export const PASSWORD = 'desk-browser-password';
/** A cheap scrypt cost: these accounts only live for one test file. */
const TEST_COST = { N: 1024, r: 8, p: 1 };

export interface DeskAccount {
  username: string;
  name: string;
  roles: string[];
  skills?: { queues?: string[]; languages?: string[] };
}

const ACCOUNTS: DeskAccount[] = [
  { username: 'sam', name: 'Sam Carter', roles: ['agent'] },
  { username: 'kim', name: 'Kim Lee', roles: ['agent'] },
  { username: 'sue', name: 'Sue Park', roles: ['agent', 'supervisor'] },
];

export interface DeskServer {
  url: string;
  parley: RunningParley;
  /** A customer's message over the REST channel (`rest:<sender>`); resolves when the bot has answered. */
  say(sender: string, text: string): Promise<void>;
  /** A bearer token for the desk API, as the page gets it. */
  token(username: string): Promise<string>;
  api(token: string, method: string, path: string, body?: object): Promise<{ status: number; body: never }>;
  /** Stops the server and starts it again on the same port with the same accounts (memory stores start empty). */
  restart(options?: { tokenSecret?: string }): Promise<void>;
  close(): Promise<void>;
}

const SECRET = 'desk-browser-test-secret-0123456789';

/**
 * The Acme bot with three desk accounts (two agents and a supervisor), plus any `accounts` a test adds
 * (skills, other roles), on a free port. `clock` lets a test move the server's time forward (queue waits,
 * SLAs); the browser keeps its own.
 */
export async function startDeskServer({
  clock,
  accounts: extra = [],
}: { clock?: Clock; accounts?: DeskAccount[] } = {}): Promise<DeskServer> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'parley-desk-'));
  const accounts = await Promise.all(
    [...ACCOUNTS, ...extra].map(async (account) => ({
      ...account,
      passwordHash: await hashPassword(PASSWORD, TEST_COST),
    })),
  );
  const accountsFile = join(dir, 'agents.json');
  writeFileSync(accountsFile, JSON.stringify(accounts));
  const start = (port: string, secret: string) =>
    startParley(
      loadBotDefinition('acme'),
      loadConfig({
        PORT: port,
        LOG_LEVEL: 'silent',
        PARLEY_AGENTS_FILE: accountsFile,
        PARLEY_AGENT_TOKEN_SECRET: secret,
        PARLEY_COMPANY_NAME: 'Acme',
      }),
      { logger: silentLogger, ...(clock ? { clock } : {}) },
    );
  let parley = await start('0', SECRET);
  const url = parley.address.url;
  const api = async (token: string, method: string, path: string, body?: object) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as never };
  };
  return {
    url,
    get parley() {
      return parley;
    },
    api,
    async say(sender, text) {
      const response = await fetch(`${url}/webhooks/rest/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sender, message: text }),
      });
      if (response.status !== 200) throw new Error(`REST webhook answered ${response.status}`);
    },
    async token(username) {
      const response = await fetch(`${url}/api/agent/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      return ((await response.json()) as { token: string }).token;
    },
    async restart({ tokenSecret = SECRET } = {}) {
      await parley.close();
      parley = await start(new URL(url).port, tokenSecret);
    },
    async close() {
      await parley.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page that records script errors and dialogs (none may appear); 8 s per wait. */
export async function deskPage(
  browser: Browser,
  viewport: { width: number; height: number },
  problems: string[],
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  // Generous for a loaded 2-core CI machine; a step that never happens still fails.
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return page;
}

export async function signIn(page: Page, url: string, username: string, path = '/agent'): Promise<void> {
  await page.goto(`${url}/agent`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#sign-in-submit');
  await page.locator('#desk-status', { hasText: 'Live' }).waitFor();
  if (path !== '/agent') await page.goto(`${url}${path}`);
}

/**
 * A desk browser file's shared ending: closes the browser and the desk server after its tests (whichever
 * were started), and fails any test during which a page logged a problem.
 */
export function closeDeskAfterAll(
  started: () => { browser?: Browser | undefined; server?: DeskServer | undefined },
  problems: string[],
): void {
  afterAll(async () => {
    const { browser, server } = started();
    await browser?.close();
    await server?.close();
  });
  afterEach(() => expect(problems).toEqual([]));
}

/** The case list's entry that shows `text` (a customer, a first request). */
export function caseButton(page: Page, text: string) {
  return page.locator('#case-list button[data-case-id]', { hasText: text });
}
