import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, seriousAxeViolations } from '../../test/support/browser';
import {
  ARTIFACTS,
  deskPage,
  signIn,
  startDeskServer,
  type DeskServer,
  closeDeskAfterAll,
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
  let offsetMs = 0;

  beforeAll(async () => {
    server = await startDeskServer({ clock: { now: () => Date.now() + offsetMs } });
    browser = await launchChromium();
    await server.say('early', 'what are your opening hours');
    await server.say('early', 'I want to talk to a human');
    page = await deskPage(browser, { width: 1280, height: 800 }, problems);
  }, 60_000);

  closeDeskAfterAll(() => ({ browser, server }), problems);

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

  it('lists an SLA breach once a case has waited longer than its queue allows', async () => {
    expect(await page.locator('#breaches li[data-case-id]').count()).toBe(0);
    offsetMs = 6 * 60_000; // the General queue's SLA is 5 minutes
    await server.say('third', 'I want to talk to a human'); // a case change pushes fresh figures
    const breach = page.locator('#breaches li[data-case-id]').first();
    await breach.waitFor();
    expect(await breach.textContent()).toMatch(/General, waiting 6 min \(SLA 5 min\)/);
    expect(await page.locator('#today [data-tile="SLA breaches"] dd').textContent()).not.toBe('0');
    expect(await page.locator('#queues tbody tr[data-queue="general"] td.breached').count()).toBe(1);
    // Presence is measured on the server's (moved) clock, so agents read offline in this picture.
    await page.screenshot({ path: join(ARTIFACTS, 'desk-supervisor-breach.png'), fullPage: true });
  });

  it('lets a supervisor assign a waiting case to an agent from the desk, with a note', async () => {
    await page.click('a[href="/agent"]');
    const waitingCase = page.locator('#case-list button[data-case-id]', { hasText: 'opening hours' });
    await waitingCase.click();
    await page.locator('#transcript li').first().waitFor();
    expect(await page.locator('#case-badges [data-badge="sla"]').textContent()).toBe('SLA breached');
    await page.click('#transfer');
    await page.locator('#transfer-dialog[open]').waitFor();
    await page.selectOption('#transfer-target', 'agent:kim');
    await page.fill('#transfer-note', 'Kim, this one is yours: opening hours on Sunday');
    await page.click('#transfer-form button[type="submit"]');
    await page.locator('#transcript .line--note', { hasText: 'yours' }).waitFor();
    await page.locator('#case-meta', { hasText: 'Owner: Kim Lee' }).waitFor();
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
