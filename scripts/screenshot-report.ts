// Screenshots an HTML report with headless Chromium: the whole page, and the top of it (for the README).
// Usage: npx tsx scripts/screenshot-report.ts report.html artifacts/analytics-report.png [docs/analytics-report.png]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

async function main(): Promise<void> {
  const [html, full, top] = process.argv.slice(2);
  if (!html || !full) throw new Error('usage: screenshot-report.ts <report.html> <full.png> [top.png]');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1240, height: 1100 } });
    await page.goto(pathToFileURL(resolve(html)).href, { waitUntil: 'load' });
    await page.screenshot({ path: full, fullPage: true });
    if (top)
      await page.screenshot({ path: top, type: 'png', clip: { x: 0, y: 0, width: 1240, height: 1100 } });
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
