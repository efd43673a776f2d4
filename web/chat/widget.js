// Parley chat widget: <script src="https://bot.example/chat/widget.js" data-title="Chat with us" defer></script>
// adds a floating button that opens the chat page in an iframe, so the host page's styles and scripts
// never mix with the chat (the host must be listed in the server's webChat.embedOrigins).
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, location.href).origin;
  var title = script.getAttribute('data-title') || 'Chat with us';

  var panel = document.createElement('div');
  panel.id = 'parley-chat-panel';
  panel.hidden = true;
  Object.assign(panel.style, {
    position: 'fixed',
    right: '20px',
    bottom: '88px',
    width: 'min(380px, calc(100vw - 40px))',
    height: 'min(560px, calc(100vh - 120px))',
    borderRadius: '14px',
    overflow: 'hidden',
    boxShadow: '0 8px 32px rgba(0,0,0,0.25)',
    zIndex: '2147483000',
    background: '#fff',
  });

  var frame = document.createElement('iframe');
  frame.title = title;
  Object.assign(frame.style, { width: '100%', height: '100%', border: '0' });
  panel.appendChild(frame);

  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = title;
  button.setAttribute('aria-controls', panel.id);
  button.setAttribute('aria-expanded', 'false');
  Object.assign(button.style, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    padding: '14px 20px',
    border: '0',
    borderRadius: '999px',
    background: '#1f5fbf',
    color: '#fff',
    font: '600 15px system-ui, sans-serif',
    boxShadow: '0 4px 16px rgba(0,0,0,0.25)',
    cursor: 'pointer',
    zIndex: '2147483000',
  });

  function toggle(open) {
    // The page loads on first open only: visitors who never chat never open a socket.
    if (open && !frame.src) frame.src = origin + '/?embed=1';
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) frame.focus();
  }

  button.addEventListener('click', function () {
    toggle(panel.hidden);
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !panel.hidden) {
      toggle(false);
      button.focus();
    }
  });

  // The chat page asks to close on Escape (focus is inside the iframe); trust only that frame.
  window.addEventListener('message', function (event) {
    if (event.source === frame.contentWindow && event.origin === origin && event.data === 'parley:close') {
      toggle(false);
      button.focus();
    }
  });

  document.body.appendChild(panel);
  document.body.appendChild(button);
})();
