import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, seriousAxeViolations } from '../../test/support/browser';
import {
  ARTIFACTS,
  deskPage,
  signIn,
  startDeskServer,
  type DeskServer,
} from '../../test/support/desk-browser';

/**
 * The supervisor page in headless Chromium: queue lengths and waits, agents online, SLA breaches and today's
 * containment and CSAT, refreshed over the socket when a new case arrives; agents without the role are told
 * the page is not theirs.
 */
describe('supervisor page', () => {
  let browser: Browser;
  let server: DeskServer;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startDeskServer();
    browser = await launchChromium();
    await server.say('early', 'what are your opening hours');
    await server.say('early', 'I want to talk to a human');
    page = await deskPage(browser, { width: 1280, height: 800 }, problems);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => expect(problems).toEqual([]));

  const waiting = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('#queues tbody tr')].reduce(
        (sum, row) => sum + Number(row.querySelectorAll('td')[0]?.textContent ?? 0),
        0,
      ),
    );

  it('shows queues, agents and today’s figures, and refreshes them live when a case arrives', async () => {
    await signIn(page, server.url, 'sue');
    expect(await page.isVisible('#supervisor-link')).toBe(true);
    await page.click('#supervisor-link');
    await page.locator('#queues tbody tr').first().waitFor();
    await page.locator('#sup-status', { hasText: 'Live' }).waitFor();
    expect(await waiting()).toBe(1);
    const tiles = await page
      .locator('#today [data-tile]')
      .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-tile')));
    expect(tiles).toEqual(expect.arrayContaining(['Containment', 'CSAT (satisfied)', 'Agents online']));
    expect(await page.locator('#agents li[data-agent="sue"]').textContent()).toContain('online');
    expect(await page.locator('#agents li[data-agent="kim"]').textContent()).toContain('offline');

    // A new escalation reaches the page over the socket, without a reload.
    await server.say('later', 'I want to talk to a human');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('#queues tbody tr')].reduce(
          (sum, row) => sum + Number(row.querySelectorAll('td')[0]?.textContent ?? 0),
          0,
        ) === 2,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'desk-supervisor.png'), fullPage: true });
  });

  it('tells an agent without the supervisor role that the page is not theirs', async () => {
    const agent = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(agent, server.url, 'kim');
    expect(await agent.isVisible('#supervisor-link')).toBe(false);
    await agent.goto(`${server.url}/agent/supervisor`);
    await agent.locator('#sup-message', { hasText: 'for supervisors' }).waitFor();
    expect(await agent.isVisible('#sup-body')).toBe(false);
    await agent.close();
  });
});
