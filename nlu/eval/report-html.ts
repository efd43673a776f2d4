import { OUT_OF_SCOPE } from '../../core/nlu';
import type { EvalResult } from './evaluate';

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Rows are gold intents, columns predictions; colour is the row share so small intents still show. */
function confusionSvg(result: EvalResult): string {
  const rows = result.labels;
  const cols = [...rows, OUT_OF_SCOPE];
  const cell = Math.max(14, Math.min(28, Math.floor(600 / cols.length)));
  const margin = 150;
  const counts = new Map<string, number>();
  for (const p of result.predictions)
    counts.set(`${p.gold}|${p.predicted}`, (counts.get(`${p.gold}|${p.predicted}`) ?? 0) + 1);
  const rowTotal = new Map<string, number>();
  for (const p of result.predictions) rowTotal.set(p.gold, (rowTotal.get(p.gold) ?? 0) + 1);
  const parts: string[] = [];
  rows.forEach((gold, r) => {
    parts.push(
      `<text x="${margin - 6}" y="${margin + r * cell + cell * 0.7}" text-anchor="end" font-size="11">${escape(gold)}</text>`,
    );
    cols.forEach((predicted, c) => {
      const n = counts.get(`${gold}|${predicted}`) ?? 0;
      const share = n / Math.max(1, rowTotal.get(gold) ?? 0);
      const hue = gold === predicted ? 140 : 0;
      const fill = n === 0 ? '#f7f7f7' : `hsl(${hue},70%,${Math.round(95 - share * 55)}%)`;
      const x = margin + c * cell;
      const y = margin + r * cell;
      parts.push(
        `<rect x="${x}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${escape(gold)} → ${escape(predicted)}: ${n}</title></rect>`,
      );
      if (n > 0 && cell >= 18) {
        parts.push(
          `<text x="${x + cell / 2}" y="${y + cell * 0.68}" text-anchor="middle" font-size="10">${n}</text>`,
        );
      }
    });
  });
  cols.forEach((label, c) => {
    const x = margin + c * cell + cell * 0.7;
    parts.push(
      `<text transform="translate(${x},${margin - 6}) rotate(-60)" font-size="11">${escape(label)}</text>`,
    );
  });
  const width = margin + cols.length * cell + 90;
  const height = margin + rows.length * cell + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="confusion matrix">${parts.join('')}</svg>`;
}

/** Stacked bars of held-out top confidences: right guesses in green, wrong ones in red. */
function histogramSvg(result: EvalResult, threshold: number): string {
  const bins = 20;
  const right = new Array<number>(bins).fill(0);
  const wrong = new Array<number>(bins).fill(0);
  for (const p of result.predictions) {
    const b = Math.min(bins - 1, Math.floor(p.topConfidence * bins));
    if (p.top === p.gold) right[b]++;
    else wrong[b]++;
  }
  const max = Math.max(1, ...right.map((r, i) => r + wrong[i]));
  const w = 560;
  const h = 220;
  const left = 40;
  const bw = w / bins;
  const scale = (n: number): number => (n / max) * (h - 30);
  const parts: string[] = [];
  for (let i = 0; i < bins; i++) {
    const x = left + i * bw;
    const hr = scale(right[i]);
    const hw = scale(wrong[i]);
    parts.push(
      `<rect x="${x}" y="${h - hr}" width="${bw - 2}" height="${hr}" fill="#3a9d5d"><title>${right[i]} right</title></rect>`,
    );
    parts.push(
      `<rect x="${x}" y="${h - hr - hw}" width="${bw - 2}" height="${hw}" fill="#d9534f"><title>${wrong[i]} wrong</title></rect>`,
    );
  }
  const tx = left + threshold * w;
  parts.push(`<line x1="${tx}" x2="${tx}" y1="10" y2="${h}" stroke="#333" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${tx + 4}" y="20" font-size="11">threshold ${threshold}</text>`);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<text x="${left + t * w}" y="${h + 14}" font-size="10" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<text x="4" y="20" font-size="10">${max}</text><text x="4" y="${h}" font-size="10">0</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w + left + 10}" height="${h + 24}" role="img" aria-label="confidence histogram">${parts.join('')}</svg>`;
}

/** Reliability diagram: a calibrated model's bars touch the diagonal. */
function reliabilitySvg(result: EvalResult): string {
  const size = 240;
  const left = 30;
  const parts: string[] = [
    `<line x1="${left}" y1="${size}" x2="${left + size}" y2="0" stroke="#999" stroke-dasharray="4 3"/>`,
  ];
  for (const bin of result.calibration.bins) {
    if (bin.count === 0) continue;
    const x = left + bin.from * size;
    const bh = bin.accuracy * size;
    parts.push(
      `<rect x="${x}" y="${size - bh}" width="${(bin.to - bin.from) * size - 2}" height="${bh}" fill="#4a7bd0" opacity="0.8"><title>confidence ${pct(bin.meanConfidence)}, accuracy ${pct(bin.accuracy)}, ${bin.count} phrases</title></rect>`,
    );
    parts.push(
      `<circle cx="${left + bin.meanConfidence * size}" cy="${size - bin.accuracy * size}" r="3" fill="#222"/>`,
    );
  }
  parts.push(
    `<text x="${left}" y="${size + 14}" font-size="10">0</text><text x="${left + size - 6}" y="${size + 14}" font-size="10">1</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size + left + 10}" height="${size + 20}" role="img" aria-label="reliability diagram">${parts.join('')}</svg>`;
}

function tables(result: EvalResult): string {
  const perLabel = result.metrics.perLabel
    .map(
      (l) =>
        `<tr><td>${escape(l.label)}</td><td>${pct(l.precision)}</td><td>${pct(l.recall)}</td><td>${pct(l.f1)}</td><td>${l.support}</td></tr>`,
    )
    .join('');
  const confusions = result.metrics.confusions
    .slice(0, 15)
    .map((c) => `<tr><td>${escape(c.gold)}</td><td>${escape(c.predicted)}</td><td>${c.count}</td></tr>`)
    .join('');
  const misses = result.predictions
    .filter((p) => p.predicted !== p.gold)
    .sort((a, b) => b.topConfidence - a.topConfidence)
    .slice(0, 40)
    .map(
      (p) =>
        `<tr><td>${escape(p.text)}</td><td>${escape(p.gold)}</td><td>${escape(p.predicted)}</td><td>${escape(p.top)} ${pct(p.topConfidence)}</td></tr>`,
    )
    .join('');
  return `
<h2>Per intent</h2><table><tr><th>intent</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>${perLabel}</table>
<h2>Worst confusions</h2><table><tr><th>gold</th><th>predicted</th><th>count</th></tr>${confusions}</table>
<h2>Misclassified phrases (most confident first)</h2><table><tr><th>phrase</th><th>gold</th><th>verdict</th><th>top guess</th></tr>${misses}</table>`;
}

/** A self-contained page: inline SVG pictures, no scripts, nothing fetched. */
export function renderReport(result: EvalResult, botName: string): string {
  const s = result.summary;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NLU report: ${escape(botName)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin-bottom:16px}td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px;text-align:left}
.cards{display:flex;gap:16px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:22px}.row{display:flex;gap:32px;flex-wrap:wrap;align-items:flex-start}
</style></head><body>
<h1>NLU report: ${escape(botName)}</h1>
<p>${s.folds}-fold cross-validation over ${s.phrases} phrases (${s.languages.join(', ')}); every phrase was classified by a model that did not see it. Threshold ${s.threshold}.</p>
<div class="cards">
<div class="card"><b>${pct(s.accuracy)}</b>accuracy</div>
<div class="card"><b>${pct(s.topAccuracy)}</b>top guess right (no threshold)</div>
<div class="card"><b>${pct(s.macroF1)}</b>macro-F1</div>
<div class="card"><b>${s.ece.toFixed(3)}</b>calibration error (ECE)</div>
<div class="card"><b>${pct(s.outOfScopeRate)}</b>sent to out_of_scope</div>
</div>
<h2>Confusion matrix</h2>
<p>Rows: the intent a phrase belongs to. Columns: what the model said. Green diagonal is right; red is a confusion.</p>
${confusionSvg(result)}
<div class="row">
<div><h2>Confidence histogram</h2>${histogramSvg(result, s.threshold)}</div>
<div><h2>Calibration</h2><p>Accuracy per confidence bin (bars) against the diagonal.</p>${reliabilitySvg(result)}</div>
</div>
${tables(result)}
</body></html>
`;
}
