import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { loadBotDefinition, startParley, type RunningParley } from '../../app/bootstrap';
import { loadConfig } from '../../app/config';
import { silentLogger } from '../../stores/silent-logger';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');

type Frame = { type: string; [key: string]: unknown };

/**
 * Typing both ways with the real Acme bot: the customer types in the web chat page and the agent's desk
 * socket hears it; the agent types and the page says "Sam is typing…".
 */
describe('typing indicators between web chat and the desk, in headless Chromium', () => {
  let browser: Browser;
  let parley: RunningParley;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const config = loadConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      PARLEY_DEMO_AGENT: 'sam:typing-test-password',
      PARLEY_AGENT_TOKEN_SECRET: 'typing-test-secret-0123456789',
    });
    parley = await startParley(loadBotDefinition('acme'), config, { logger: silentLogger });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await parley?.close();
  });

  it('shows the customer typing on the desk and the agent typing on the page', async () => {
    const url = parley.address.url;
    const page = await browser.newPage({ viewport: { width: 420, height: 700 } });
    page.setDefaultTimeout(8000);
    await page.goto(`${url}/`);
    await page.locator('#chat-log .msg--bot').first().waitFor();
    await page.fill('#chat-input', 'I want to talk to a human');
    await page.press('#chat-input', 'Enter');
    await page
      .locator('#chat-log .msg__text', { hasText: /colleague/ })
      .last()
      .waitFor();

    const login = await fetch(`${url}/api/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sam', password: 'typing-test-password' }),
    });
    const token = ((await login.json()) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    const list = await fetch(`${url}/api/cases?status=queued`, { headers: auth });
    const [item] = (
      (await list.json()) as { cases: { id: string; title: string; queue: { code: string } }[] }
    ).cases;
    if (!item) throw new Error('no case was opened');
    expect(item.title).toMatch(/^webchat .+ · I want to talk to a human$/);
    await fetch(`${url}/api/cases/${item.id}/claim`, { method: 'POST', headers: auth });

    const desk = new WebSocket(`${url.replace('http', 'ws')}/api/agent/socket?token=${token}`);
    const frames: Frame[] = [];
    desk.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Frame));
    await new Promise((resolve) => desk.once('open', resolve));
    const until = async (test: (f: Frame) => boolean) => {
      for (let i = 0; i < 400; i += 1) {
        const found = frames.find(test);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no such frame; got ${JSON.stringify(frames)}`);
    };
    await until((f) => f.type === 'ready');
    desk.send(JSON.stringify({ type: 'watch', caseId: item.id }));
    await new Promise((resolve) => setTimeout(resolve, 100));

    await page.locator('#chat-input').pressSequentially('where is my', { delay: 20 });
    expect(await until((f) => f.type === 'typing')).toEqual({
      type: 'typing',
      caseId: item.id,
      who: 'customer',
      active: true,
    });

    desk.send(JSON.stringify({ type: 'typing', caseId: item.id, active: true }));
    const indicator = page.locator('#chat-typing');
    await indicator.waitFor({ state: 'visible' });
    expect(await indicator.innerText()).toContain('Sam is typing…');
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-agent-typing.png') });
    desk.send(JSON.stringify({ type: 'typing', caseId: item.id, active: false }));
    await indicator.waitFor({ state: 'hidden' });
    desk.close();
  }, 60_000);
});
