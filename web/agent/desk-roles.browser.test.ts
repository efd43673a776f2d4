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
 * Roles in headless Chromium against the real Acme bot. A privacy officer without the agent role signs in
 * to the desk but is refused the case list, with the server's reason on the page. The desk has no privacy
 * panel yet, so the officer's export, erasure and audit trail are reached from their signed-in browser
 * session: the export as the page the server renders, the rest over the API the page's token opens. A plain
 * agent's token is refused all three.
 */
describe('agent desk: roles', () => {
  let browser: Browser;
  let server: DeskServer;
  let dana: Page;
  let sam: Page;
  const problems: string[] = [];
  const CUSTOMER = 'rest:ada';
  const customerPath = `/api/privacy/customers/${encodeURIComponent(CUSTOMER)}`;

  beforeAll(async () => {
    server = await startDeskServer({
      accounts: [{ username: 'dana', name: 'Dana Ortiz', roles: ['privacy'] }],
    });
    browser = await launchChromium();
    await server.say('ada', 'where is my order A1001');
    await server.say('ada', 'I want to talk to a human');
    dana = await deskPage(browser, { width: 1280, height: 800 }, problems);
    sam = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(dana, server.url, 'dana');
    await signIn(sam, server.url, 'sam');
  }, 60_000);

  closeDeskAfterAll(() => ({ browser, server }), problems);

  const tokenOf = async (page: Page) => {
    const token = await page.evaluate(() => sessionStorage.getItem('parley.agent.token'));
    if (!token) throw new Error('no desk token in the page');
    return token;
  };

  /** A call with the page's own desk token, from inside the page (as a privacy panel would make it). */
  const callFrom = (page: Page, method: string, path: string) =>
    page.evaluate(
      async ({ method, path }) => {
        const token = sessionStorage.getItem('parley.agent.token');
        const response = await fetch(path, { method, headers: { authorization: `Bearer ${token}` } });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
      { method, path },
    );

  /** The export as the browser shows it, asked for with `page`'s desk token. */
  async function exportPage(page: Page) {
    const view = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await view.setExtraHTTPHeaders({ authorization: `Bearer ${await tokenOf(page)}` });
    const response = await view.goto(`${server.url}${customerPath}/export?format=html`);
    return { view, status: response?.status() };
  }

  it('refuses a privacy officer without the agent role the case list, and shows the reason', async () => {
    await dana
      .locator('#list-empty', { hasText: 'Could not load cases: this needs the agent or supervisor role' })
      .waitFor();
    expect(await dana.locator('#case-list button[data-case-id]').count()).toBe(0);
    expect(await dana.isVisible('#supervisor-link')).toBe(false);
    expect(await dana.textContent('#desk-agent-name')).toBe('Dana Ortiz (dana)');
    expect(await seriousAxeViolations(dana)).toEqual([]);
    await dana.screenshot({ path: join(ARTIFACTS, 'desk-privacy-officer-refused.png') });
    // The same desk lists the case for an agent.
    await sam.locator('#case-list button[data-case-id]', { hasText: 'where is my order A1001' }).waitFor();
  });

  it("opens a customer's data export for the privacy officer, and refuses it to a plain agent", async () => {
    const refused = await exportPage(sam);
    expect(refused.status).toBe(403);
    expect(await refused.view.textContent('body')).toContain('this needs an agent with the privacy role');
    await refused.view.close();

    const { view, status } = await exportPage(dana);
    expect(status).toBe(200);
    await view.locator('h1', { hasText: 'Your data' }).waitFor();
    expect(await view.textContent('body')).toContain(`customer ${CUSTOMER}`);
    await view.locator('td', { hasText: 'where is my order A1001' }).first().waitFor();
    expect(await seriousAxeViolations(view)).toEqual([]);
    await view.screenshot({ path: join(ARTIFACTS, 'desk-privacy-export.png'), fullPage: true });
    await view.close();
  });

  it("erases the customer for the privacy officer only: the case leaves the agents' desk, and the audit trail names who did what", async () => {
    // Sam reads the case first: the desk audits every case read.
    await sam.locator('#case-list button[data-case-id]', { hasText: 'where is my order A1001' }).click();
    await sam.locator('#transcript li').first().waitFor();

    for (const [method, path] of [
      ['POST', `${customerPath}/erase`],
      ['GET', `/api/privacy/audit?customer=${encodeURIComponent(CUSTOMER)}`],
    ] as const) {
      expect(await callFrom(sam, method, path)).toMatchObject({
        status: 403,
        body: { detail: 'this needs an agent with the privacy role' },
      });
    }

    const erased = await callFrom(dana, 'POST', `${customerPath}/erase`);
    expect(erased.status).toBe(200);
    expect(erased.body['caseIds']).toHaveLength(1);
    await sam.reload();
    await sam.locator('#desk-status', { hasText: 'Live' }).waitFor();
    await sam.locator('#list-empty', { hasText: 'No cases here.' }).waitFor();
    expect(await sam.locator('#case-list button[data-case-id]').count()).toBe(0);

    const trail = await callFrom(dana, 'GET', `/api/privacy/audit?customer=${encodeURIComponent(CUSTOMER)}`);
    const events = trail.body['events'] as { action: string; actor: { id: string } }[];
    const actions = events.map((e) => `${e.action} by ${e.actor.id}`);
    expect(actions).toEqual(expect.arrayContaining(['read by sam', 'export by dana', 'erase by dana']));
    expect(actions).not.toContain('export by sam');
    expect(JSON.stringify(events)).not.toContain(CUSTOMER);
  });
});
