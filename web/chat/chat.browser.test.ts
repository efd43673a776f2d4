import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createHttpServer, type ParleyHttpServer } from '../../connectors/http/http-server';
import { FakeRuntime, memoryLogger } from '../../test/support/fake-runtime';
import type { Message, Reply } from '../../core/message';
import { StoreUnavailableError } from '../../core/store-unavailable';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');

/** How many more times the message "store down" finds the store unavailable. */
let outages = 0;

/** The demo conversation the page is driven through; it is about the page, not about a real bot. */
function script(message: Message): Reply[] | Promise<Reply[]> {
  if (message.kind === 'launch') {
    return [
      {
        from: 'bot',
        text: 'Hi! I am the Acme assistant.',
        buttons: [
          { title: 'Track my order', payload: '/order_status' },
          { title: 'Talk to a person', payload: '/human' },
        ],
      },
    ];
  }
  const text = message.text ?? '';
  if (text === '/order_status') return [{ from: 'bot', text: 'Sure. What is your order number?' }];
  if (text.includes('<img')) return [{ from: 'bot', text: 'Noted: <script>alert(1)</script>' }];
  if (text === 'store down' && outages > 0) {
    outages -= 1;
    return Promise.reject(new StoreUnavailableError('redis', new Error('Command timed out')));
  }
  if (text === 'slow') {
    return new Promise((resolve) =>
      setTimeout(() => resolve([{ from: 'bot', text: 'Thanks for waiting.' }]), 800),
    );
  }
  return [{ from: 'bot', text: `You said: ${text}` }];
}

describe('web chat page in headless Chromium', () => {
  let browser: Browser;
  let server: ParleyHttpServer;
  let runtime: FakeRuntime;
  let url: string;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) to run this test`,
      );
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    runtime = new FakeRuntime(script);
    server = createHttpServer({ runtime, logger: memoryLogger(), webChat: { title: 'Acme Support' } });
    url = (await server.listen(0)).url;
    dialogs.length = 0;
    pageErrors.length = 0;
    page = await browser.newPage();
    // Fail on the step that hangs, with Playwright's description, well before jest's own timeout.
    page.setDefaultTimeout(5000);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterEach(async () => {
    await page.close();
    await server.close();
  });

  const messages = () => page.locator('#chat-log .msg__text').allTextContents();
  const send = async (text: string) => {
    await page.getByLabel('Your message').fill(text);
    await page.keyboard.press('Enter');
  };

  it('chats: greeting, typed message, quick reply, typing indicator, live agent message, reload', async () => {
    await page.goto(url);
    await expect(page.title()).resolves.toBe('Acme Support');
    await page.getByText('Hi! I am the Acme assistant.').waitFor();
    await expect(page.locator('#chat-log').getAttribute('aria-live')).resolves.toBe('polite');

    await page.getByRole('button', { name: 'Track my order' }).click();
    await page.getByText('Sure. What is your order number?').waitFor();
    expect(runtime.handled.at(-1)).toMatchObject({ kind: 'text', text: '/order_status' });
    // The customer sees the title they clicked; quick replies are spent once answered.
    expect(await messages()).toContain('Track my order');
    await expect(page.getByRole('button', { name: 'Talk to a person' }).isDisabled()).resolves.toBe(true);

    await send('hello there');
    await page.getByText('You said: hello there').waitFor();
    expect(await page.getByLabel('Your message').inputValue()).toBe('');

    await send('slow');
    await page.locator('#chat-typing').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-typing.png') });
    await page.getByText('Thanks for waiting.').waitFor();
    await page.locator('#chat-typing').waitFor({ state: 'hidden' });

    const sessionId = await page.evaluate(() => localStorage.getItem('parley.webchat.session'));
    expect(
      runtime.deliverNow(`webchat:${sessionId}`, {
        from: 'agent',
        agentName: 'Dana',
        text: 'Hi, Dana here.',
      }),
    ).toBe(1);
    await page.getByText('Hi, Dana here.').waitFor();
    const agent = page.locator('.msg--agent').last();
    await expect(agent.locator('.msg__author').textContent()).resolves.toBe('Dana (agent)');
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-conversation.png') });

    const before = await messages();
    await page.reload();
    await page.locator('#chat-status', { hasText: 'Online' }).waitFor();
    expect(await messages()).toEqual(before);
    expect(runtime.handled.filter((m) => m.kind === 'launch')).toHaveLength(1);
    expect(new Set(runtime.handled.map((m) => m.conversationId))).toEqual(new Set([`webchat:${sessionId}`]));
    expect(pageErrors).toEqual([]);
  });

  it('keeps a message the server could not take in the input, and resends it with the same id', async () => {
    outages = 1;
    await page.goto(url);
    await page.getByText('Hi! I am the Acme assistant.').waitFor();
    await send('store down');
    await page.getByText(/Your message was not delivered/).waitFor();
    // Not a word lost: the text is back in the box, ready to send again.
    expect(await page.getByLabel('Your message').inputValue()).toBe('store down');
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-unavailable.png') });
    await page.keyboard.press('Enter');
    await page.getByText('You said: store down').waitFor();
    expect(await page.getByLabel('Your message').inputValue()).toBe('');
    const attempts = runtime.handled.filter((m) => m.text === 'store down');
    expect(attempts).toHaveLength(2);
    // The same id both times, so the server can tell a retry from a second message.
    expect(attempts[1]?.messageId).toBe(attempts[0]?.messageId);
    expect(pageErrors).toEqual([]);
  });

  it('renders markup from the customer and the bot as text, and runs none of it', async () => {
    await page.goto(url);
    await page.getByText('Hi! I am the Acme assistant.').waitFor();
    await send('<img src=x onerror=alert(1)>');
    await page.getByText('Noted: <script>alert(1)</script>').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-xss.png') });

    const texts = await messages();
    expect(texts).toContain('<img src=x onerror=alert(1)>');
    expect(texts).toContain('Noted: <script>alert(1)</script>');
    expect(await page.locator('#chat-log img, #chat-log script').count()).toBe(0);
    // Give any injected handler a chance to fire before concluding nothing ran.
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('is usable from the keyboard alone', async () => {
    await page.goto(url);
    await page.getByText('Hi! I am the Acme assistant.').waitFor();
    await page.locator('#chat-status', { hasText: 'Online' }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Track my order');
    await page.keyboard.press('Enter');
    await page.getByText('Sure. What is your order number?').waitFor();
    // After a quick reply the focus is back in the message box, ready for the answer.
    await page.keyboard.type('A-1001');
    await page.keyboard.press('Enter');
    await page.getByText('You said: A-1001').waitFor();
  });

  it('opens from the embeddable widget on another site', async () => {
    // The shop is another origin (localhost vs 127.0.0.1) that the chat server lists as an embedder.
    await server.close();
    const shop = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>Shop</title><h1>Shop</h1>
        <script src="${url}/chat/widget.js" data-title="Chat with us"></script>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    const shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
    server = createHttpServer({ runtime, logger: memoryLogger(), webChat: { embedOrigins: [shopOrigin] } });
    url = (await server.listen(0)).url;
    try {
      await page.goto(shopOrigin);
      const launcher = page.getByRole('button', { name: 'Chat with us' });
      await launcher.click();
      await expect(launcher.getAttribute('aria-expanded')).resolves.toBe('true');
      const chat = page.frameLocator('iframe[title="Chat with us"]');
      await chat.getByText('Hi! I am the Acme assistant.').waitFor();
      await chat.getByLabel('Your message').fill('from the shop');
      await chat.getByLabel('Your message').press('Enter');
      await chat.getByText('You said: from the shop').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'webchat-widget.png') });
      await page.keyboard.press('Escape');
      // The key reaches the widget from inside the frame by message: wait for it rather than race it.
      await page.getByRole('button', { name: 'Chat with us', expanded: false }).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await new Promise((resolve) => shop.close(resolve));
    }
  });
});
