import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../test/support/browser';
import {
  ARTIFACTS,
  deskPage,
  signIn,
  startDeskServer,
  type DeskServer,
  closeDeskAfterAll,
  caseButton,
} from '../../test/support/desk-browser';

/**
 * Working cases in headless Chromium against the real Acme bot: lists by status with search, the customer
 * panel, unread counts, typing both ways, canned responses, transfer with a note, and the end of a session
 * (revoked elsewhere, or the sign-out button) told in words.
 */
describe('agent desk: working cases', () => {
  let browser: Browser;
  let server: DeskServer;
  let sam: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startDeskServer();
    browser = await launchChromium();
    await server.say('ada', 'where is my order A1001');
    await server.say('ada', 'I want to talk to a human');
    await server.say('bob', 'I want to cancel my service');
    await server.say('bob', 'I want to talk to a human');
    sam = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(sam, server.url, 'sam');
  }, 60_000);

  closeDeskAfterAll(() => ({ browser, server }), problems);

  const open = async (page: Page, text: string) => {
    await caseButton(page, text).click();
    await page.locator(`#case-list button[aria-current="true"]`, { hasText: text }).waitFor();
    await page.locator('#transcript li').first().waitFor();
  };

  it('counts unread lines of other cases and clears the count when the case is opened', async () => {
    await open(sam, 'where is my order A1001');
    await server.say('bob', 'hello? is anyone there');
    const unread = caseButton(sam, 'cancel my service').locator('.unread');
    await unread.waitFor();
    expect(Number(await unread.getAttribute('data-unread'))).toBeGreaterThanOrEqual(1);
    const read = sam.waitForResponse((response) => response.url().endsWith('/read'));
    await open(sam, 'cancel my service');
    expect(await caseButton(sam, 'cancel my service').locator('.unread').count()).toBe(0);
    expect((await read).status()).toBe(200);
    await sam.reload();
    await caseButton(sam, 'cancel my service').waitFor();
    expect(await caseButton(sam, 'cancel my service').locator('.unread').count()).toBe(0);
  });

  it('shows the customer panel: linked channels, consent and previous cases with their outcome', async () => {
    await open(sam, 'cancel my service');
    await sam.locator('#customer-channels li', { hasText: 'bob' }).waitFor();
    const consent = await sam.locator('#customer-consent li').allTextContents();
    expect(consent.length).toBeGreaterThan(0);
    expect(consent.every((line) => /: (Granted|Refused|Not asked)$/.test(line))).toBe(true);
    expect(await sam.textContent('#customer-cases')).toMatch(/No earlier cases|Handed back|Closed/);
    expect(await sam.textContent('#summary')).toContain('Policy requires a person');
  });

  it('fills a canned response for the case and puts it in the composer', async () => {
    await open(sam, 'where is my order A1001');
    await sam.click('#claim');
    await sam.locator('#reply:not([disabled])').waitFor();
    await sam.focus('#reply');
    await sam.keyboard.press('Control+/');
    await sam.locator('#canned-dialog[open]').waitFor();
    const first = sam.locator('#canned-list button').first();
    await first.waitFor();
    const title = await first.getAttribute('data-canned-id');
    expect(title).toBeTruthy();
    await sam.screenshot({ path: join(ARTIFACTS, 'desk-canned.png') });
    await first.click();
    const text = await sam.inputValue('#reply');
    expect(text.length).toBeGreaterThan(0);
    // Filled from the case: the agent's own name, never a raw placeholder for it.
    expect(text).not.toContain('{agent.name}');
    await expect(sam.evaluate(() => document.activeElement?.id)).resolves.toBe('reply');
    await sam.press('#reply', 'Enter');
    await sam.locator('#transcript .line--agent').last().waitFor();
  });

  it('lists resolved cases and searches them', async () => {
    await sam.click('#hand-back');
    await sam.locator('#claim[disabled]').waitFor();
    await sam.click('#status-tabs button[data-view="resolved"]');
    await caseButton(sam, 'where is my order A1001').waitFor();
    expect(await caseButton(sam, 'cancel my service').count()).toBe(0);
    // Fields narrow the search: who worked the case, and when it opened.
    await sam.fill('#case-search', 'agent:kim');
    await sam.locator('#list-empty', { hasText: 'No cases here.' }).waitFor();
    await sam.fill('#case-search', 'order agent:sam');
    await caseButton(sam, 'where is my order A1001').waitFor();
    await sam.fill('#case-search', 'from:2999-01-01');
    await sam.locator('#list-empty', { hasText: 'No cases here.' }).waitFor();
    await sam.fill('#case-search', 'from:someday');
    await sam.locator('#list-empty', { hasText: 'Search not understood' }).waitFor();
    await sam.fill('#case-search', '');
    await sam.click('#status-tabs button[data-view="open"]');
    await caseButton(sam, 'cancel my service').waitFor();
    await sam.fill('#case-search', 'cancel');
    await sam.waitForFunction(
      () => document.querySelectorAll('#case-list button[data-case-id]').length === 1,
    );
    await sam.fill('#case-search', 'no case says this');
    await sam.locator('#list-empty').waitFor();
    await sam.fill('#case-search', '');
    await caseButton(sam, 'cancel my service').waitFor();
  });

  it('transfers a case to another queue with a note for the next person', async () => {
    await open(sam, 'cancel my service');
    await sam.click('#claim');
    await sam.locator('#transfer:not([disabled])').waitFor();
    await sam.keyboard.press('t');
    await sam.locator('#transfer-dialog[open]').waitFor();
    const target = await sam
      .locator('#transfer-target option[value^="queue:"]')
      .first()
      .getAttribute('value');
    expect(target).toBeTruthy();
    await sam.selectOption('#transfer-target', target!);
    await sam.fill('#transfer-note', 'Wants to cancel; offer the retention deal');
    await sam.click('#transfer-form button[type="submit"]');
    await sam.locator('#transfer-dialog:not([open])').waitFor({ state: 'attached' });
    await sam.locator('#transcript .line--note', { hasText: 'retention deal' }).waitFor();
    await sam.locator('#claim:not([disabled])').waitFor();
    expect(await sam.textContent('#case-meta')).toContain('Not claimed yet');
  });

  it("shows an agent's typing to another desk watching the case", async () => {
    const sue = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(sue, server.url, 'sue');
    await open(sam, 'cancel my service');
    await sam.click('#claim');
    await sam.locator('#reply:not([disabled])').waitFor();
    await open(sue, 'cancel my service');
    await sam.type('#reply', 'Let me check');
    await sue.locator('#typing', { hasText: 'Sam Carter is typing…' }).waitFor();
    await caseButton(sue, 'cancel my service').locator('.item__typing').waitFor();
    await sue.close();
  });

  it('shows typing both ways between the web chat and the desk', async () => {
    const customer = await deskPage(browser, { width: 420, height: 700 }, problems);
    await customer.goto(`${server.url}/`);
    await customer.locator('#chat-log .msg--bot').first().waitFor();
    await customer.fill('#chat-input', 'I want to talk to a human');
    await customer.press('#chat-input', 'Enter');
    await customer.locator('#chat-log .msg__text', { hasText: /colleague/ }).waitFor();
    await customer.locator('#chat-typing').waitFor({ state: 'hidden' });
    await sam.click('#status-tabs button[data-view="queued"]');
    await open(sam, 'webchat');
    await sam.click('#claim');
    await customer.locator('#chat-log .msg__text', { hasText: 'chatting with Sam' }).waitFor();
    await customer.locator('#chat-typing').waitFor({ state: 'hidden' });
    // A claimed case leaves the queued list; the open list is where its typing shows.
    await sam.click('#status-tabs button[data-view="open"]');
    await caseButton(sam, 'webchat').waitFor();
    await sam.type('#reply', 'Let me check');
    await customer.locator('#chat-typing', { hasText: 'Sam Carter is typing…' }).waitFor();

    await customer.type('#chat-input', 'still there?');
    await sam.locator('#typing', { hasText: 'The customer is typing…' }).waitFor();
    await caseButton(sam, 'webchat').locator('.item__typing').waitFor();
    // The message itself ends the indicator and is announced through the live region.
    await customer.press('#chat-input', 'Enter');
    await sam.locator('#announcer', { hasText: 'Customer: still there?' }).waitFor({ state: 'attached' });
    expect(await sam.getAttribute('#announcer', 'aria-live')).toBe('polite');
    await sam.locator('#typing:empty').waitFor({ state: 'attached' });
    await customer.close();
  });

  it('says why the session ended when the token is revoked elsewhere, and signs out with the button', async () => {
    const token = await sam.evaluate(() => sessionStorage.getItem('parley.agent.token'));
    await server.api(token!, 'POST', '/api/agent/logout');
    await sam.locator('#signed-out-reason', { hasText: /^Signed out because/ }).waitFor();
    expect(await sam.isVisible('#sign-in')).toBe(true);
    expect(await sam.isVisible('#desk')).toBe(false);
    await sam.screenshot({ path: join(ARTIFACTS, 'desk-signed-out.png') });

    await signIn(sam, server.url, 'sam');
    await sam.click('#sign-out');
    await sam.locator('#signed-out-reason', { hasText: 'You signed out.' }).waitFor();
    const stale = await sam.evaluate(() => sessionStorage.getItem('parley.agent.token'));
    expect(stale).toBeNull();
  });
});
