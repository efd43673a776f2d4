// The flow viewer in real Chromium against a running acme bot whose files live in a temporary folder.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startParley, type RunningParley } from '../../app/bootstrap';
import type { BotDefinition } from '../../app/bot-definition';
import { loadConfig } from '../../app/config';
import { bot as acme } from '../../bots/acme';
import { silentLogger } from '../../stores/silent-logger';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');
const ORDER_FLOW = join('flows', 'order-status.flow.yaml');

describe('flow viewer in headless Chromium', () => {
  let browser: Browser;
  let parley: RunningParley;
  let directory: string;
  let url: string;
  let page: Page;
  const pageErrors: string[] = [];

  /** Saves a flow file the way vim does: a new file renamed over the old one. */
  const saveByRename = (file: string, change: (text: string) => string): void => {
    const path = join(directory, file);
    const temporary = `${path}.swp-save`;
    writeFileSync(temporary, change(readFileSync(path, 'utf8')));
    renameSync(temporary, path);
  };
  const stateNode = (name: string) => page.locator(`#diagram g.node[data-state="${name}"]`);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    mkdirSync(ARTIFACTS, { recursive: true });
    directory = mkdtempSync(join(tmpdir(), 'parley-designer-'));
    for (const folder of ['nlu', 'flows', 'tests', 'locales']) {
      cpSync(join(acme.directory, folder), join(directory, folder), { recursive: true });
    }
    const bot: BotDefinition = { ...acme, directory };
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PARLEY_RELOAD: 'true' });
    parley = await startParley(bot, config, { logger: silentLogger });
    url = parley.address.url;
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
    pageErrors.length = 0;
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // A broken flow file answers 422 on purpose (the page shows the problem); anything else is a failure.
      if (message.type() === 'error' && !/status of 422/.test(message.text()))
        pageErrors.push(message.text());
    });
    await page.goto(`${url}/designer`);
    await eventually(async () => expect(await textOf(page.locator('#live'))).toEqual('live'));
  });

  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('draws every flow and shows a clicked state’s prompts, slots and effects', async () => {
    const someFlows = ['greet', 'order-status', 'book-appointment'];
    expect(await page.locator('#flow-list button').count()).toBe(flowFiles(directory));
    expect(await page.locator('#sign-in').isVisible()).toBe(false); // development: no sign-in
    for (const id of someFlows.map((file) => file.replace(/-/g, '_'))) {
      await page.locator(`#flow-list button[data-flow="${id}"]`).first().waitFor({ state: 'visible' });
    }
    await page.locator('#flow-list button[data-flow="order_status"]').click();
    await eventually(async () =>
      expect(await page.locator('#diagram').getAttribute('data-flow')).toBe('order_status'),
    );
    for (const state of ['get_order', 'look_up', 'shipped', 'unknown'])
      await stateNode(state).first().waitFor({ state: 'visible' });

    await stateNode('get_order').click();
    const details = page.locator('#details');
    await eventually(async () => expect(await textOf(details)).toContain('order_status · get_order'));
    await eventually(async () =>
      expect(await textOf(details)).toContain("What's your order number? It starts with A"),
    );
    await eventually(async () =>
      expect(await textOf(details)).toContain('order_number (validated by orderNumber, up to 3 attempts)'),
    );
    await eventually(async () => expect(await textOf(details)).toContain('filled → look_up'));
    await stateNode('look_up').click();
    await eventually(async () => expect(await textOf(details)).toContain('lookup findOrder'));
    await page.screenshot({ path: join(ARTIFACTS, 'designer-flow.png'), fullPage: true });
  });

  it('updates live when a flow file is replaced by rename, and shows a broken file’s problem', async () => {
    await page.locator('#flow-list button[data-flow="order_status"]').click();
    await stateNode('get_order').click();
    const original = readFileSync(join(directory, ORDER_FLOW), 'utf8');
    try {
      saveByRename(ORDER_FLOW, (text) =>
        text
          .replace("What's your order number? It starts with A", 'Which order? Order numbers start with A')
          .replace('      filled: look_up\n', '      filled: double_checked\n')
          .replace('  look_up:\n', '  double_checked:\n    always: look_up\n  look_up:\n'),
      );
      await eventually(async () =>
        expect(await textOf(page.locator('#details'))).toContain('Which order? Order numbers start with A'),
      );
      await stateNode('double_checked').first().waitFor({ state: 'visible' });

      saveByRename(ORDER_FLOW, (text) => text.replace('initial: get_order', 'initial: nowhere'));
      await eventually(async () =>
        expect(await textOf(page.locator('#problems'))).toMatch(/order-status\.flow\.yaml:\d+/),
      );
      await stateNode('double_checked').first().waitFor({ state: 'visible' }); // the last good version stays
      await page.screenshot({ path: join(ARTIFACTS, 'designer-problem.png'), fullPage: true });

      saveByRename(ORDER_FLOW, (text) => text.replace('initial: nowhere', 'initial: get_order'));
      await page.locator('#problems').waitFor({ state: 'hidden' });
    } finally {
      saveByRename(ORDER_FLOW, () => original);
    }
  });

  it('highlights the path a pasted conversation took, and one picked from the bot’s scripts', async () => {
    await page.locator('#transcript').fill('user> where is my order?\nbot> What is the number?\nuser> A1001');
    await page.locator('#replay').click();
    await eventually(async () =>
      expect(await textOf(page.locator('#replay-result'))).toContain('order_status: [*] → get_order'),
    );
    await eventually(async () =>
      expect(await page.locator('#diagram').getAttribute('data-flow')).toBe('order_status'),
    );
    await page
      .locator('#diagram g.node.visited[data-state="get_order"]')
      .first()
      .waitFor({ state: 'visible' });
    await page.locator('#diagram g.node.visited[data-state="look_up"]').first().waitFor({ state: 'visible' });
    // A state the conversation never reached stays unmarked.
    expect(await page.locator('#diagram g.node.visited[data-state="system_down"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'designer-path.png'), fullPage: true });

    const picked = await page.locator('#script-pick option').count();
    expect(picked).toBeGreaterThan(1);
    await page.locator('#script-pick').selectOption({ index: 1 });
    await eventually(async () => expect(await page.locator('#transcript').inputValue()).toMatch(/^user> /));
    await page.locator('#replay').click();
    await page.locator('#replay-result ol.turns li').first().first().waitFor({ state: 'visible' });
  });

  it('replays a stored conversation by its id', async () => {
    const response = await fetch(`${url}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'designer-viewer', message: 'I want to book an appointment' }),
    });
    expect(response.status).toBe(200);
    const ids = await fetch(`${url}/designer/api/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'nobody-here' }),
    });
    expect(ids.status).toBe(404);
    await page.locator('#conversation-id').fill('rest:designer-viewer');
    await page.locator('#replay').click();
    await eventually(async () =>
      expect(await textOf(page.locator('#replay-result'))).toContain('book_appointment: [*] →'),
    );
  });

  it('shows what the NLU makes of a typed sentence: ranking, entities, language', async () => {
    await page.locator('#nlu-text').fill('where is my order A1001?');
    await page.keyboard.press('Enter');
    const result = page.locator('#nlu-result');
    await eventually(async () =>
      expect(await textOf(result.locator('table.ranking tr').nth(1))).toContain('order_status'),
    );
    expect(await result.locator('table.ranking tr').count()).toBeGreaterThan(2);
    await eventually(async () => expect(await textOf(result.locator('.entities'))).toContain('A1001'));
    await eventually(async () =>
      expect(await textOf(result.locator('.nlu-language'))).toEqual('Language: en'),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'designer-nlu.png'), fullPage: true });
  });
});

/** Retries an assertion about the page until it holds or ten seconds pass (Playwright-style waiting). */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const textOf = async (locator: Locator): Promise<string> => (await locator.textContent()) ?? '';

/** How many flow files the bot has: the viewer shows one entry per flow. */
function flowFiles(botDirectory: string): number {
  return readdirSync(join(botDirectory, 'flows')).filter((file) => file.endsWith('.flow.yaml')).length;
}
