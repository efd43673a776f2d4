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
 * Queues and skills in headless Chromium against the real Acme bot and its desk.yaml: cases routed by
 * language and intent show under their queue's filter; every agent sees every queue, but only one who holds
 * a queue's skills may claim there (the refusal is told in words); a supervisor assigns only to a skilled
 * agent; an owner transfers to another queue with a note the next agent reads.
 */
describe('agent desk: queues and skills', () => {
  let browser: Browser;
  let server: DeskServer;
  let lucia: Page;
  let rita: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startDeskServer({
      accounts: [
        {
          username: 'lucia',
          name: 'Lucía Vega',
          roles: ['agent'],
          skills: { queues: ['spanish'], languages: ['es'] },
        },
        { username: 'rita', name: 'Rita Gomez', roles: ['agent'], skills: { queues: ['retention'] } },
      ],
    });
    browser = await launchChromium();
    // Routed by the customer's language (Español) and by the cancellation intent (retention).
    await server.say('eva', 'hola');
    await server.say('eva', 'quiero hablar con una persona');
    await server.say('leo', 'buenas tardes');
    await server.say('leo', 'pásame con un agente');
    await server.say('bob', 'I want to cancel my service');
    await server.say('bob', 'I want to talk to a human');
    lucia = await deskPage(browser, { width: 1280, height: 800 }, problems);
    rita = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(lucia, server.url, 'lucia');
    await signIn(rita, server.url, 'rita');
  }, 60_000);

  closeDeskAfterAll(() => ({ browser, server }), problems);

  /** Shows one queue's cases and waits until the list holds exactly `customers`, each in that queue. */
  async function filterQueue(page: Page, queue: string, label: string, customers: string[]) {
    await page.locator(`#queue-filter option[value="${queue}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#queue-filter', queue);
    await page.waitForFunction(
      ({ expected, label }) => {
        const entries = [...document.querySelectorAll('#case-list button[data-case-id]')];
        const titles = entries.map((e) => e.querySelector('.item__title')?.textContent ?? '').sort();
        const inQueue = entries.every((e) => e.querySelector('.item__sub')?.textContent?.includes(label));
        return inQueue && JSON.stringify(titles) === JSON.stringify(expected);
      },
      { expected: [...customers].sort(), label },
    );
  }

  const open = async (page: Page, customer: string) => {
    await caseButton(page, customer).click();
    await page.locator('#case-list button[aria-current="true"]', { hasText: customer }).waitFor();
    await page.locator('#case-meta', { hasText: 'queue' }).waitFor();
  };

  it('shows each case under the queue it was routed to (by language, by intent)', async () => {
    await filterQueue(lucia, 'spanish', 'Español', ['rest eva', 'rest leo']);
    await lucia.screenshot({ path: join(ARTIFACTS, 'desk-queue-filter.png') });
    await filterQueue(lucia, 'retention', 'Complaints and cancellations', ['rest bob']);
    await filterQueue(lucia, 'orders', 'Orders', []);
    await lucia.locator('#list-empty', { hasText: 'No cases here.' }).waitFor();
  });

  it("lets an agent without the queue's skills see the case but not claim it, and says why", async () => {
    // The product's rule: lists are not narrowed by skill; the claim is.
    await filterQueue(rita, 'spanish', 'Español', ['rest eva', 'rest leo']);
    await open(rita, 'rest eva');
    await rita.locator('#claim:not([disabled])').waitFor();
    await rita.click('#claim');
    await rita
      .locator('#case-error', { hasText: "you do not work the spanish queue or this customer's language" })
      .waitFor();
    expect(await rita.textContent('#case-meta')).toContain('Not claimed yet');
    expect(await rita.isDisabled('#reply')).toBe(true);
    await rita.screenshot({ path: join(ARTIFACTS, 'desk-claim-refused.png') });
  });

  it('lets a supervisor assign a waiting case only to an agent who holds its skills', async () => {
    const sue = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(sue, server.url, 'sue');
    await filterQueue(sue, 'spanish', 'Español', ['rest eva', 'rest leo']);
    await open(sue, 'rest leo');
    await sue.locator('#transfer:not([disabled])').waitFor();
    await sue.click('#transfer');
    await sue.locator('#transfer-dialog[open]').waitFor();
    await sue.locator('#transfer-target option[value="agent:rita"]').waitFor({ state: 'attached' });
    await sue.selectOption('#transfer-target', 'agent:rita');
    await sue.click('#transfer-form button[type="submit"]');
    await sue
      .locator('#transfer-error', { hasText: 'Rita Gomez does not work the spanish queue or its language' })
      .waitFor();
    expect(await seriousAxeViolations(sue)).toEqual([]);
    await sue.screenshot({ path: join(ARTIFACTS, 'desk-assign-refused.png') });

    await sue.selectOption('#transfer-target', 'agent:lucia');
    await sue.fill('#transfer-note', 'Prefers Spanish');
    await sue.click('#transfer-form button[type="submit"]');
    await sue.locator('#transfer-dialog:not([open])').waitFor({ state: 'attached' });
    await sue.locator('#case-meta', { hasText: 'Owner: Lucía Vega' }).waitFor();
    await sue.locator('#transcript li', { hasText: 'Sue Park assigned the case to Lucía Vega.' }).waitFor();
    await sue.close();

    // The assignee finds it under Mine.
    await lucia.selectOption('#queue-filter', '');
    await lucia.click('#status-tabs button[data-view="mine"]');
    await caseButton(lucia, 'rest leo').waitFor();
  });

  it('lets the skilled agent claim, then transfer to another queue with a note the next agent reads', async () => {
    await lucia.click('#status-tabs button[data-view="open"]');
    await filterQueue(lucia, 'spanish', 'Español', ['rest eva', 'rest leo']);
    await open(lucia, 'rest eva');
    await lucia.locator('#claim:not([disabled])').waitFor();
    await lucia.click('#claim');
    await lucia.locator('#case-meta', { hasText: 'Owner: Lucía Vega' }).waitFor();
    await lucia.locator('#transfer:not([disabled])').waitFor();
    await lucia.click('#transfer');
    await lucia.locator('#transfer-dialog[open]').waitFor();
    await lucia.locator('#transfer-target option[value="queue:general"]').waitFor({ state: 'attached' });
    // No transfer to the queue the case is already in.
    expect(await lucia.locator('#transfer-target option[value="queue:spanish"]').count()).toBe(0);
    await lucia.selectOption('#transfer-target', 'queue:general');
    await lucia.fill('#transfer-note', 'Switched to English; asks about a refund');
    await lucia.click('#transfer-form button[type="submit"]');
    await lucia.locator('#transfer-dialog:not([open])').waitFor({ state: 'attached' });
    await lucia.locator('#case-meta', { hasText: 'General queue' }).waitFor();
    // It left the Español queue: the filtered list now holds only the other Spanish case.
    await filterQueue(lucia, 'spanish', 'Español', ['rest leo']);

    const kim = await deskPage(browser, { width: 1280, height: 800 }, problems);
    await signIn(kim, server.url, 'kim');
    await kim.click('#status-tabs button[data-view="queued"]');
    await filterQueue(kim, 'general', 'General', ['rest eva']);
    await open(kim, 'rest eva');
    await kim
      .locator('#transcript .line--note', { hasText: 'Switched to English; asks about a refund' })
      .waitFor();
    await kim
      .locator('#transcript li', { hasText: 'Lucía Vega moved the case to the General queue.' })
      .waitFor();
    await kim.screenshot({ path: join(ARTIFACTS, 'desk-transfer-note.png') });
    // Kim holds no skill list, so any queue: the claim goes through (the case then leaves "Waiting").
    await kim.locator('#claim:not([disabled])').waitFor();
    await kim.click('#claim');
    await kim.locator('#case-meta', { hasText: 'Owner: Kim Lee' }).waitFor();
    await kim.close();
  });
});
