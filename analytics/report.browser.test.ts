import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { handBuiltStream, PERIOD } from '../test/support/analytics-stream';
import { computeReport } from './metrics';
import { renderReportHtml } from './report-html';
import { clusterQuestions } from './unanswered';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'artifacts');

/** Words as dimensions: enough to group the test's questions, independent of any trained model. */
const words = (text: string) => {
  const ids = [...new Set(text.toLowerCase().match(/[a-z]+/g) ?? [])].map((w) =>
    [...w].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100_003, 7),
  );
  return { idx: ids, val: ids.map(() => 1) };
};

describe('the HTML report in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });
  afterAll(async () => browser?.close());

  it('draws every chart offline with the inlined library and shows the figures and clusters', async () => {
    const question = (text: string, kind: 'out_of_scope' | 'fallback' = 'out_of_scope') => ({
      at: PERIOD.from,
      conversationId: 'B',
      channel: 'sms',
      locale: 'en',
      kind,
      intent: 'out_of_scope',
      text,
    });
    const clusters = clusterQuestions(
      [
        question('do you sell phones'),
        question('do you sell mobile phones'),
        question('student discount please', 'fallback'),
      ],
      words,
    );
    const chartLibrary = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
    const html = renderReportHtml({
      title: 'Acme <support> analytics',
      report: computeReport(handBuiltStream(), PERIOD),
      clusters,
      chartLibrary,
      generatedAt: Date.UTC(2026, 2, 5),
    });
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent(html, { waitUntil: 'load' });
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => {
        const chart = (
          window as unknown as { Chart: { getChart(c: HTMLCanvasElement): unknown } }
        ).Chart.getChart(c);
        return chart !== undefined;
      }),
    );
    expect(drawn).toEqual([true, true, true, true, true, true]);
    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual([]);
    expect(await page.title()).toBe('Acme <support> analytics');
    const text = await page.locator('main').innerText();
    expect(text).toContain('40.0%\nContainment');
    expect(text).toContain('2 / 1\nComplaints / cancellations');
    const rows = await page.locator('section:has(h2:text("Unanswered questions")) tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^2\tdo you sell/);
    await page.screenshot({ path: join(ARTIFACTS, 'analytics-report-handbuilt.png'), fullPage: true });
    await page.close();
  }, 30_000);
});
