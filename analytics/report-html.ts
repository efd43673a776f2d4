import type { DurationStats, Figures, AnalyticsReport } from './metrics';
import type { QuestionCluster } from './unanswered';

export interface ReportPage {
  title: string;
  report: AnalyticsReport;
  clusters: QuestionCluster[];
  /** The charting library's UMD build (Chart.js), inlined so the file works offline and alone. */
  chartLibrary: string;
  generatedAt: number;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const percent = (rate: number | null): string => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);
const minutes = (ms: number | null): string => (ms === null ? '–' : `${(ms / 60_000).toFixed(1)} min`);
const day = (at: number): string => new Date(at).toISOString().slice(0, 10);
// Inside <script>, a "</script>" or "<!--" in data or library must not end or confuse the element.
const scriptSafe = (text: string): string =>
  text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

function tiles(f: Figures): string {
  const tile = (label: string, value: string, hint: string) =>
    `<div class="tile"><div class="value">${escapeHtml(value)}</div><div class="label">${escapeHtml(label)}</div><div class="hint">${escapeHtml(hint)}</div></div>`;
  return [
    tile('Conversations', String(f.conversations), `${f.contained} without a person`),
    tile('Containment', percent(f.containment), 'resolved without a person'),
    tile('Escalation rate', percent(f.escalationRate), `${f.escalations} cases opened`),
    tile('Fallback rate', percent(f.fallbackRate), `${f.fallbacks} of ${f.botTurns} bot turns`),
    tile(
      'Repeat contact, 24 h',
      percent(f.repeatRate24h),
      `${f.repeatContacts24h} of ${f.contacts} contacts`,
    ),
    tile(
      'Repeat contact, 7 days',
      percent(f.repeatRate7d),
      `${f.repeatContacts7d} of ${f.contacts} contacts`,
    ),
    tile('Repeated information', String(f.repeatedInformation), 'values asked or given twice'),
    tile('…after a handoff', String(f.repeatedInformationAfterHandoff), 'must be 0'),
    tile('CSAT after hand-back', percent(f.csat), `${f.csatAnswers} answers`),
    tile('Queue wait (median)', minutes(f.queueWait.p50), `p90 ${minutes(f.queueWait.p90)}`),
    tile('First response (median)', minutes(f.firstResponse.p50), `p90 ${minutes(f.firstResponse.p90)}`),
    tile('Handle time (median)', minutes(f.handleTime.p50), `p90 ${minutes(f.handleTime.p90)}`),
    tile('Abandonment', percent(f.abandonmentRate), `${f.abandoned} cases not claimed in time`),
    tile('Complaints / cancellations', `${f.complaints} / ${f.cancellations}`, 'churn signal'),
  ].join('\n');
}

function table(title: string, rows: Record<string, Figures>): string {
  const entries = Object.entries(rows);
  if (entries.length === 0) return '';
  const stat = (s: DurationStats) => minutes(s.p50);
  const body = entries
    .map(
      ([key, f]) =>
        `<tr><th scope="row">${escapeHtml(key)}</th><td>${f.conversations}</td><td>${percent(f.containment)}</td><td>${f.escalations}</td><td>${percent(f.fallbackRate)}</td><td>${percent(f.repeatRate24h)}</td><td>${percent(f.repeatRate7d)}</td><td>${percent(f.csat)}</td><td>${stat(f.queueWait)}</td><td>${stat(f.firstResponse)}</td><td>${stat(f.handleTime)}</td><td>${percent(f.abandonmentRate)}</td><td>${f.complaints}</td><td>${f.cancellations}</td></tr>`,
    )
    .join('\n');
  return `<section><h2>${escapeHtml(title)}</h2><table><thead><tr><th scope="col"></th><th scope="col">Conversations</th><th scope="col">Containment</th><th scope="col">Cases</th><th scope="col">Fallback</th><th scope="col">Repeat 24 h</th><th scope="col">Repeat 7 d</th><th scope="col">CSAT</th><th scope="col">Wait p50</th><th scope="col">First resp. p50</th><th scope="col">Handle p50</th><th scope="col">Abandoned</th><th scope="col">Complaints</th><th scope="col">Cancellations</th></tr></thead><tbody>${body}</tbody></table></section>`;
}

function unanswered(clusters: QuestionCluster[]): string {
  if (clusters.length === 0)
    return '<section><h2>Unanswered questions</h2><p>None in this period.</p></section>';
  const rows = clusters
    .map(
      (c) =>
        `<tr><td>${c.count}</td><th scope="row">${escapeHtml(c.label)}</th><td><ul>${c.examples.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></td><td>${c.kinds.out_of_scope} out of scope, ${c.kinds.fallback} fallback</td><td>${escapeHtml(c.locales.join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<section><h2>Unanswered questions</h2><p>Out-of-scope and fallback messages, grouped by meaning with the NLU's own features: candidates for the next intents to add.</p><table><thead><tr><th scope="col">Count</th><th scope="col">Question</th><th scope="col">Examples</th><th scope="col">Kind</th><th scope="col">Languages</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The chart data, from the report only: what the page's script draws. */
function chartData(report: AnalyticsReport) {
  const days = Object.keys(report.byDay);
  const perDay = (pick: (f: Figures) => number | null) => days.map((d) => pick(report.byDay[d] as Figures));
  const queues = Object.keys(report.byQueue);
  const perQueue = (pick: (f: Figures) => number | null) =>
    queues.map((q) => {
      const value = pick(report.byQueue[q] as Figures);
      return value === null ? null : value / 60_000;
    });
  const channels = Object.keys(report.byChannel);
  return {
    days,
    conversations: perDay((f) => f.conversations),
    containment: perDay((f) => f.containment),
    fallbackRate: perDay((f) => f.fallbackRate),
    repeat24: perDay((f) => f.repeatRate24h),
    repeat7: perDay((f) => f.repeatRate7d),
    csat: perDay((f) => f.csat),
    complaints: perDay((f) => f.complaints),
    cancellations: perDay((f) => f.cancellations),
    reasons: report.overall.escalationReasons,
    channels,
    channelConversations: channels.map((c) => (report.byChannel[c] as Figures).conversations),
    channelContainment: channels.map((c) => (report.byChannel[c] as Figures).containment),
    queues,
    queueWait: perQueue((f) => f.queueWait.p50),
    firstResponse: perQueue((f) => f.firstResponse.p50),
    handle: perQueue((f) => f.handleTime.p50),
  };
}

const DRAW = `
const d = JSON.parse(document.getElementById('report-data').textContent);
Chart.defaults.animation = false;
const pct = { ticks: { callback: (v) => Math.round(v * 100) + '%' }, min: 0, max: 1 };
const chart = (id, config) => new Chart(document.getElementById(id), config);
chart('chart-volume', { data: { labels: d.days, datasets: [
  { type: 'bar', label: 'Conversations', data: d.conversations, yAxisID: 'y' },
  { type: 'line', label: 'Containment', data: d.containment, yAxisID: 'rate' } ] },
  options: { scales: { y: { beginAtZero: true }, rate: { position: 'right', ...pct } } } });
chart('chart-reasons', { type: 'doughnut', data: { labels: Object.keys(d.reasons),
  datasets: [{ label: 'Escalations', data: Object.values(d.reasons) }] } });
chart('chart-quality', { type: 'line', data: { labels: d.days, datasets: [
  { label: 'Fallback rate', data: d.fallbackRate }, { label: 'Repeat contact 24 h', data: d.repeat24 },
  { label: 'Repeat contact 7 days', data: d.repeat7 }, { label: 'CSAT', data: d.csat } ] },
  options: { scales: { y: pct } } });
chart('chart-channels', { data: { labels: d.channels, datasets: [
  { type: 'bar', label: 'Conversations', data: d.channelConversations, yAxisID: 'y' },
  { type: 'line', label: 'Containment', data: d.channelContainment, yAxisID: 'rate' } ] },
  options: { scales: { y: { beginAtZero: true }, rate: { position: 'right', ...pct } } } });
chart('chart-queues', { type: 'bar', data: { labels: d.queues, datasets: [
  { label: 'Queue wait p50 (min)', data: d.queueWait }, { label: 'First response p50 (min)', data: d.firstResponse },
  { label: 'Handle time p50 (min)', data: d.handle } ] }, options: { scales: { y: { beginAtZero: true } } } });
chart('chart-churn', { type: 'bar', data: { labels: d.days, datasets: [
  { label: 'Complaints', data: d.complaints }, { label: 'Cancellations', data: d.cancellations } ] },
  options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
`;

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header, main { max-width: 1180px; margin: 0 auto; padding: 16px 24px; }
h1 { margin: 8px 0 0; } h2 { margin: 28px 0 10px; font-size: 1.2em; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 10px; }
.tile { background: #fff; border-radius: 8px; padding: 10px 12px; box-shadow: 0 1px 2px #0002; }
.tile .value { font-size: 1.5em; font-weight: 600; } .tile .label { font-weight: 500; }
.tile .hint { color: #5b6475; font-size: .85em; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 14px; }
figure { background: #fff; margin: 0; padding: 12px; border-radius: 8px; box-shadow: 0 1px 2px #0002; }
figcaption { font-weight: 600; margin-bottom: 6px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: .9em; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
ul { margin: 0; padding-left: 18px; } .meta { color: #5b6475; }
`;

/** A self-contained HTML report: figures, charts drawn by the inlined library, tables and clusters. */
export function renderReportHtml(page: ReportPage): string {
  const { report } = page;
  const figure = (id: string, caption: string) =>
    `<figure><figcaption>${escapeHtml(caption)}</figcaption><canvas id="${id}" height="220" role="img" aria-label="${escapeHtml(caption)}"></canvas></figure>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(page.title)}</h1>
<p class="meta">${day(report.range.from)} to ${day(report.range.to - 1)} (UTC) · generated ${new Date(page.generatedAt).toISOString()}</p></header>
<main>
<section><h2>Overview</h2><div class="tiles">${tiles(report.overall)}</div></section>
<section><h2>Charts</h2><div class="charts">
${figure('chart-volume', 'Conversations and containment per day')}
${figure('chart-reasons', 'Escalation reasons')}
${figure('chart-quality', 'Fallback, repeat contact and CSAT per day')}
${figure('chart-channels', 'Conversations and containment per channel')}
${figure('chart-queues', 'Queue wait, first response and handle time per queue')}
${figure('chart-churn', 'Churn signal: complaints and cancellations per day')}
</div></section>
${unanswered(page.clusters)}
${table('By day', report.byDay)}
${table('By channel', report.byChannel)}
${table('By intent', report.byIntent)}
${table('By language', report.byLocale)}
${table('By queue', report.byQueue)}
</main>
<script type="application/json" id="report-data">${scriptSafe(JSON.stringify(chartData(report)))}</script>
<script>${scriptSafe(page.chartLibrary)}</script>
<script>${DRAW}</script>
</body></html>
`;
}
