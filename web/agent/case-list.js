// The case list pane: status views, queue filter, search (on the server), unread counts and typing
// marks, and moving through the list with the keyboard (a roving tab stop: one entry is tabbable).
import { caseItem } from './render.js';

const VIEWS = ['open', 'queued', 'mine', 'resolved', 'closed'];
const FIELDS = ['customer', 'intent', 'agent', 'queue', 'from', 'to'];

/** "late parcel agent:sam from:2026-12-01" → { q: 'late parcel', agent: 'sam', from: '2026-12-01' }. */
export function parseSearch(text) {
  const params = {};
  const words = [];
  text
    .trim()
    .split(/\s+/)
    .forEach((part) => {
      const field = /^([a-z]+):(.+)$/i.exec(part);
      if (field && FIELDS.includes(field[1].toLowerCase())) params[field[1].toLowerCase()] = field[2];
      else if (part) words.push(part);
    });
  if (words.length) params.q = words.join(' ');
  return params;
}
const SEARCH_DELAY_MS = 250;

function $(id) {
  return document.getElementById(id);
}

/**
 * @param {{ session: object, me: () => string, selected: () => (string | null), onOpen: (id: string) => void,
 *   onChange: (view: object) => void }} deps
 */
export function createCaseList({ session, me, selected, onOpen, onChange }) {
  const state = { view: 'open', ids: [], views: {}, unread: {}, typing: {}, loading: 0 };
  let searchTimer = null;
  let reloadTimer = null;

  function query() {
    const params = new URLSearchParams();
    params.set('status', state.view === 'mine' ? 'assigned' : state.view);
    if (state.view === 'mine') params.set('agent', me());
    const search = parseSearch($('case-search').value);
    Object.keys(search).forEach((key) => params.set(key, search[key]));
    const queue = $('queue-filter').value;
    if (queue) params.set('queue', queue);
    return params.toString();
  }

  async function load() {
    const ticket = ++state.loading;
    const answer = await session.api('GET', '/api/cases?' + query());
    if (ticket !== state.loading) return;
    if (answer.status !== 200) {
      state.ids = [];
      const detail = answer.body && answer.body.detail;
      if (answer.status === 400 && detail) render('Search not understood: ' + detail);
      else render(detail ? 'Could not load cases: ' + detail : 'Could not load cases.');
      return;
    }
    state.ids = answer.body.cases.map((view) => view.id);
    answer.body.cases.forEach((view) => {
      state.views[view.id] = view;
      if (typeof view.unread === 'number') state.unread[view.id] = view.unread;
    });
    render();
  }

  /** A case frame: update it in place now, and fetch the list again shortly (membership may change). */
  function update(view) {
    state.views[view.id] = view;
    render();
    onChange(state.views[view.id]);
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(load, 300);
  }

  function setUnread(id, count) {
    state.unread[id] = count;
    render();
  }

  function setTyping(id, text) {
    if (text) state.typing[id] = text;
    else delete state.typing[id];
    render();
  }

  function render(problem) {
    const list = $('case-list');
    const focusedId = document.activeElement && document.activeElement.getAttribute('data-case-id');
    list.textContent = '';
    const current = selected();
    state.ids.forEach((id) => {
      const view = state.views[id];
      const entry = caseItem(view, {
        selected: id === current,
        unread: id === current ? 0 : state.unread[id] || 0,
        typing: state.typing[id],
      });
      const button = entry.firstChild;
      button.tabIndex = -1;
      button.addEventListener('click', () => onOpen(id));
      list.appendChild(entry);
    });
    const buttons = entryButtons();
    const stop = buttons.find((b) => b.dataset.caseId === (focusedId || current)) || buttons[0];
    if (stop) stop.tabIndex = 0;
    // Re-rendering must not lose the keyboard's place in the list.
    if (focusedId) {
      const again = buttons.find((b) => b.dataset.caseId === focusedId);
      if (again) again.focus();
    }
    $('list-empty').textContent = problem || 'No cases here.';
    $('list-empty').hidden = state.ids.length > 0;
    document.querySelectorAll('#status-tabs button').forEach((tab) => {
      tab.setAttribute('aria-pressed', String(tab.dataset.view === state.view));
    });
  }

  function entryButtons() {
    return [...$('case-list').querySelectorAll('button[data-case-id]')];
  }

  /** j/k: the next or previous entry takes focus (Enter then opens it). */
  function move(step) {
    const buttons = entryButtons();
    if (!buttons.length) return;
    const from = buttons.findIndex(
      (b) =>
        b === document.activeElement ||
        (!buttons.includes(document.activeElement) && b.dataset.caseId === selected()),
    );
    const index = from < 0 ? 0 : Math.min(buttons.length - 1, Math.max(0, from + step));
    buttons.forEach((b) => (b.tabIndex = -1));
    buttons[index].tabIndex = 0;
    buttons[index].focus();
    buttons[index].scrollIntoView({ block: 'nearest' });
  }

  function focusCurrent() {
    const buttons = entryButtons();
    const target = buttons.find((b) => b.dataset.caseId === selected()) || buttons[0];
    if (target) target.focus();
    else $('case-search').focus();
  }

  function setView(view) {
    if (!VIEWS.includes(view)) return;
    state.view = view;
    state.ids = [];
    render();
    load();
  }

  $('status-tabs').addEventListener('click', (event) => {
    const tab = event.target.closest('button[data-view]');
    if (tab) setView(tab.dataset.view);
  });
  $('case-search').addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(load, SEARCH_DELAY_MS);
  });
  $('case-search').addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      move(0);
    }
  });
  $('queue-filter').addEventListener('change', load);

  async function loadQueues() {
    const answer = await session.api('GET', '/api/queues');
    if (answer.status !== 200) return [];
    const select = $('queue-filter');
    select.querySelectorAll('option[value]:not([value=""])').forEach((option) => option.remove());
    answer.body.queues.forEach((queue) => {
      const option = document.createElement('option');
      option.value = queue.id;
      option.textContent = queue.label + ' (' + queue.queued + ' waiting)';
      select.appendChild(option);
    });
    return answer.body.queues;
  }

  return {
    load,
    loadQueues,
    update,
    setUnread,
    setTyping,
    render,
    move,
    focusCurrent,
    setView: (index) => setView(VIEWS[index]),
    view: (id) => state.views[id],
    remember: (view) => {
      state.views[view.id] = view;
    },
  };
}
