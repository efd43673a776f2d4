// Parley agent desk: builds the DOM for queue entries, the case summary and transcript lines. Pure
// element builders, no state; every text goes in through textContent, never as HTML.
(function () {
  'use strict';

  function formatTime(at) {
    var date = new Date(at);
    return isNaN(date.getTime()) ? '' : date.toLocaleTimeString();
  }

  /** One queue entry: a button showing the customer, reason, channels, time and owner. */
  function queueItem(item, selected, onClick) {
    var entry = document.createElement('li');
    var button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('data-case-id', item.id);
    button.setAttribute('aria-current', selected ? 'true' : 'false');
    button.textContent = item.customerId;
    var sub = document.createElement('span');
    sub.className = 'queue__sub';
    var details = [item.reason, item.channels.join(', '), formatTime(item.createdAt)];
    if (item.owner) details.push(item.owner);
    sub.textContent = details.join(' · ');
    button.appendChild(sub);
    button.addEventListener('click', onClick);
    entry.appendChild(button);
    return entry;
  }

  /** Fills a <dl> with what the bot knew and tried, from the handoff package. */
  function fillSummary(list, pkg) {
    list.textContent = '';
    var slots = Object.keys(pkg.summary.slots || {}).map(function (key) {
      return key + ': ' + JSON.stringify(pkg.summary.slots[key]);
    });
    var reachable = (pkg.customer.identities || []).map(function (identity) {
      return identity.channel + ': ' + identity.id;
    });
    var rows = [
      ['Reason', pkg.reason + (pkg.detail ? ' — ' + pkg.detail : '')],
      ['Customer on', reachable.length ? reachable.join('\n') : '—'],
      ['Last intent', pkg.summary.lastIntent || '—'],
      ['Collected', slots.length ? slots.join('\n') : '—'],
      ['The bot tried', pkg.summary.tried.length ? pkg.summary.tried.join('\n') : '—'],
    ];
    if (typeof pkg.summary.sentiment === 'number') rows.push(['Sentiment', pkg.summary.sentiment.toFixed(2)]);
    rows.forEach(function (row) {
      var term = document.createElement('dt');
      term.textContent = row[0];
      var value = document.createElement('dd');
      value.textContent = row[1];
      list.appendChild(term);
      list.appendChild(value);
    });
  }

  function speakerLabel(line) {
    if (line.event === 'case.note') return 'Note by ' + (line.agent || 'agent');
    if (line.speaker === 'agent') return line.agent || 'Agent';
    if (line.speaker === 'customer') return 'Customer';
    if (line.speaker === 'bot') return 'Bot';
    return 'System';
  }

  function eventText(line) {
    var data = line.data ? ' ' + JSON.stringify(line.data) : '';
    return '[' + (line.event || 'event') + ']' + data;
  }

  /** A clicked button reads as its title, with the payload the bot received after it. */
  function said(line) {
    var label = line.data && typeof line.data.label === 'string' ? line.data.label : undefined;
    return label !== undefined && label !== line.text ? label + ' (' + line.text + ')' : line.text;
  }

  /** One transcript line; the class comes from a fixed list, never from the line's own data. */
  function lineElement(line) {
    var item = document.createElement('li');
    var kind = line.event === 'case.note' ? 'note' : line.text === undefined ? 'system' : line.speaker;
    if (['customer', 'bot', 'agent', 'system', 'note'].indexOf(kind) < 0) kind = 'system';
    item.className = 'line line--' + kind;
    var meta = document.createElement('span');
    meta.className = 'line__meta';
    var details = [speakerLabel(line), formatTime(line.at)];
    if (line.channel) details.push(line.channel);
    if (line.intent) {
      var confidence = typeof line.confidence === 'number' ? ' ' + line.confidence.toFixed(2) : '';
      details.push(line.intent + confidence);
    }
    meta.textContent = details.join(' · ');
    var text = document.createElement('p');
    text.className = 'line__text';
    text.textContent = line.text !== undefined ? said(line) : eventText(line);
    item.appendChild(meta);
    item.appendChild(text);
    return item;
  }

  window.ParleyDeskRender = { queueItem: queueItem, fillSummary: fillSummary, lineElement: lineElement };
})();
