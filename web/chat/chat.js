// Parley web chat: talks to the server over one WebSocket (protocol in connectors/webchat/webchat.protocol.ts).
// Every text from customers, bots and agents goes into the page through textContent, never as HTML.
(function () {
  'use strict';

  var SESSION_KEY = 'parley.webchat.session';
  var HISTORY_KEY = 'parley.webchat.history';
  var HISTORY_LIMIT = 100;

  var log = document.getElementById('chat-log');
  var form = document.getElementById('chat-form');
  var input = document.getElementById('chat-input');
  var sendButton = document.getElementById('chat-send');
  var statusLine = document.getElementById('chat-status');
  var typing = document.getElementById('chat-typing');
  var typingText = typing.querySelector('.chat__typing-text');
  var defaultTypingText = typingText.textContent;
  var socketPath = document.body.getAttribute('data-socket-path') || '/webchat/socket';

  var socket = null;
  var ready = false;
  var retryDelay = 1000;

  if (new URLSearchParams(location.search).has('embed')) {
    document.documentElement.classList.add('embedded');
    // Keyboard focus lives in this iframe, so the host page never sees Escape: tell the widget. The
    // message carries nothing, so any target origin is fine.
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') window.parent.postMessage('parley:close', '*');
    });
  }

  // Storage can be unavailable (private mode, a third-party iframe with storage blocked, where even
  // reading window.localStorage throws): the chat still works, it just forgets on reload.
  function storageGet(area, key) {
    try {
      return window[area].getItem(key);
    } catch (e) {
      return null;
    }
  }
  function storageSet(area, key, value) {
    try {
      if (value === null) window[area].removeItem(key);
      else window[area].setItem(key, value);
    } catch (e) {
      /* ignore */
    }
  }

  function loadHistory() {
    try {
      var parsed = JSON.parse(storageGet('sessionStorage', HISTORY_KEY) || '[]');
      return Array.isArray(parsed) ? parsed : [];
    } catch (e) {
      return [];
    }
  }
  function remember(entry) {
    var history = loadHistory();
    history.push(entry);
    storageSet('sessionStorage', HISTORY_KEY, JSON.stringify(history.slice(-HISTORY_LIMIT)));
  }

  function randomId() {
    // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return b.toString(16).padStart(2, '0');
      })
      .join('');
  }

  function setStatus(text) {
    statusLine.textContent = text;
  }

  function setReady(value) {
    ready = value;
    input.disabled = !value;
    sendButton.disabled = !value;
  }

  function authorLabel(entry) {
    if (entry.who === 'customer') return 'You';
    if (entry.who === 'agent') return (entry.agentName || 'Agent') + ' (agent)';
    if (entry.who === 'system') return 'Notice';
    return 'Assistant';
  }

  /** Renders one message; entry = { who: customer|bot|agent|system, text, agentName?, buttons? }. */
  function render(entry) {
    if (['customer', 'bot', 'agent', 'system'].indexOf(entry.who) < 0) entry.who = 'bot';
    var item = document.createElement('li');
    item.className = 'msg msg--' + entry.who;
    var author = document.createElement('span');
    author.className = 'msg__author';
    author.textContent = authorLabel(entry);
    // Customers know what they wrote: the label is there for screen readers only.
    if (entry.who === 'customer' || entry.who === 'bot') author.className += ' visually-hidden';
    var text = document.createElement('p');
    text.className = 'msg__text';
    text.textContent = entry.text;
    item.appendChild(author);
    item.appendChild(text);
    if (entry.buttons && entry.buttons.length > 0) item.appendChild(renderButtons(entry.buttons));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function renderButtons(buttons) {
    var group = document.createElement('div');
    group.className = 'msg__buttons';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', 'Quick replies');
    buttons.forEach(function (button) {
      var element = document.createElement('button');
      element.type = 'button';
      element.textContent = button.title;
      element.addEventListener('click', function () {
        // The pipeline reads a text starting with "/" as an intent payload; the customer sees the title.
        sendText(button.payload, button.title);
      });
      group.appendChild(element);
    });
    return group;
  }

  /** Quick replies answer the latest question only; older ones would confuse the flow. */
  function retireButtons() {
    var buttons = log.querySelectorAll('.msg__buttons button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }

  function show(entry) {
    render(entry);
    var stored = { who: entry.who, text: entry.text };
    if (entry.agentName) stored.agentName = entry.agentName;
    remember(stored);
  }

  // Typed messages awaiting an answer, by frame id: one the server could not take goes back into the input.
  var unanswered = {};
  // The last message the server refused as "unavailable": sending the same text again reuses its id, so
  // the server can tell a retry from a new message.
  var refused = null;

  function sendText(text, shown) {
    if (!ready || !text) return false;
    retireButtons();
    show({ who: 'customer', text: shown || text });
    var id = refused && refused.text === text && !shown ? refused.id : randomId();
    refused = null;
    if (!shown) unanswered[id] = text;
    var frame = { type: 'message', id: id, text: text };
    if (shown && shown !== text) frame.label = shown;
    socket.send(JSON.stringify(frame));
    typing.hidden = false;
    input.focus();
    return true;
  }

  function onFrame(frame) {
    if (frame.type === 'ready') {
      if (!frame.resumed || Array.isArray(frame.history)) {
        storageSet('sessionStorage', HISTORY_KEY, null);
        log.textContent = '';
      }
      // The server's transcript is the record: it has what an agent said while this page was closed.
      (frame.history || []).forEach(function (line) {
        show({ who: line.speaker, text: String(line.text), agentName: line.agentName });
      });
      storageSet('localStorage', SESSION_KEY, frame.sessionId);
      setStatus('Online');
      setReady(true);
    } else if (frame.type === 'typing') {
      // An agent's typing names them; the bot's is the page's default wording.
      typingText.textContent = frame.agent ? String(frame.agent) + ' is typing…' : defaultTypingText;
      typing.hidden = !frame.active;
    } else if (frame.type === 'reply' && frame.reply) {
      if (frame.replyTo) delete unanswered[frame.replyTo];
      var reply = frame.reply;
      show({ who: reply.from, text: String(reply.text), agentName: reply.agentName, buttons: reply.buttons });
    } else if (frame.type === 'error') {
      typing.hidden = true;
      var text =
        frame.error === 'busy'
          ? 'One moment please, still answering your previous message.'
          : 'Sorry, that did not go through. Please try again.';
      var lost = frame.replyTo !== undefined ? unanswered[frame.replyTo] : undefined;
      if (lost !== undefined) {
        delete unanswered[frame.replyTo];
        // Not a word typed is lost: the text waits in the input (unless the customer already typed more).
        if (!input.value.trim()) input.value = lost;
        if (frame.error === 'unavailable') refused = { id: frame.replyTo, text: lost };
        text = 'Your message was not delivered. It is back in the message box: send it again in a moment.';
      }
      render({ who: 'system', text: text });
      // The server could not open the session (a store was down): reconnecting retries with back-off.
      if (!ready && frame.error === 'unavailable') socket.close();
    }
  }

  function connect() {
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + socketPath);
    socket.addEventListener('open', function () {
      retryDelay = 1000;
      var hello = { type: 'hello' };
      var sessionId = storageGet('localStorage', SESSION_KEY);
      if (sessionId) hello.sessionId = sessionId;
      // The greeting speaks the browser's language; later messages are understood in the language they use.
      if (navigator.language) hello.locale = navigator.language;
      socket.send(JSON.stringify(hello));
    });
    socket.addEventListener('message', function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      onFrame(frame);
    });
    socket.addEventListener('close', function () {
      setReady(false);
      typing.hidden = true;
      setStatus('Reconnecting…');
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    });
  }

  // While a person has the conversation, they see the customer typing: one frame when typing starts (again
  // every few seconds while it goes on) and one when it stops. The bot ignores them.
  var typingSince = 0;
  var typingIdle = null;
  function sendTyping(active) {
    if (!socket || !ready || socket.readyState !== 1) return;
    socket.send(JSON.stringify({ type: 'typing', active: active }));
  }
  input.addEventListener('input', function () {
    var now = Date.now();
    if (now - typingSince > 3000) {
      typingSince = now;
      sendTyping(true);
    }
    clearTimeout(typingIdle);
    typingIdle = setTimeout(function () {
      typingSince = 0;
      sendTyping(false);
    }, 4000);
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (typingIdle) {
      clearTimeout(typingIdle);
      typingIdle = null;
      typingSince = 0;
      sendTyping(false);
    }
    var text = input.value.trim();
    if (sendText(text)) input.value = '';
  });

  // A reload continues the conversation: show what was said before, then resume the session.
  if (storageGet('localStorage', SESSION_KEY)) loadHistory().forEach(render);
  setReady(false);
  connect();
})();
