// Parley flow viewer: flows drawn by Mermaid, live over a WebSocket, with state details, conversation
// paths and the NLU panel. Everything from the server is written with textContent, never as markup.
(function () {
  'use strict';

  var TOKEN_KEY = 'parley.designer.token';
  var $ = function (id) {
    return document.getElementById(id);
  };
  var state = { flows: [], current: undefined, visited: {}, selected: undefined, renders: 0 };

  window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });

  // ---- small DOM helpers -------------------------------------------------------------------------------
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  // ---- API with the designer token (outside development) -----------------------------------------------
  function api(method, path, body) {
    var headers = { accept: 'application/json' };
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.authorization = 'Bearer ' + token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (json) {
        if (response.status === 401 || response.status === 403) showSignIn(json.detail);
        return { status: response.status, body: json };
      });
    });
  }

  function showSignIn(detail) {
    $('sign-in').hidden = false;
    if (detail) {
      $('sign-in-error').hidden = false;
      $('sign-in-error').textContent = detail;
    }
  }

  $('sign-in').addEventListener('submit', function (event) {
    event.preventDefault();
    fetch('/api/agent/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: $('sign-in-user').value, password: $('sign-in-password').value }),
    })
      .then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok || !json.token) throw new Error(json.detail || 'sign-in failed');
          sessionStorage.setItem(TOKEN_KEY, json.token);
          $('sign-in').hidden = true;
          start();
        });
      })
      .catch(function (error) {
        $('sign-in-error').hidden = false;
        $('sign-in-error').textContent = error.message;
      });
  });

  // ---- flows ---------------------------------------------------------------------------------------------
  function loadFlows() {
    return api('GET', '/designer/api/flows').then(function (result) {
      if (result.status === 422) {
        showProblems(result.body.problems || []);
        return true;
      }
      if (result.status !== 200) return false;
      showProblems([]);
      $('bot-name').textContent = '· ' + result.body.bot;
      state.flows = result.body.flows;
      var stillThere = state.flows.some(function (flow) {
        return flow.id === state.current;
      });
      if (!stillThere) state.current = state.flows.length > 0 ? state.flows[0].id : undefined;
      renderFlowList();
      return renderDiagram().then(function () {
        return true;
      });
    });
  }

  function showProblems(problems) {
    $('problems').hidden = problems.length === 0;
    $('problems').textContent =
      problems.length === 0
        ? ''
        : 'The flows do not load; showing the last version that did:\n' + problems.join('\n');
  }

  function currentFlow() {
    return state.flows.find(function (flow) {
      return flow.id === state.current;
    });
  }

  function renderFlowList() {
    var list = clear($('flow-list'));
    state.flows.forEach(function (flow) {
      var item = el('li');
      var button = el('button', flow.id);
      button.type = 'button';
      button.dataset.flow = flow.id;
      if (flow.id === state.current) button.setAttribute('aria-current', 'true');
      if (state.visited[flow.id]) button.appendChild(el('span', ' ●', 'visited-mark'));
      button.addEventListener('click', function () {
        state.current = flow.id;
        state.selected = undefined;
        renderFlowList();
        renderDiagram();
        showDetails(undefined);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  /** The flow's Mermaid text, with the replayed path's states marked. */
  function diagramText(flow) {
    var visited = state.visited[flow.id];
    if (!visited || visited.states.length === 0) return flow.mermaid;
    var known = visited.states.filter(function (name) {
      return flow.spec.states[name];
    });
    if (known.length === 0) return flow.mermaid;
    return (
      flow.mermaid +
      '  classDef visited fill:#ffe08a,stroke:#b58100,stroke-width:3px\n' +
      '  class ' +
      known.join(',') +
      ' visited\n'
    );
  }

  function renderDiagram() {
    var flow = currentFlow();
    var target = clear($('diagram'));
    $('flow-title').textContent = flow
      ? flow.id + (flow.spec.description ? ' — ' + flow.spec.description : '')
      : 'No flows';
    if (!flow) return Promise.resolve();
    state.renders += 1;
    var id = 'flow-svg-' + state.renders;
    return window.mermaid.render(id, diagramText(flow)).then(function (result) {
      target.innerHTML = result.svg; // Mermaid's own sanitised SVG (securityLevel strict)
      bindStates(target, flow);
      target.dataset.flow = flow.id;
      target.dataset.rendered = String(state.renders);
    });
  }

  /** Mermaid names state nodes `…state-<name>-<n>`; each becomes clickable. */
  function bindStates(target, flow) {
    target.querySelectorAll('g.node').forEach(function (node) {
      var match = /state-(.+)-\d+$/.exec(node.id || '');
      var name = match && match[1];
      if (!name || !flow.spec.states[name]) return;
      node.dataset.state = name;
      if (name === state.selected) node.classList.add('is-selected');
      node.addEventListener('click', function () {
        state.selected = name;
        target.querySelectorAll('g.node.is-selected').forEach(function (other) {
          other.classList.remove('is-selected');
        });
        node.classList.add('is-selected');
        showDetails(name);
      });
    });
  }

  // ---- a state's prompts, slots and effects (state-details.js) -------------------------------------------
  function showDetails(name) {
    window.ParleyStateDetails.render(clear($('details')), currentFlow(), name);
  }

  // ---- conversation paths ----------------------------------------------------------------------------------
  var scripts = [];
  function loadScripts() {
    return api('GET', '/designer/api/conversations').then(function (result) {
      if (result.status !== 200) return;
      scripts = result.body.conversations;
      var select = $('script-pick');
      scripts.forEach(function (script, index) {
        var option = el('option', script.file + ' · ' + script.name);
        option.value = String(index);
        select.appendChild(option);
      });
    });
  }

  $('script-pick').addEventListener('change', function () {
    var script = scripts[Number(this.value)];
    if (!script) return;
    $('conversation-id').value = '';
    $('transcript').value = script.lines
      .map(function (line) {
        return 'user> ' + line;
      })
      .join('\n');
  });

  $('replay').addEventListener('click', function () {
    var id = $('conversation-id').value.trim();
    var body = id ? { conversationId: id } : { transcript: $('transcript').value };
    var out = clear($('replay-result'));
    api('POST', '/designer/api/replay', body).then(function (result) {
      if (result.status !== 200) {
        out.appendChild(el('p', result.body.detail || result.body.error, 'error'));
        return;
      }
      state.visited = result.body.visited;
      var flows = Object.keys(state.visited);
      if (flows.length > 0 && !state.visited[state.current]) state.current = flows[0];
      showTurns(out, result.body.turns);
      renderFlowList();
      renderDiagram();
    });
  });

  $('clear-path').addEventListener('click', function () {
    state.visited = {};
    clear($('replay-result'));
    renderFlowList();
    renderDiagram();
  });

  function showTurns(out, turns) {
    var list = el('ol', undefined, 'turns');
    turns.forEach(function (turn) {
      var item = el('li');
      item.appendChild(el('div', '“' + turn.text + '” → ' + turn.intent + ' ' + turn.confidence.toFixed(2)));
      var steps = turn.steps.map(function (step) {
        return step.flow + ': ' + (step.from || '[*]') + ' → ' + step.to;
      });
      item.appendChild(el('div', steps.length ? steps.join(', ') : '(no flow moved)', 'steps'));
      list.appendChild(item);
    });
    out.appendChild(list);
  }

  // ---- NLU panel -----------------------------------------------------------------------------------------
  $('nlu-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('nlu-text').value.trim();
    if (!text) return;
    var out = clear($('nlu-result'));
    api('POST', '/designer/api/parse', { text: text }).then(function (result) {
      if (result.status !== 200) {
        out.appendChild(el('p', result.body.detail || result.body.error, 'error'));
        return;
      }
      var nlu = result.body;
      out.appendChild(el('p', 'Language: ' + nlu.locale, 'nlu-language'));
      var table = el('table', undefined, 'ranking');
      var head = el('tr');
      head.appendChild(el('th', 'Intent'));
      head.appendChild(el('th', 'Confidence'));
      table.appendChild(head);
      nlu.ranking.forEach(function (intent) {
        var tr = el('tr');
        tr.appendChild(el('td', intent.name));
        var cell = el('td');
        var bar = el('span', undefined, 'bar-fill');
        bar.style.width = Math.round(intent.confidence * 80) + 'px';
        cell.appendChild(bar);
        cell.appendChild(el('span', ' ' + intent.confidence.toFixed(2)));
        tr.appendChild(cell);
        table.appendChild(tr);
      });
      out.appendChild(table);
      var entities = el('ul', undefined, 'plain entities');
      nlu.entities.forEach(function (entity) {
        entities.appendChild(el('li', entity.entity + ' = ' + JSON.stringify(entity.value)));
      });
      if (nlu.entities.length === 0) entities.appendChild(el('li', 'no entities'));
      out.appendChild(el('h3', 'Entities'));
      out.appendChild(entities);
    });
  });

  // ---- live updates --------------------------------------------------------------------------------------
  function connect() {
    var token = sessionStorage.getItem(TOKEN_KEY);
    var url =
      (location.protocol === 'https:' ? 'wss://' : 'ws://') +
      location.host +
      '/designer/socket' +
      (token ? '?token=' + encodeURIComponent(token) : '');
    var socket = new WebSocket(url);
    socket.onopen = function () {
      $('live').dataset.state = 'live';
      $('live').textContent = 'live';
    };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type !== 'reloaded') return;
      if (!frame.applied) showProblems(frame.problems);
      else
        loadFlows().then(function () {
          if (state.selected) showDetails(state.selected);
        });
    };
    socket.onclose = function () {
      $('live').dataset.state = 'offline';
      $('live').textContent = 'offline — retrying';
      setTimeout(connect, 2000);
    };
  }

  var started = false;
  function start() {
    loadFlows().then(function (allowed) {
      if (!allowed || started) return;
      started = true;
      loadScripts();
      connect();
    });
  }

  start();
})();
