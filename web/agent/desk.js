// Parley agent desk. Talks to the JSON API under /api/ with a bearer token and to the live socket
// (protocol in desk/desk.protocol.ts). Every text from customers, bots and agents goes
// into the page through textContent, never as HTML.
(function () {
  'use strict';

  var render = window.ParleyDeskRender;
  var TOKEN_KEY = 'parley.agent.token';
  var OPEN = ['queued', 'assigned'];
  var socketPath = document.body.getAttribute('data-socket-path') || '/api/agent/socket';

  function $(id) {
    return document.getElementById(id);
  }

  var state = {
    token: null,
    agent: null,
    cases: {}, // id -> summary
    selected: null, // id
    detail: null, // { case, transcript }
    socket: null,
    pendingLines: null, // lines that arrived while the selected case was loading
    retryDelay: 1000,
  };

  function storageGet(key) {
    try {
      return sessionStorage.getItem(key);
    } catch (e) {
      return null;
    }
  }
  function storageSet(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, value);
    } catch (e) {
      /* the desk still works; it just forgets the token on reload */
    }
  }

  function setStatus(text) {
    $('desk-status').textContent = text;
  }

  function showError(id, text) {
    var element = $(id);
    element.textContent = text || '';
    element.hidden = !text;
  }

  /** fetch with the token; resolves { status, body } and signs out on 401. */
  function api(method, path, body) {
    var headers = { authorization: 'Bearer ' + state.token };
    var init = { method: method, headers: headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (json) {
          if (response.status === 401 && path !== '/api/agent/login') signOut();
          return { status: response.status, body: json };
        });
    });
  }

  // ---- sign in / out --------------------------------------------------------------------------------

  function showSignIn() {
    $('sign-in').hidden = false;
    $('desk').hidden = true;
    $('desk-agent').hidden = true;
    setStatus('');
    $('username').focus();
  }

  function showDesk() {
    $('sign-in').hidden = true;
    $('desk').hidden = false;
    $('desk-agent').hidden = false;
    $('desk-agent-name').textContent = state.agent.name + ' (' + state.agent.username + ')';
  }

  /** Revokes the token on the server (every tab and process), then forgets it here. */
  function signOutEverywhere() {
    if (state.token) {
      fetch('/api/agent/logout', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + state.token },
      }).catch(function () {
        /* the token is forgotten here anyway; it expires on its own */
      });
    }
    signOut();
  }

  function signOut() {
    storageSet(TOKEN_KEY, null);
    state.token = null;
    state.agent = null;
    if (state.socket) {
      var socket = state.socket;
      state.socket = null;
      socket.close();
    }
    showSignIn();
  }

  $('sign-in-form').addEventListener('submit', function (event) {
    event.preventDefault();
    showError('sign-in-error', '');
    var credentials = { username: $('username').value.trim(), password: $('password').value };
    fetch('/api/agent/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      })
      .then(function (answer) {
        if (answer.status !== 200) {
          showError('sign-in-error', 'Unknown username or wrong password.');
          return;
        }
        $('password').value = '';
        start(answer.body.token, answer.body.agent);
      })
      .catch(function () {
        showError('sign-in-error', 'Could not reach the server. Please try again.');
      });
  });

  $('sign-out').addEventListener('click', signOutEverywhere);

  function start(token, agent) {
    state.token = token;
    state.agent = agent;
    storageSet(TOKEN_KEY, token);
    showDesk();
    connect();
    loadQueue();
  }

  // ---- queue ----------------------------------------------------------------------------------------

  function loadQueue() {
    api('GET', '/api/cases').then(function (answer) {
      if (answer.status !== 200) return;
      answer.body.cases.forEach(function (item) {
        state.cases[item.id] = item;
      });
      renderQueue();
    });
  }

  function renderQueue() {
    var lists = { waiting: $('queue-waiting'), mine: $('queue-mine'), others: $('queue-others') };
    Object.keys(lists).forEach(function (key) {
      lists[key].textContent = '';
    });
    var items = Object.keys(state.cases)
      .map(function (id) {
        return state.cases[id];
      })
      .filter(function (item) {
        return OPEN.indexOf(item.status) >= 0;
      })
      .sort(function (a, b) {
        return b.priority - a.priority || a.createdAt - b.createdAt;
      });
    items.forEach(function (item) {
      var list =
        item.status === 'queued'
          ? lists.waiting
          : item.owner === state.agent.username
            ? lists.mine
            : lists.others;
      list.appendChild(
        render.queueItem(item, item.id === state.selected, function () {
          select(item.id);
        }),
      );
    });
  }

  // ---- the selected case ----------------------------------------------------------------------------

  function select(id) {
    state.selected = id;
    state.detail = null;
    state.pendingLines = [];
    showError('case-error', '');
    $('transcript').textContent = '';
    renderQueue();
    watch();
    api('GET', '/api/cases/' + encodeURIComponent(id)).then(function (answer) {
      if (state.selected !== id) return;
      if (answer.status !== 200) {
        showError('case-error', 'Could not load the case (' + answer.status + ').');
        return;
      }
      state.detail = answer.body;
      state.cases[id] = summaryOf(answer.body.case, state.cases[id]);
      renderCase();
      answer.body.transcript.forEach(renderLine);
      flushPendingLines(answer.body.transcript);
      loadSuggestions(id);
    });
  }

  /** Reloads the selected case's package (its customer's channels change when they link or unlink one). */
  function refreshDetail(id) {
    api('GET', '/api/cases/' + encodeURIComponent(id)).then(function (answer) {
      if (answer.status !== 200 || state.selected !== id || !state.detail) return;
      state.detail.case = answer.body.case;
      renderCase();
    });
  }

  function summaryOf(item, previous) {
    var summary = previous || {};
    [
      'id',
      'customerId',
      'channels',
      'queue',
      'priority',
      'status',
      'owner',
      'createdAt',
      'updatedAt',
    ].forEach(function (key) {
      summary[key] = item[key];
    });
    summary.reason = item.package ? item.package.reason : summary.reason;
    return summary;
  }

  /** Lines that came over the socket while loading: skip those the loaded transcript already ends with. */
  function flushPendingLines(transcript) {
    var tail = transcript.slice(-20).map(lineKey);
    var waiting = state.pendingLines || [];
    state.pendingLines = null;
    waiting.forEach(function (line) {
      var index = tail.indexOf(lineKey(line));
      if (index >= 0) tail.splice(index, 1);
      else renderLine(line);
    });
  }

  function lineKey(line) {
    return [line.speaker, line.event || '', line.text || ''].join('\u0000');
  }

  function renderCase() {
    var item = state.cases[state.selected];
    var detail = state.detail;
    if (!item || !detail) return;
    $('case-empty').hidden = true;
    $('case-body').hidden = false;
    $('case-title').textContent = 'Case with ' + item.customerId;
    $('case-meta').textContent =
      item.status +
      (item.owner ? ' · owner ' + item.owner : '') +
      ' · ' +
      item.channels.join(', ') +
      ' · queue ' +
      item.queue +
      ' · priority ' +
      item.priority;
    render.fillSummary($('summary'), detail.case.package);
    var mine = item.status === 'assigned' && item.owner === state.agent.username;
    var open = OPEN.indexOf(item.status) >= 0;
    $('claim').disabled = item.status !== 'queued';
    $('hand-back').disabled = !mine;
    $('close-case').disabled = !mine;
    $('reply').disabled = !mine;
    $('send-reply').disabled = !mine;
    $('note').disabled = !open;
    $('add-note').disabled = !open;
  }

  function renderLine(line) {
    var item = render.lineElement(line);
    $('transcript').appendChild(item);
    item.scrollIntoView({ block: 'nearest' });
  }

  function loadSuggestions(id) {
    $('suggestions').hidden = true;
    api('GET', '/api/cases/' + encodeURIComponent(id) + '/suggestions').then(function (answer) {
      if (answer.status !== 200 || state.selected !== id || !answer.body.suggestions.length) return;
      var list = $('suggestion-list');
      list.textContent = '';
      answer.body.suggestions.forEach(function (suggestion) {
        var button = document.createElement('button');
        button.type = 'button';
        button.textContent = suggestion.text;
        button.addEventListener('click', function () {
          $('reply').value = suggestion.text;
          $('reply').focus();
        });
        list.appendChild(button);
      });
      $('suggestions').hidden = false;
    });
  }

  function act(path, body) {
    var id = state.selected;
    showError('case-error', '');
    return api('POST', '/api/cases/' + encodeURIComponent(id) + path, body).then(function (answer) {
      if (answer.status >= 400) {
        showError(
          'case-error',
          (answer.body && answer.body.detail) || 'That did not work (' + answer.status + ').',
        );
        return false;
      }
      if (answer.body.case && state.selected === id) {
        state.cases[id] = summaryOf(answer.body.case, state.cases[id]);
        renderCase();
        renderQueue();
      }
      return true;
    });
  }

  $('claim').addEventListener('click', function () {
    act('/claim');
  });
  $('hand-back').addEventListener('click', function () {
    act('/resolve', { handBack: true });
  });
  $('close-case').addEventListener('click', function () {
    act('/resolve', { handBack: false });
  });
  $('reply-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('reply').value.trim();
    if (!text) return;
    act('/messages', { text: text }).then(function (ok) {
      if (ok) $('reply').value = '';
    });
  });
  $('note-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('note').value.trim();
    if (!text) return;
    act('/notes', { text: text }).then(function (ok) {
      if (ok) $('note').value = '';
    });
  });

  // ---- live socket ----------------------------------------------------------------------------------

  function watch() {
    if (state.socket && state.socket.readyState === WebSocket.OPEN && state.selected) {
      state.socket.send(JSON.stringify({ type: 'watch', caseId: state.selected }));
    }
  }

  function onFrame(frame) {
    if (frame.type === 'ready') {
      setStatus('Live');
      watch();
    } else if (frame.type === 'case' && frame.case) {
      state.cases[frame.case.id] = frame.case;
      renderQueue();
      if (frame.case.id === state.selected) {
        renderCase();
        refreshDetail(frame.case.id);
      }
    } else if (frame.type === 'line' && frame.caseId === state.selected && frame.entry) {
      if (state.pendingLines) state.pendingLines.push(frame.entry);
      else renderLine(frame.entry);
    }
  }

  function connect() {
    if (!state.token) return;
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var socket = new WebSocket(
      scheme + location.host + socketPath + '?token=' + encodeURIComponent(state.token),
    );
    state.socket = socket;
    socket.addEventListener('open', function () {
      state.retryDelay = 1000;
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
    socket.addEventListener('close', function (event) {
      if (state.socket !== socket) return; // signed out
      if (event.code === 4401) return signOut(); // the token was revoked or is no longer valid
      setStatus('Reconnecting…');
      setTimeout(function () {
        if (state.socket === socket) {
          connect();
          loadQueue();
        }
      }, state.retryDelay);
      state.retryDelay = Math.min(state.retryDelay * 2, 15000);
    });
  }

  // ---- start ----------------------------------------------------------------------------------------

  var saved = storageGet(TOKEN_KEY);
  if (!saved) {
    showSignIn();
    return;
  }
  state.token = saved;
  api('GET', '/api/agent/me').then(function (answer) {
    if (answer.status === 200) start(saved, answer.body.agent);
    else showSignIn();
  });
})();
