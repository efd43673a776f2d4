// Outside development the flow viewer asks for a desk account with the designer role (real Chromium).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { bot as acme } from '../../bots/acme';
import { hashPassword } from '../../desk/agents';
import { silentLogger } from '../../stores/silent-logger';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');

describe('flow viewer sign-in outside development', () => {
  let browser: Browser;
  let parley: RunningParley;
  let directory: string;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    mkdirSync(ARTIFACTS, { recursive: true });
    directory = mkdtempSync(join(tmpdir(), 'parley-designer-accounts-'));
    const cost = { N: 1024, r: 8, p: 1 };
    const agentsFile = join(directory, 'agents.json');
    writeFileSync(
      agentsFile,
      JSON.stringify([
        {
          username: 'dana',
          name: 'Dana',
          roles: ['designer'],
          passwordHash: await hashPassword('dana-designs-flows', cost),
        },
        { username: 'sam', name: 'Sam', passwordHash: await hashPassword('sam-works-cases', cost) },
      ]),
    );
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'production',
      PARLEY_AGENTS_FILE: agentsFile,
      PARLEY_AGENT_TOKEN_SECRET: 'a-secret-for-this-test-only-0123456789',
    });
    parley = await startParley(acme, config, { logger: silentLogger });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await parley?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
  });
  afterEach(() => page.close());

  const signIn = async (username: string, password: string): Promise<void> => {
    await page.goto(`${parley.address.url}/designer`);
    await page.locator('#sign-in').waitFor({ state: 'visible' });
    expect(await page.locator('#flow-list button').count()).toBe(0); // nothing shown before signing in
    await page.locator('#sign-in-user').fill(username);
    await page.locator('#sign-in-password').fill(password);
    await page.locator('#sign-in button[type=submit]').click();
  };

  it('shows the flows, live, once a designer signs in', async () => {
    await signIn('dana', 'dana-designs-flows');
    await page.locator('#sign-in').waitFor({ state: 'hidden' });
    await page.locator('#flow-list button[data-flow="order_status"]').waitFor();
    expect(await page.locator('#flow-list button').count()).toBe(flowFiles(acme.directory));
    // The socket took the token too: the page says it is live.
    await page.waitForFunction(() => document.getElementById('live')?.textContent === 'live');
    await page.screenshot({ path: join(ARTIFACTS, 'designer-signed-in.png'), fullPage: true });
  });

  it('keeps an agent without the designer role out, saying why', async () => {
    await signIn('sam', 'sam-works-cases');
    await page.waitForFunction(() =>
      /designer role/.test(document.getElementById('sign-in-error')?.textContent ?? ''),
    );
    expect(await page.locator('#flow-list button').count()).toBe(0);
  });
});

/** How many flow files the bot has: the viewer shows one entry per flow. */
function flowFiles(botDirectory: string): number {
  return readdirSync(join(botDirectory, 'flows')).filter((file) => file.endsWith('.flow.yaml')).length;
}
