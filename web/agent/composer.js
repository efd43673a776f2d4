// The reply composer: Enter / Ctrl+Enter sends, the canned-response picker (rendered for the case on the
// server, placeholders filled), and the agent's typing indicator sent over the socket.
import { el } from './render.js';

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;

function $(id) {
  return document.getElementById(id);
}

/**
 * @param {{ session: object, selectedCase: () => (string | null), canReply: () => boolean }} deps
 */
export function createComposer({ session, selectedCase, canReply }) {
  const reply = $('reply');
  const dialog = $('canned-dialog');
  let canned = [];
  let typingSentAt = 0;
  let typingCase = null;
  let idleTimer = null;

  reply.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('reply-form').requestSubmit();
    } else if (event.key === '/' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      openCanned();
    }
  });

  // Typing both ways: "active" at most every few seconds while keys come, "inactive" once they stop.
  reply.addEventListener('input', () => {
    const caseId = selectedCase();
    if (!caseId || !canReply()) return;
    const now = Date.now();
    if (typingCase !== caseId || now - typingSentAt > TYPING_REPEAT_MS) {
      session.send({ type: 'typing', caseId, active: true });
      typingSentAt = now;
      typingCase = caseId;
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  });

  function stopTyping() {
    clearTimeout(idleTimer);
    if (typingCase) session.send({ type: 'typing', caseId: typingCase, active: false });
    typingCase = null;
    typingSentAt = 0;
  }

  async function loadCanned(caseId) {
    canned = [];
    const answer = await session.api('GET', '/api/cases/' + encodeURIComponent(caseId) + '/canned');
    if (answer.status === 200 && selectedCase() === caseId) canned = answer.body.responses;
  }

  function renderCanned() {
    const filter = $('canned-search').value.trim().toLowerCase();
    const list = $('canned-list');
    list.textContent = '';
    const shown = canned.filter(
      (item) => !filter || (item.title + ' ' + item.text).toLowerCase().includes(filter),
    );
    shown.forEach((item) => {
      const entry = el('li');
      const button = el('button', '', item.title);
      button.type = 'button';
      button.setAttribute('data-canned-id', item.id);
      button.appendChild(el('span', '', item.text));
      if (item.missing.length) {
        button.appendChild(el('span', 'error', 'Fill in: ' + item.missing.join(', ')));
      }
      button.addEventListener('click', () => insert(item));
      entry.appendChild(button);
      list.appendChild(entry);
    });
    $('canned-empty').hidden = shown.length > 0;
  }

  /** Puts the response in the composer; the first unfilled placeholder is selected for typing over. */
  function insert(item) {
    dialog.close();
    reply.value = item.text;
    reply.focus();
    const gap = item.missing.length ? item.text.indexOf('{') : -1;
    if (gap >= 0) reply.setSelectionRange(gap, item.text.indexOf('}', gap) + 1);
    else reply.setSelectionRange(item.text.length, item.text.length);
  }

  function openCanned() {
    if (!selectedCase() || reply.disabled) return;
    $('canned-search').value = '';
    renderCanned();
    dialog.showModal();
    $('canned-search').focus();
  }

  $('open-canned').addEventListener('click', openCanned);
  $('canned-search').addEventListener('input', renderCanned);
  $('canned-search').addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter') {
      const first = $('canned-list').querySelector('button');
      if (first) {
        event.preventDefault();
        if (event.key === 'Enter') first.click();
        else first.focus();
      }
    }
  });
  $('canned-list').addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...$('canned-list').querySelectorAll('button')];
    const index = buttons.indexOf(document.activeElement);
    const next = buttons[index + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
  $('canned-cancel').addEventListener('click', () => dialog.close());
  $('canned-form').addEventListener('submit', (event) => event.preventDefault());
  dialog.addEventListener('close', () => reply.focus());

  return { loadCanned, stopTyping, openCanned };
}
