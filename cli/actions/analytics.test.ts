import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../app/config';
import { analyticsDumpSchema } from '../../analytics/report';
import { computeReport } from '../../analytics/metrics';
import { reportCommand, simulateCommand } from './analytics';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}

describe('parley simulate, then parley report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-report-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({ LOG_LEVEL: 'silent' });

  it('simulates a seeded day through the acme bot and reports on it as JSON and as HTML', async () => {
    // A database nobody answers on: the simulation stays in memory, the report reads the file.
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nowhere' });
    const events = join(dir, 'day.json');
    const simulated = capture();
    await simulateCommand(
      config,
      { date: '2026-03-02', seed: '3', customers: '24', out: events, bot: 'acme' },
      simulated.io,
    );
    const dump = analyticsDumpSchema.parse(JSON.parse(readFileSync(events, 'utf8')));
    const types = new Set(dump.events.map((e) => e.type));
    for (const type of [
      'turn.completed',
      'case.opened',
      'case.claimed',
      'agent.replied',
      'satisfaction',
    ] as const) {
      expect(types).toContain(type);
    }
    expect(dump.events.every((e) => e.at >= Date.UTC(2026, 2, 2) && e.at < Date.UTC(2026, 2, 3))).toBe(true);
    expect(dump.questions.length).toBeGreaterThan(0);

    const html = join(dir, 'report.html');
    const reported = capture();
    await reportCommand(
      config,
      { from: '2026-03-02', to: '2026-03-02', out: html, json: true, events, bot: 'acme' },
      reported.io,
    );
    const figures = JSON.parse(reported.out.join('')) as ReturnType<typeof computeReport> & {
      unansweredQuestions: { count: number }[];
    };
    const period = { from: Date.UTC(2026, 2, 2), to: Date.UTC(2026, 2, 3) };
    const { unansweredQuestions, ...report } = figures;
    expect(report).toEqual(JSON.parse(JSON.stringify(computeReport(dump.events, period))));
    expect(report.overall.conversations).toBeGreaterThan(10);
    expect(report.overall.repeatedInformationAfterHandoff).toBe(0);
    expect(unansweredQuestions.reduce((sum, c) => sum + c.count, 0)).toBe(dump.questions.length);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<canvas id="chart-volume"');
    expect(page).toMatch(/Chart\.js v4/);
    expect(page).not.toMatch(/<script[^>]+src=/);
  }, 90_000);

  it('refuses a period that ends before it starts, and a report with nowhere to go', async () => {
    const { io } = capture();
    await expect(
      reportCommand(config, { from: '2026-03-05', to: '2026-03-01', json: true, bot: 'acme' }, io),
    ).rejects.toThrow('--to must be after --from');
    await expect(
      reportCommand(config, { from: '2026-03-01', to: '2026-03-02', json: false, bot: 'acme' }, io),
    ).rejects.toThrow('--out report.html, or --json');
    await expect(
      reportCommand(config, { from: '2026-03-01', to: '2026-03-02', json: true, bot: 'acme' }, io),
    ).rejects.toThrow('set DATABASE_URL');
  });
});
