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
 * Server restarts seen from the desk: with the same token secret the agent stays signed in and the page
 * comes back live by itself; with a new secret the page says why the session ended instead of failing.
 */
describe('agent desk across server restarts', () => {
  let browser: Browser;
  let server: DeskServer;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startDeskServer();
    browser = await launchChromium();
    page = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(page, server.url, 'sam');
  }, 60_000);

  closeDeskAfterAll(() => ({ browser, server }), problems);

  it('stays signed in through a restart and shows new cases live again', async () => {
    await server.restart();
    await page.locator('#desk-status', { hasText: 'Live' }).waitFor({ timeout: 15_000 });
    await server.say('after-restart', 'I want to talk to a human');
    await page.locator('#case-list button[data-case-id]', { hasText: 'talk to a human' }).waitFor();
    expect(await page.isVisible('#desk')).toBe(true);
  });

  it("says the session ended because the server's sign-in key changed", async () => {
    await server.restart({ tokenSecret: 'a-different-secret-for-this-test-0123' });
    await page
      .locator('#signed-out-reason', { hasText: "Signed out because the server's sign-in key changed" })
      .waitFor({ timeout: 15_000 });
    expect(await page.isVisible('#desk')).toBe(false);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'desk-signed-out-restart.png') });
  });
});
