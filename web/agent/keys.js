// Keyboard shortcuts: one table drives both the handler and the help overlay, so they cannot disagree.
// Single-key shortcuts are ignored while typing in a field; the field's own keys (Enter, Ctrl+Enter,
// Ctrl+/) are handled by the composer.

/** @typedef {{ keys: string[], label: string, run?: () => void, inField?: boolean, help?: string }} Shortcut */

export const FIELD_SHORTCUTS = [
  { help: 'Enter or Ctrl+Enter', label: 'Send the reply (Shift+Enter: new line)' },
  { help: 'Ctrl+/', label: 'Pick a canned response (in the reply box)' },
  { help: 'Esc', label: 'Leave the field (then the other shortcuts work)' },
];

/** @param {{ [name: string]: () => void }} actions */
export function deskShortcuts(actions) {
  return [
    { keys: ['j', 'ArrowDown'], help: 'j or ↓', label: 'Next case in the list', run: actions.next },
    { keys: ['k', 'ArrowUp'], help: 'k or ↑', label: 'Previous case in the list', run: actions.previous },
    { keys: ['Enter'], help: 'Enter', label: 'Open the case (focus moves to the conversation)' },
    { keys: ['/'], help: '/', label: 'Search cases', run: actions.search },
    {
      keys: ['1', '2', '3', '4', '5'],
      help: '1 – 5',
      label: 'Open, Waiting, Mine, Resolved, Closed',
      run: actions.view,
    },
    { keys: ['r'], help: 'r', label: 'Write a reply', run: actions.reply },
    { keys: ['n'], help: 'n', label: 'Write an internal note', run: actions.note },
    { keys: ['c'], help: 'c', label: 'Claim the case', run: actions.claim },
    { keys: ['t'], help: 't', label: 'Assign or transfer the case', run: actions.transfer },
    { keys: ['e'], help: 'e', label: 'Show or hide system events', run: actions.events },
    { keys: ['i'], help: 'i', label: 'Customer and case details', run: actions.details },
    { keys: ['Escape'], help: 'Esc', label: 'Back to the case list', run: actions.back },
    { keys: ['?'], help: '?', label: 'This list of shortcuts', run: actions.help },
  ];
}

const NOT_TYPED = ['checkbox', 'radio', 'button', 'submit', 'reset'];

function typingInField(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !NOT_TYPED.includes(target.type);
  return target.isContentEditable || ['TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Installs the shortcuts on the document; `enabled()` is false while signed out or a dialog is open. */
export function installShortcuts(shortcuts, enabled) {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !enabled()) return;
    if (typingInField(event.target)) {
      // Escape leaves a field so the single-key shortcuts work again.
      if (event.key === 'Escape' && event.target instanceof HTMLElement) event.target.blur();
      return;
    }
    const shortcut = shortcuts.find((item) => item.run && item.keys.includes(event.key));
    if (!shortcut) return;
    event.preventDefault();
    shortcut.run(event.key);
  });
}

/** Fills the help overlay's list from the same table. */
export function fillHelp(list, shortcuts) {
  list.textContent = '';
  [...shortcuts, ...FIELD_SHORTCUTS].forEach((item) => {
    const term = document.createElement('dt');
    item.help.split(/( or | – |\+)/).forEach((part) => {
      if ([' or ', ' – ', '+'].includes(part)) term.appendChild(document.createTextNode(part));
      else {
        const key = document.createElement('kbd');
        key.textContent = part;
        term.appendChild(key);
      }
    });
    const value = document.createElement('dd');
    value.textContent = item.label;
    list.appendChild(term);
    list.appendChild(value);
  });
}
