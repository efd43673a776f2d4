import type { TranscriptEntry } from '../core/transcript';
import type { CustomerExport } from './privacy-service';

const escape = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const when = (at: number): string => new Date(at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

function lines(entries: TranscriptEntry[]): string {
  if (entries.length === 0) return '<p>No messages kept.</p>';
  const rows = entries.map(
    (e) =>
      `<tr><td>${escape(when(e.at))}</td><td>${escape(e.speaker)}</td><td>${escape(e.channel)}</td>` +
      `<td>${escape(e.text ?? e.event ?? '')}</td></tr>`,
  );
  return `<table><tr><th>When</th><th>Who</th><th>Channel</th><th>What</th></tr>${rows.join('')}</table>`;
}

function section(title: string, body: string): string {
  return `<section><h2>${escape(title)}</h2>${body}</section>`;
}

function list(items: string[], empty: string): string {
  return items.length === 0
    ? `<p>${escape(empty)}</p>`
    : `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

/**
 * The subject-access export as a page a customer can read: every section of the JSON export, in plain
 * words, everything escaped. The JSON stays the complete, machine-readable copy (GDPR Art. 20).
 */
export function renderExportHtml(data: CustomerExport): string {
  const body = [
    `<h1>Your data</h1><p>Everything we hold about you (customer ${escape(data.customerId)}), as of ${escape(when(data.generatedAt))}.</p>`,
    section(
      'Where you write from',
      list(
        data.addresses.map((a) => `${escape(a.channel)}: ${escape(a.userId)}`),
        'No addresses kept.',
      ),
    ),
    ...data.conversations.map((c) => section(`Conversation ${c.conversationId}`, lines(c.transcript))),
    section(
      'Cases handled by our agents',
      list(
        data.cases.map(
          (c) =>
            `Case ${escape(c.id)} (${escape(c.status)}, ${escape(c.package.reason)}), opened ${escape(when(c.createdAt))}${lines(c.package.transcript)}`,
        ),
        'No cases.',
      ),
    ),
    section(
      'Your consent',
      list(
        data.consent.map(
          (r) =>
            `${escape(r.purpose)}: ${r.granted ? 'yes' : 'no'} on ${escape(when(r.at))}` +
            ` (${escape(r.channel ?? 'unknown channel')}, ${escape(r.locale ?? '')}, wording ${escape(r.wordingVersion)})`,
        ),
        'You have not been asked for consent.',
      ),
    ),
    section(
      'What our channels remember',
      list(
        data.connectorValues.map((v) => `${escape(v.key)}: ${escape(JSON.stringify(v.value))}`),
        'Nothing.',
      ),
    ),
    section(
      'Analytics events',
      list(
        data.analytics.map((e) => escape(JSON.stringify(e))),
        'None.',
      ),
    ),
    section(
      'Who accessed your data',
      list(
        data.audit.map(
          (e) =>
            `${escape(when(e.at))}: ${escape(e.actor.kind)} ${escape(e.actor.id)} — ${escape(e.action)} ${escape(e.target)}`,
        ),
        'Nobody.',
      ),
    ),
  ].join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Your data</title>
<style>body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}</style>
</head><body>${body}</body></html>`;
}
