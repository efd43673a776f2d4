// Element builders for the desk: case list entries, badges, transcript lines, the summary and the
// customer panel. No state; every text goes in through textContent, never as HTML. Labels and sentences
// come from the server (CaseView, LineView, CustomerPanel in docs/desk-api.md).
import { formatWait } from './session.js';

export function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

export function formatTime(at) {
  const date = new Date(at);
  return isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function formatDate(at) {
  const date = new Date(at);
  return isNaN(date.getTime()) ? '' : date.toLocaleDateString();
}

const SENTIMENT_TONE = { negative: 'bad', neutral: '', positive: 'good' };
const PRIORITY_TONE = { high: 'bad', normal: '', low: '' };

/** Reason, priority, sentiment and SLA as labelled badges: a word for each, never a bare code or number. */
export function badges(view) {
  const items = [];
  const add = (name, label, tone) => {
    const badge = el('li', 'badge' + (tone ? ' badge--' + tone : ''), label);
    badge.setAttribute('data-badge', name);
    badge.title = name.charAt(0).toUpperCase() + name.slice(1) + ': ' + label;
    items.push(badge);
  };
  add('reason', view.reason.label, view.reason.code === 'complaint' ? 'warn' : '');
  add('priority', view.priority.label, PRIORITY_TONE[view.priority.code]);
  if (view.sentiment) add('sentiment', view.sentiment.label, SENTIMENT_TONE[view.sentiment.code]);
  if (view.intent) add('intent', view.intent.label, '');
  if (view.sla && view.sla.breached) add('sla', 'SLA breached', 'bad');
  return items;
}

const STATUS_WORDS = { queued: 'Waiting', assigned: 'Assigned', resolved: 'Handed back', closed: 'Closed' };

/** One list entry: customer (name or address), first request, badges, status, unread count and typing. */
export function caseItem(view, { selected, unread, typing }) {
  const entry = el('li');
  const button = el('button');
  button.type = 'button';
  button.setAttribute('data-case-id', view.id);
  button.setAttribute('aria-current', selected ? 'true' : 'false');
  const top = el('span', 'item__top');
  top.appendChild(el('span', 'item__title', view.customer.display));
  if (unread > 0) {
    const count = el('span', 'unread', String(unread));
    count.setAttribute('aria-label', unread + ' unread');
    count.setAttribute('data-unread', String(unread));
    top.appendChild(count);
  }
  button.appendChild(top);
  if (view.firstRequest) button.appendChild(el('span', 'item__request', '“' + view.firstRequest + '”'));
  const labels = el('span', 'badges');
  badges(view).forEach((badge) => {
    const span = el('span', badge.className, badge.textContent);
    labels.appendChild(span);
  });
  button.appendChild(labels);
  const sub = [STATUS_WORDS[view.status] || view.status, view.queue.label];
  if (view.owner) sub.push(view.owner.name);
  sub.push(view.status === 'queued' ? 'waiting ' + formatWait(view.waitMs) : formatTime(view.updatedAt));
  button.appendChild(el('span', 'item__sub', sub.join(' · ')));
  if (typing) button.appendChild(el('span', 'item__typing', typing));
  entry.appendChild(button);
  return entry;
}

/** One transcript line in plain words; the class comes from a fixed list, never from the line's data. */
export function lineElement(line) {
  const kind =
    line.kind === 'note'
      ? 'note'
      : line.kind === 'event'
        ? 'system'
        : ['customer', 'bot', 'agent'].includes(line.speaker)
          ? line.speaker
          : 'system';
  const item = el('li', 'line line--' + kind);
  if (line.event) item.setAttribute('data-event', line.event);
  const meta = [kind === 'note' ? 'Note by ' + line.by : line.by, formatTime(line.at)];
  if (line.channel) meta.push(line.channel);
  item.appendChild(el('span', 'line__meta', meta.join(' · ')));
  item.appendChild(el('p', 'line__text', line.text));
  return item;
}

/** Fills a <dl> with what the bot knew and tried, from the handoff package. */
export function fillSummary(list, pkg, view) {
  list.textContent = '';
  const slots = Object.keys(pkg.summary.slots || {}).map(
    (key) => key + ': ' + formatSlot(pkg.summary.slots[key]),
  );
  const rows = [
    ['Reason', view.reason.label + (view.detail ? ' — ' + view.detail : '')],
    ['First request', view.firstRequest || '—'],
    ['Last intent', view.intent ? view.intent.label : '—'],
    ['Collected', slots.length ? slots.join('\n') : '—'],
    ['The bot tried', pkg.summary.tried.length ? pkg.summary.tried.join('\n') : '—'],
  ];
  if (view.sentiment) rows.push(['Sentiment', view.sentiment.label]);
  if (view.language) rows.push(['Language', view.language]);
  rows.forEach(([term, value]) => {
    list.appendChild(el('dt', '', term));
    list.appendChild(el('dd', '', value));
  });
}

function formatSlot(value) {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

const CONSENT_TONE = { granted: 'good', refused: 'bad', not_asked: '' };

/** The customer panel: linked channels, consent per purpose, and previous cases with their outcome. */
export function fillCustomer(panel, targets, view) {
  const currentCaseId = view.id;
  targets.name.textContent = panel.name || view.customer.display;
  targets.channels.textContent = '';
  panel.channels.forEach((channel) => targets.channels.appendChild(el('li', '', channel.display)));
  if (!panel.channels.length) targets.channels.appendChild(el('li', 'muted', 'None linked'));
  targets.consent.textContent = '';
  panel.consent.forEach((item) => {
    const row = el('li', 'consent consent--' + (CONSENT_TONE[item.state] || 'none'), item.label);
    row.setAttribute('data-consent', item.state);
    targets.consent.appendChild(row);
  });
  if (!panel.consent.length) targets.consent.appendChild(el('li', 'muted', 'Nothing recorded'));
  targets.cases.textContent = '';
  const previous = panel.previousCases.filter((item) => item.id !== currentCaseId);
  previous.forEach((item) => {
    const row = el('li');
    row.setAttribute('data-case-id', item.id);
    row.appendChild(el('span', '', formatDate(item.createdAt) + ' · ' + item.reason.label + ' · '));
    row.appendChild(el('strong', '', item.outcome.label));
    targets.cases.appendChild(row);
  });
  if (!previous.length) targets.cases.appendChild(el('li', 'muted', 'No earlier cases'));
}
