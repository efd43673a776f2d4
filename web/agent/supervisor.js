// Supervisor page: live queue lengths and waits, agents online, SLA breaches, and today's containment and
// CSAT. Loaded once from /api/supervisor/stats, then refreshed by `supervisor` frames on the desk socket.
import { createSession, formatWait } from './session.js';
import { el } from './render.js';

function $(id) {
  return document.getElementById(id);
}

const session = createSession({
  socketPath: document.body.getAttribute('data-socket-path') || '/api/agent/socket',
  onFrame: (frame) => {
    if (frame.type === 'supervisor') render(frame.stats);
    else if (frame.type === 'ready') $('sup-status').textContent = 'Live';
  },
  onSignedOut: (reason) => stop((reason || 'Signed out.') + ' Sign in again on the agent desk.'),
  onStatus: (text) => ($('sup-status').textContent = text),
});

function stop(message) {
  $('sup-body').hidden = true;
  $('sign-out').hidden = true;
  $('sup-message').textContent = message;
  $('sup-message').hidden = false;
  $('sup-status').textContent = '';
}

const percent = (value) => (value === null || value === undefined ? '—' : Math.round(value * 100) + '%');

function render(stats) {
  $('sup-body').hidden = false;
  const today = $('today');
  today.textContent = '';
  [
    ['Conversations', String(stats.today.conversations)],
    ['Containment', percent(stats.today.containment)],
    ['CSAT (satisfied)', percent(stats.today.csat)],
    ['Escalations', String(stats.today.escalations)],
    ['Agents online', String(stats.agents.filter((agent) => agent.online).length)],
    ['SLA breaches', String(stats.breaches.length)],
  ].forEach(([term, value]) => {
    const tile = el('div');
    tile.setAttribute('data-tile', term);
    tile.appendChild(el('dt', '', term));
    tile.appendChild(el('dd', '', value));
    today.appendChild(tile);
  });
  renderQueues(stats.queues);
  renderAgents(stats.agents);
  const breaches = $('breaches');
  breaches.textContent = '';
  const queueLabels = new Map(stats.queues.map((queue) => [queue.id, queue.label]));
  stats.breaches.forEach((breach) => {
    const queue = queueLabels.get(breach.queue) || breach.queue;
    const text = breach.title + ' — ' + queue + ', waiting ' + formatWait(breach.waitMs);
    const item = el('li', '', text + ' (SLA ' + formatWait(breach.slaMs) + ')');
    item.setAttribute('data-case-id', breach.caseId);
    breaches.appendChild(item);
  });
  if (!stats.breaches.length) breaches.appendChild(el('li', 'muted', 'None'));
  $('sup-status').textContent = 'Live · updated ' + new Date(stats.at).toLocaleTimeString();
}

function renderQueues(queues) {
  const body = $('queues').querySelector('tbody');
  body.textContent = '';
  queues.forEach((queue) => {
    const row = el('tr');
    row.setAttribute('data-queue', queue.id);
    const head = el('th', '', queue.label);
    head.scope = 'row';
    row.appendChild(head);
    [
      String(queue.queued),
      String(queue.assigned),
      formatWait(queue.longestWaitMs),
      formatWait(queue.averageWaitMs),
      formatWait(queue.slaMs),
      String(queue.breaches),
    ].forEach((value, index) => {
      row.appendChild(el('td', index === 5 && queue.breaches > 0 ? 'breached' : '', value));
    });
    body.appendChild(row);
  });
}

function renderAgents(agents) {
  const list = $('agents');
  list.textContent = '';
  agents.forEach((agent) => {
    const item = el('li', '', agent.name + ' — ' + (agent.online ? 'online' : 'offline'));
    item.setAttribute('data-agent', agent.username);
    item.appendChild(
      el('span', 'muted', ' · ' + agent.assigned + ' open case' + (agent.assigned === 1 ? '' : 's')),
    );
    list.appendChild(item);
  });
  $('agents-online').textContent =
    agents.filter((agent) => agent.online).length + ' of ' + agents.length + ' online';
}

$('sign-out').addEventListener('click', () => session.signOut());

(async () => {
  if (!session.hasToken()) return stop('Sign in on the agent desk first.');
  const me = await session.api('GET', '/api/agent/me');
  if (me.status !== 200) return;
  if (!(me.body.agent.roles || []).includes('supervisor')) {
    return stop('This page is for supervisors; ' + me.body.agent.name + ' is not one.');
  }
  $('sign-out').hidden = false;
  const answer = await session.api('GET', '/api/supervisor/stats');
  if (answer.status !== 200)
    return stop((answer.body && answer.body.detail) || 'Could not load the figures.');
  render(answer.body.stats || answer.body);
  session.connect();
})();
