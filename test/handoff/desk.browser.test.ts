import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { silentLogger } from '../../stores/silent-logger';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');
const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert("chat")</script>are you there?';
const AGENT_XSS = 'Hi, Sam here <script>alert("desk")</script><img src=y onerror=alert(2)>';

/**
 * The whole round trip with the real Acme bot: a web chat customer asks for a person, an agent signs in to
 * the desk in a second page, claims the case, reads the transcript, replies live, hands back, and the
 * bot asks the customer whether they are satisfied. Markup typed on either side must stay text.
 */
describe('agent desk and web chat in headless Chromium', () => {
  let browser: Browser;
  let parley: RunningParley;
  let url: string;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium)`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_DEMO_AGENT: 'sam:desk-test-password',
      PARLEY_AGENT_TOKEN_SECRET: 'browser-test-secret-0123456789',
      PARLEY_COMPANY_NAME: 'Acme',
    });
    parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
    url = parley.address.url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await parley?.close();
  });

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.setDefaultTimeout(8000);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  async function say(customer: Page, text: string): Promise<void> {
    await customer.fill('#chat-input', text);
    await customer.press('#chat-input', 'Enter');
  }

  const chatLine = (customer: Page, text: string | RegExp) =>
    customer.locator('#chat-log .msg__text', { hasText: text }).last().waitFor();

  it('escalates, lets the agent talk live, hands back, and the bot asks for satisfaction', async () => {
    const customer = await newPage();
    await customer.goto(`${url}/`);
    await customer.locator('#chat-log .msg--bot').first().waitFor();
    await say(customer, IMG);
    await customer.locator('#chat-log .msg--bot').nth(1).waitFor();
    await say(customer, 'I want to talk to a human');
    await chatLine(customer, /colleague/);
    await say(customer, SCRIPT);
    await chatLine(customer, /added that to your case/);

    const agent = await newPage();
    await agent.goto(`${url}/agent`);
    expect(await agent.isVisible('#desk')).toBe(false);
    await agent.fill('#username', 'sam');
    await agent.fill('#password', 'wrong');
    await agent.click('#sign-in-submit');
    await agent.locator('#sign-in-error', { hasText: 'wrong password' }).waitFor();
    await agent.fill('#password', 'desk-test-password');
    await agent.click('#sign-in-submit');
    await agent.locator('#desk-status', { hasText: 'Live' }).waitFor();
    expect(await agent.isVisible('#sign-in')).toBe(false);
    await agent.locator('#case-list button[data-case-id]').first().click();

    // The whole transcript, in order, with the markup shown as typed.
    await agent.locator('#transcript .line--customer', { hasText: 'are you there?' }).waitFor();
    const customerLines = await agent.locator('#transcript .line--customer .line__text').allTextContents();
    expect(customerLines).toEqual([IMG, 'I want to talk to a human', SCRIPT]);
    await expect(agent.locator('#transcript .line--bot').count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(agent.locator('#summary').textContent()).resolves.toMatch(/Customer asked for a person/);
    // Every line shows its channel, and the customer panel where the customer can be reached.
    await agent.locator('#customer-channels li', { hasText: /webchat|Web chat/i }).waitFor();
    const lineDetails = await agent.locator('#transcript .line--customer').allTextContents();
    expect(lineDetails.every((text) => text.includes('webchat'))).toBe(true);

    await agent.click('#claim');
    await chatLine(customer, "You're now chatting with Sam from Acme.");
    await agent.fill('#reply', AGENT_XSS);
    await agent.press('#reply', 'Enter');
    await chatLine(customer, 'Hi, Sam here');
    expect(await customer.locator('#chat-log .msg--agent .msg__text').last().textContent()).toBe(AGENT_XSS);
    expect(await customer.locator('#chat-log .msg--agent .msg__author').last().textContent()).toMatch(/Sam/);

    await say(customer, 'Thanks, my order is A1001');
    await agent.locator('#transcript .line--customer', { hasText: 'my order is A1001' }).waitFor();
    await agent.fill('#note', 'Customer was patient; offer a voucher next time');
    await agent.press('#note', 'Enter');
    await agent.locator('#transcript .line--note', { hasText: 'voucher' }).waitFor();
    await agent.screenshot({ path: join(ARTIFACTS, 'desk-agent.png'), fullPage: true });

    await agent.click('#hand-back');
    await chatLine(customer, /handed you back.*\?/);
    await customer.locator('#chat-log .msg__buttons button', { hasText: 'Yes' }).last().click();
    await chatLine(customer, /glad/i);
    await customer.screenshot({ path: join(ARTIFACTS, 'desk-customer.png'), fullPage: true });
    await agent.locator('#transcript .line--system[data-event="case.resolved"]').waitFor();
    // The agent who handed back sees the customer's answer arrive.
    await agent.locator('#transcript .line--system[data-event="satisfaction"]').waitFor();
    await agent.screenshot({ path: join(ARTIFACTS, 'desk-agent-resolved.png'), fullPage: true });
    // The answer comes after the case ended: it is in the conversation's transcript, not the desk's stream.
    const [item] = await parley.runtime.stores.cases.list({ status: 'resolved' });
    const lines = await parley.runtime.stores.transcripts.read(item?.conversationId ?? '');
    expect(lines.find((line) => line.event === 'satisfaction')?.data).toEqual({
      satisfied: true,
      caseId: item?.id,
    });
    expect(lines.map((line) => line.event).filter((e) => e?.startsWith('case.'))).toEqual([
      'case.claimed',
      'case.note',
      'case.resolved',
    ]);

    // Nothing the customer or the agent typed ran or became markup.
    expect(await customer.locator('#chat-log img, #chat-log script').count()).toBe(0);
    expect(await agent.locator('#transcript img, #transcript script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
  it('offers replies from similar resolved cases and inserts one with a click', async () => {
    const json = async (path: string, body?: object, token?: string) => {
      const answer = await fetch(`${url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return (await answer.json()) as Record<string, unknown>;
    };
    const rest = (sender: string, message: string) => json('/webhooks/rest/webhook', { sender, message });
    const PAST_REPLY = 'Your order A1001 is on the van today and will arrive before 6pm.';

    // A past case, resolved by an agent over the API.
    await rest('past-customer', 'where is my order A1001');
    // Suggestions learn only from customers who consented to their conversations being used that way.
    await rest('past-customer', 'you can use my data for training');
    await rest('past-customer', 'I want to talk to a human about my late order');
    const { token } = (await json('/api/agent/login', {
      username: 'sam',
      password: 'desk-test-password',
    })) as {
      token: string;
    };
    const { cases } = (await json('/api/cases?status=queued', undefined, token)) as {
      cases: { id: string; conversationId: string }[];
    };
    const past = cases.find((item) => item.conversationId === 'rest:past-customer');
    expect(past).toBeDefined();
    await json(`/api/cases/${past?.id}/claim`, {}, token);
    await json(`/api/cases/${past?.id}/messages`, { text: PAST_REPLY }, token);
    await json(`/api/cases/${past?.id}/resolve`, { handBack: true }, token);

    // A new customer with the same problem.
    await rest('new-customer', "my order A1001 still hasn't arrived");
    await rest('new-customer', 'I want to talk to a human');
    const agent = await newPage();
    await agent.goto(`${url}/agent`);
    await agent.fill('#username', 'sam');
    await agent.fill('#password', 'desk-test-password');
    await agent.click('#sign-in-submit');
    await agent.locator('#case-list button[data-case-id]', { hasText: "still hasn't arrived" }).click();
    const suggestion = agent.locator('#suggestion-list button', { hasText: 'on the van' });
    await suggestion.click();
    expect(await agent.inputValue('#reply')).toBe(PAST_REPLY);
    await agent.screenshot({ path: join(ARTIFACTS, 'desk-suggestions.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
