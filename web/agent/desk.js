// Parley agent desk: three panes (case list · conversation · customer and case details) over the JSON API
// and the live socket (docs/desk-api.md). Every text from customers, bots and agents goes into the page
// through textContent, never as HTML.
import { createSession } from './session.js';
import { badges, fillCustomer, fillSummary, lineElement, el } from './render.js';
import { createCaseList } from './case-list.js';
import { createComposer } from './composer.js';
import { createTransfer } from './transfer.js';
import { deskShortcuts, fillHelp, installShortcuts } from './keys.js';

const OPEN = ['queued', 'assigned'];
const EVENTS_KEY = 'parley.agent.showEvents';
const TYPING_TIMEOUT_MS = 8000;

function $(id) {
  return document.getElementById(id);
}

const state = { agent: null, selected: null, detail: null, pendingLines: null, typingTimer: null };

const session = createSession({
  socketPath: document.body.getAttribute('data-socket-path') || '/api/agent/socket',
  onFrame,
  onSignedOut: showSignIn,
  onStatus: (text) => ($('desk-status').textContent = text),
});
const list = createCaseList({
  session,
  me: () => state.agent.username,
  selected: () => state.selected,
  onOpen: open,
  onChange: (view) => {
    if (view.id === state.selected && state.detail) {
      state.detail.view = view;
      renderHeader();
      loadCustomer(view.id);
    }
  },
});
const composer = createComposer({ session, selectedCase: () => state.selected, canReply: () => isMine() });
const transfer = createTransfer({
  session,
  isSupervisor: () => hasRole('supervisor'),
  current: () => (state.detail ? state.detail.view : null),
  act,
});

function hasRole(role) {
  return Boolean(state.agent && (state.agent.roles || []).includes(role));
}

function isMine() {
  const view = state.detail && state.detail.view;
  return Boolean(
    view && view.status === 'assigned' && view.owner && view.owner.username === state.agent.username,
  );
}

function showError(id, text) {
  $(id).textContent = text || '';
  $(id).hidden = !text;
}

function announce(text) {
  // Cleared first so the same words twice are still announced.
  $('announcer').textContent = '';
  setTimeout(() => ($('announcer').textContent = text), 50);
}

// ---- sign in / out ------------------------------------------------------------------------------------

function showSignIn(reason) {
  state.agent = null;
  state.selected = null;
  state.detail = null;
  $('sign-in').hidden = false;
  $('desk').hidden = true;
  $('desk-agent').hidden = true;
  $('desk-status').textContent = '';
  showError('signed-out-reason', reason || '');
  $('username').focus();
}

function start(agent) {
  state.agent = agent;
  $('sign-in').hidden = true;
  $('desk').hidden = false;
  $('desk-agent').hidden = false;
  $('desk-agent-name').textContent = agent.name + ' (' + agent.username + ')';
  $('supervisor-link').hidden = !hasRole('supervisor');
  setPane('list');
  session.connect();
  list.loadQueues();
  list.load();
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('sign-in-error', '');
  const result = await session.signIn($('username').value.trim(), $('password').value);
  if (!result.ok) return showError('sign-in-error', result.error);
  $('password').value = '';
  showError('signed-out-reason', '');
  start(result.agent);
});
$('sign-out').addEventListener('click', () => session.signOut());

// ---- panes (one at a time on a phone) -----------------------------------------------------------------

function setPane(view) {
  $('desk').setAttribute('data-view', view);
}

$('back-to-list').addEventListener('click', back);
$('show-details').addEventListener('click', details);
$('back-to-case').addEventListener('click', () => {
  setPane('case');
  $('case-title').focus();
});

function back() {
  setPane('list');
  list.focusCurrent();
}

function details() {
  if (!state.detail) return;
  setPane('details');
  $('details-title').setAttribute('tabindex', '-1');
  $('details-title').focus();
}

// ---- the open case ------------------------------------------------------------------------------------

/** The case's action controls, enabled by `renderHeader` from the loaded case. */
const ACTIONS = [
  'claim',
  'transfer',
  'hand-back',
  'close-case',
  'reply',
  'send-reply',
  'open-canned',
  'note',
  'add-note',
];

/** Opens a case; focus follows to the conversation so the keyboard can go on from there. */
async function open(id) {
  state.selected = id;
  state.detail = null;
  state.pendingLines = [];
  showError('case-error', '');
  $('transcript').textContent = '';
  setTypingText('');
  $('suggestions').hidden = true;
  setPane('case');
  const cached = list.view(id);
  $('case-empty').hidden = true;
  $('case-body').hidden = false;
  $('case-title').textContent = cached ? cached.title : 'Loading…';
  // Until this case has loaded, its actions stay off: a quick "c" must not act on the previous case's state.
  ACTIONS.forEach((button) => ($(button).disabled = true));
  $('case-title').focus();
  list.setUnread(id, 0);
  session.send({ type: 'watch', caseId: id });
  const answer = await session.api('GET', '/api/cases/' + encodeURIComponent(id));
  if (state.selected !== id) return;
  if (answer.status !== 200)
    return showError('case-error', 'Could not load the case (' + answer.status + ').');
  state.detail = answer.body;
  list.remember(answer.body.view);
  renderHeader();
  renderDetails();
  const transcript = $('transcript');
  answer.body.lines.forEach((line) => transcript.appendChild(lineElement(line)));
  flushPendingLines(answer.body.lines);
  stickToBottom = true;
  scrollToEnd();
  markRead(id, 0);
  loadCustomer(id);
  loadSuggestions(id);
  composer.loadCanned(id);
}

function renderHeader() {
  const view = state.detail.view;
  $('case-title').textContent = view.title;
  const meta = [view.queue.label + ' queue', view.channels.join(', ')];
  meta.push(view.owner ? 'Owner: ' + view.owner.name : 'Not claimed yet');
  $('case-meta').textContent = meta.join(' · ');
  const list = $('case-badges');
  list.textContent = '';
  badges(view).forEach((badge) => list.appendChild(badge));
  const mine = isMine();
  const open = OPEN.includes(view.status);
  $('claim').disabled = view.status !== 'queued';
  $('transfer').disabled = !open || !(mine || hasRole('supervisor'));
  $('hand-back').disabled = !mine;
  $('close-case').disabled = !mine;
  ['reply', 'send-reply', 'open-canned'].forEach((id) => ($(id).disabled = !mine));
  $('note').disabled = !open;
  $('add-note').disabled = !open;
}

function renderDetails() {
  $('details-empty').hidden = true;
  $('details-body').hidden = false;
  fillSummary($('summary'), state.detail.case.package, state.detail.view);
}

async function loadCustomer(id) {
  const answer = await session.api('GET', '/api/cases/' + encodeURIComponent(id) + '/customer');
  if (answer.status !== 200 || state.selected !== id || !state.detail) return;
  fillCustomer(
    answer.body,
    {
      name: $('customer-name'),
      channels: $('customer-channels'),
      consent: $('customer-consent'),
      cases: $('customer-cases'),
    },
    state.detail.view,
  );
}

// Lines read while the case is open are marked in batches; opening a case marks it at once.
let readTimer = null;
function markRead(id, delay = 300) {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (state.selected === id) session.api('POST', '/api/cases/' + encodeURIComponent(id) + '/read');
  }, delay);
}

// The conversation stays scrolled to its newest line unless the agent scrolled up to read.
let stickToBottom = true;
const scroller = $('transcript').parentElement;
function scrollToEnd() {
  if (stickToBottom) scroller.scrollTop = scroller.scrollHeight;
}
scroller.addEventListener('scroll', () => {
  stickToBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
});
new ResizeObserver(scrollToEnd).observe(scroller);

function addLine(line) {
  $('transcript').appendChild(lineElement(line));
  scrollToEnd();
}

const lineKey = (line) => [line.at, line.speaker, line.event || '', line.text].join('\u0000');

/** Lines that came over the socket while loading: skip those the loaded transcript already has. */
function flushPendingLines(lines) {
  const known = new Set(lines.slice(-30).map(lineKey));
  const waiting = state.pendingLines || [];
  state.pendingLines = null;
  waiting.filter((line) => !known.has(lineKey(line))).forEach(addLine);
}

async function loadSuggestions(id) {
  const answer = await session.api('GET', '/api/cases/' + encodeURIComponent(id) + '/suggestions');
  if (answer.status !== 200 || state.selected !== id || !answer.body.suggestions.length) return;
  const box = $('suggestion-list');
  box.textContent = '';
  answer.body.suggestions.forEach((suggestion) => {
    const button = el('button', '', suggestion.text);
    button.type = 'button';
    button.addEventListener('click', () => {
      $('reply').value = suggestion.text;
      $('reply').focus();
    });
    box.appendChild(button);
  });
  $('suggestions').hidden = false;
}

/** Posts an action on the open case; the case frame that follows updates the header and the list. */
async function act(path, body) {
  const id = state.selected;
  if (!id) return { ok: false };
  showError('case-error', '');
  const answer = await session.api('POST', '/api/cases/' + encodeURIComponent(id) + path, body);
  if (answer.status >= 200 && answer.status < 300) return { ok: true };
  const detail = (answer.body && answer.body.detail) || 'That did not work (' + answer.status + ').';
  showError('case-error', detail);
  return { ok: false, detail };
}

$('claim').addEventListener('click', () => act('/claim'));
$('hand-back').addEventListener('click', () => act('/resolve', { handBack: true }));
$('close-case').addEventListener('click', () => act('/resolve', { handBack: false }));
$('reply-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('reply').value.trim();
  if (!text || !isMine()) return;
  composer.stopTyping();
  await sendClearingField('reply', () => act('/messages', { text }));
});
$('note-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('note').value.trim();
  if (text) await sendClearingField('note', () => act('/notes', { text }));
});

// The field empties as the message leaves (the live stream may show it before the POST answers), and the
// text comes back if sending failed and the agent has not started writing something else.
async function sendClearingField(fieldId, send) {
  const field = $(fieldId);
  const text = field.value;
  field.value = '';
  const result = await send();
  if (!result.ok && field.value === '') field.value = text;
}

// ---- system events filter ----------------------------------------------------------------------------

function showEvents(show) {
  $('show-events').checked = show;
  $('transcript').classList.toggle('transcript--no-events', !show);
  try {
    localStorage.setItem(EVENTS_KEY, show ? 'show' : 'hide');
  } catch {
    /* the choice just is not remembered */
  }
}
$('show-events').addEventListener('change', () => showEvents($('show-events').checked));
showEvents(
  (() => {
    try {
      return localStorage.getItem(EVENTS_KEY) !== 'hide';
    } catch {
      return true;
    }
  })(),
);

// ---- live frames --------------------------------------------------------------------------------------

function setTypingText(text) {
  $('typing').textContent = text;
}

function onTyping(frame) {
  const who = frame.who === 'customer' ? 'The customer' : frame.name || 'Another agent';
  const text = frame.active ? who + ' is typing…' : '';
  list.setTyping(frame.caseId, text);
  if (frame.caseId !== state.selected) return;
  setTypingText(text);
  // A lost "stopped typing" frame must not leave the indicator on for ever.
  clearTimeout(state.typingTimer);
  if (frame.active) {
    state.typingTimer = setTimeout(() => {
      setTypingText('');
      list.setTyping(frame.caseId, '');
    }, TYPING_TIMEOUT_MS);
  }
}

function onLine(frame) {
  if (frame.caseId !== state.selected || !frame.line) return;
  if (state.pendingLines) return state.pendingLines.push(frame.line);
  addLine(frame.line);
  if (frame.line.speaker === 'customer' && frame.line.kind === 'message') {
    setTypingText('');
    list.setTyping(frame.caseId, '');
    announce('Customer: ' + frame.line.text);
  }
  markRead(frame.caseId);
}

function onFrame(frame) {
  if (frame.type === 'ready') {
    $('desk-status').textContent = 'Live';
    if (state.selected) session.send({ type: 'watch', caseId: state.selected });
    list.load();
  } else if (frame.type === 'case' && frame.view) list.update(frame.view);
  else if (frame.type === 'line') onLine(frame);
  else if (frame.type === 'typing') onTyping(frame);
  else if (frame.type === 'unread' && frame.caseId !== state.selected) {
    list.setUnread(frame.caseId, frame.unread);
    if (frame.unread > 0) announce('New message in a case (' + frame.unread + ' unread)');
  }
}

// ---- keyboard ---------------------------------------------------------------------------------------

const shortcuts = deskShortcuts({
  next: () => list.move(1),
  previous: () => list.move(-1),
  search: () => $('case-search').focus(),
  view: (key) => list.setView(Number(key) - 1),
  reply: () => !$('reply').disabled && $('reply').focus(),
  note: () => !$('note').disabled && $('note').focus(),
  claim: () => !$('claim').disabled && $('claim').click(),
  transfer: () => transfer.open(),
  events: () => showEvents(!$('show-events').checked),
  details,
  back,
  help: () => $('help').showModal(),
});
fillHelp($('help-list'), shortcuts);
$('open-help').addEventListener('click', () => $('help').showModal());
installShortcuts(shortcuts, () => state.agent !== null && !document.querySelector('dialog[open]'));

// ---- start --------------------------------------------------------------------------------------------

(async () => {
  if (!session.hasToken()) return showSignIn(session.takeSignedOutReason());
  const answer = await session.api('GET', '/api/agent/me');
  if (answer.status === 200) start(answer.body.agent);
  else if (answer.status !== 401)
    showSignIn('Could not reach the server (' + answer.status + '). Please sign in again.');
})();
