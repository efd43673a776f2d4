// The assign / transfer dialog: to a queue (queued again there) or to an agent, with a note for the next
// person. A supervisor assigns a waiting case with `/assign`; an owner or supervisor moves one with `/transfer`.

function $(id) {
  return document.getElementById(id);
}

/**
 * @param {{ session: object, isSupervisor: () => boolean, current: () => (object | null),
 *   act: (path: string, body: object) => Promise<{ ok: boolean, detail?: string }> }} deps
 */
export function createTransfer({ session, isSupervisor, current, act }) {
  const dialog = $('transfer-dialog');

  async function fillTargets(view) {
    const select = $('transfer-target');
    select.textContent = '';
    const [queues, agents] = await Promise.all([
      session.api('GET', '/api/queues'),
      isSupervisor() ? session.api('GET', '/api/agents') : Promise.resolve({ status: 0 }),
    ]);
    const group = (label) => {
      const element = document.createElement('optgroup');
      element.label = label;
      select.appendChild(element);
      return element;
    };
    if (queues.status === 200) {
      const target = group('Queues');
      queues.body.queues.forEach((queue) => {
        if (queue.id === view.queue.code) return;
        target.appendChild(new Option(queue.label + ' queue', 'queue:' + queue.id));
      });
    }
    if (agents.status === 200) {
      const target = group('Agents');
      agents.body.agents.forEach((agent) => {
        if (view.owner && agent.username === view.owner.username) return;
        const label = agent.name + (agent.online ? ' (online)' : ' (offline)');
        target.appendChild(new Option(label, 'agent:' + agent.username));
      });
    }
  }

  async function open() {
    const view = current();
    if (!view || $('transfer').disabled) return;
    $('transfer-note').value = '';
    $('transfer-error').hidden = true;
    await fillTargets(view);
    dialog.showModal();
    $('transfer-target').focus();
  }

  $('transfer').addEventListener('click', open);
  $('transfer-cancel').addEventListener('click', () => dialog.close());
  $('transfer-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const view = current();
    const [kind, target] = $('transfer-target').value.split(/:(.*)/s);
    if (!view || !target) return;
    const note = $('transfer-note').value.trim();
    const body = Object.assign({ [kind]: target }, note ? { note } : {});
    const path = kind === 'agent' && view.status === 'queued' && isSupervisor() ? '/assign' : '/transfer';
    const result = await act(path, body);
    if (result.ok) dialog.close();
    else {
      $('transfer-error').textContent = result.detail || 'That did not work.';
      $('transfer-error').hidden = false;
    }
  });

  return { open };
}
