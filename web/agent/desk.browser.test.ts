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
  caseButton,
} from '../../test/support/desk-browser';

/**
 * The desk's layout, words, keyboard and accessibility in headless Chromium against the real Acme bot: a
 * long case at 1280 px (three panes, actions and composer always in view), the same desk at 390 px (one
 * pane at a time), plain-words event lines with their filter, labelled badges, and the shortcuts.
 */
describe('agent desk layout, keyboard and accessibility', () => {
  let browser: Browser;
  let server: DeskServer;
  let wide: Page;
  const problems: string[] = [];
  const LONG = 'long-talker';

  beforeAll(async () => {
    server = await startDeskServer();
    browser = await launchChromium();
    // A long conversation before the handoff: the case is far taller than the window.
    for (let turn = 0; turn < 14; turn++) await server.say(LONG, `where is my order A10${turn}`);
    await server.say(LONG, 'I want to talk to a human');
    await server.say('short-one', 'what are your opening hours');
    await server.say('short-one', 'I want to talk to a human');
    wide = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(wide, server.url, 'sam');
  }, 60_000);

  closeDeskAfterAll(() => ({ browser, server }), problems);

  const inViewport = (page: Page, selector: string) =>
    page.locator(selector).evaluate((element) => {
      const box = element.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
    });

  it('titles cases by customer and first request, with reasons and priority as labelled badges', async () => {
    const item = caseButton(wide, 'where is my order A100');
    await item.waitFor();
    expect(await item.locator('.item__title').textContent()).toMatch(/^rest /);
    expect(await item.locator('.item__request').textContent()).toBe('“where is my order A100”');
    const text = await item.innerText();
    expect(text).toContain('Customer asked for a person');
    expect(text).toMatch(/(High|Normal|Low) priority/);
    expect(text).not.toMatch(/customer_request|rest:long-talker/);
  });

  it('keeps three panes side by side at 1280 px, with actions and composer in view on a long case', async () => {
    await caseButton(wide, 'where is my order A100').click();
    await wide.locator('#transcript .line--customer', { hasText: 'talk to a human' }).waitFor();
    const panes = await Promise.all(
      ['#pane-list', '#pane-case', '#pane-details'].map((id) => wide.locator(id).boundingBox()),
    );
    expect(panes.every((box) => box !== null && box.width > 200)).toBe(true);
    const [list, conversation, details] = panes as { x: number; width: number }[];
    expect(list!.x < conversation!.x && conversation!.x < details!.x).toBe(true);
    // The case is taller than the window, yet the page itself never scrolls: the transcript does.
    const heights = await wide.evaluate(() => ({
      page: document.documentElement.scrollHeight,
      window: window.innerHeight,
      transcript: document.getElementById('transcript')!.scrollHeight,
    }));
    expect(heights.transcript).toBeGreaterThan(heights.window);
    expect(heights.page).toBeLessThanOrEqual(heights.window);
    await wide.locator('.case__transcript').evaluate((element) => element.scrollTo(0, 0));
    for (const selector of ['#claim', '#hand-back', '#reply', '#send-reply', '#note']) {
      expect([selector, await inViewport(wide, selector)]).toEqual([selector, true]);
    }
    await wide.locator('.case__transcript').evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await wide.screenshot({ path: join(ARTIFACTS, 'desk-1280.png') });
    expect(await seriousAxeViolations(wide)).toEqual([]);
  });

  it('shows system events in plain words, and hides or shows them with the filter', async () => {
    const events = wide.locator('#transcript .line--system');
    expect(await events.count()).toBeGreaterThan(0);
    const words = await events.locator('.line__text').allTextContents();
    // No raw codes or JSON: every event line is a sentence.
    expect(words.filter((text) => /[{}[\]]|^[a-z]+\.[a-z_]+/.test(text))).toEqual([]);
    expect(words.some((text) => /^Handed to a person: Customer asked for a person\.$/.test(text))).toBe(true);
    await wide.uncheck('#show-events');
    expect(await events.first().isVisible()).toBe(false);
    expect(await wide.locator('#transcript .line--customer').first().isVisible()).toBe(true);
    await wide.keyboard.press('e'); // the shortcut toggles the same filter
    expect(await wide.isChecked('#show-events')).toBe(true);
    expect(await events.first().isVisible()).toBe(true);
  });

  it('moves through the list with j/k, opens with Enter, and focus follows to the conversation', async () => {
    await wide.keyboard.press('Escape');
    const focusedCase = () => wide.evaluate(() => document.activeElement?.getAttribute('data-case-id'));
    const ids = await wide
      .locator('#case-list button[data-case-id]')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-case-id')));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const start = await focusedCase();
    expect(ids).toContain(start);
    await wide.keyboard.press('j');
    const next = ids[Math.min(ids.indexOf(start!) + 1, ids.length - 1)];
    expect(await focusedCase()).toBe(next);
    await wide.keyboard.press('k');
    expect(await focusedCase()).toBe(start);
    await wide.keyboard.press('ArrowDown');
    await wide.keyboard.press('Enter');
    await expect(wide.evaluate(() => document.activeElement?.id)).resolves.toBe('case-title');
    await wide.locator(`#case-list button[data-case-id="${next}"][aria-current="true"]`).waitFor();

    // Claim with c (once the case has loaded), reply with r and Ctrl+Enter; the line appears in the conversation.
    await wide.locator('#claim:not([disabled])').waitFor();
    await wide.keyboard.press('c');
    await wide.locator('#reply:not([disabled])').waitFor();
    await wide.keyboard.press('r');
    await expect(wide.evaluate(() => document.activeElement?.id)).resolves.toBe('reply');
    await wide.keyboard.type('Hello from the keyboard');
    await wide.keyboard.press('Control+Enter');
    await wide.locator('#transcript .line--agent', { hasText: 'Hello from the keyboard' }).waitFor();
    expect(await wide.inputValue('#reply')).toBe('');

    // A reply the server refuses comes back into the field with the reason, so nothing typed is lost.
    await wide.route('**/messages', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ detail: 'Try again in a moment.' }),
      }),
    );
    await wide.keyboard.type('Lost in transit');
    await wide.keyboard.press('Control+Enter');
    await wide.locator('#case-error', { hasText: 'Try again in a moment.' }).waitFor();
    expect(await wide.inputValue('#reply')).toBe('Lost in transit');
    await wide.unroute('**/messages');
    await wide.fill('#reply', '');

    // Number keys switch the list; "/" searches; Escape leaves the field; "?" lists the shortcuts.
    await wide.keyboard.press('Escape');
    await wide.keyboard.press('4');
    await wide.locator('#status-tabs button[data-view="resolved"][aria-pressed="true"]').waitFor();
    await wide.keyboard.press('1');
    await wide.locator('#status-tabs button[data-view="open"][aria-pressed="true"]').waitFor();
    await wide.keyboard.press('Escape');
    await wide.keyboard.press('/');
    await expect(wide.evaluate(() => document.activeElement?.id)).resolves.toBe('case-search');
    await wide.keyboard.press('Escape');
    await wide.keyboard.press('?');
    const help = wide.locator('#help');
    await help.waitFor();
    const rows = await help.locator('dd').allTextContents();
    expect(rows).toEqual(
      expect.arrayContaining(['Next case in the list', 'Claim the case', 'This list of shortcuts']),
    );
    expect(await seriousAxeViolations(wide)).toEqual([]);
    await wide.screenshot({ path: join(ARTIFACTS, 'desk-shortcuts.png') });
    await wide.keyboard.press('Escape');
    expect(await help.isVisible()).toBe(false);
  });

  it('shows one pane at a time at 390 px, with buttons between them and no serious accessibility issue', async () => {
    const phone = await deskPage(browser, { width: 390, height: 844 }, problems);
    await signIn(phone, server.url, 'kim');
    await caseButton(phone, 'opening hours').waitFor();
    expect(await phone.isVisible('#pane-case')).toBe(false);
    expect(await seriousAxeViolations(phone)).toEqual([]);
    await phone.screenshot({ path: join(ARTIFACTS, 'desk-390-list.png') });

    await caseButton(phone, 'where is my order A100').click();
    await phone.locator('#transcript .line--customer').first().waitFor();
    expect(await phone.isVisible('#pane-list')).toBe(false);
    expect(await phone.isVisible('#pane-details')).toBe(false);
    for (const selector of ['#back-to-list', '#claim', '#reply', '#send-reply']) {
      expect([selector, await inViewport(phone, selector)]).toEqual([selector, true]);
    }
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousAxeViolations(phone)).toEqual([]);
    await phone.screenshot({ path: join(ARTIFACTS, 'desk-390.png') });

    await phone.click('#show-details');
    await phone.locator('#customer-channels li').first().waitFor();
    expect(await phone.isVisible('#pane-case')).toBe(false);
    await phone.screenshot({ path: join(ARTIFACTS, 'desk-390-details.png') });
    await phone.click('#back-to-case');
    await phone.click('#back-to-list');
    expect(await phone.isVisible('#pane-list')).toBe(true);
    expect(await phone.isVisible('#pane-case')).toBe(false);
    await phone.close();
  });
});
