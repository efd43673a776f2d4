// The desk's session: the bearer token, the JSON API and the live socket (contract in docs/desk-api.md).
// Shared by the desk and the supervisor page. A refused token never throws: it ends the session with the
// server's sentence ("Signed out because …"), which the sign-in form then shows.

const TOKEN_KEY = 'parley.agent.token';
const REASON_KEY = 'parley.agent.signedOutReason';

function storage(key, value) {
  try {
    if (value === undefined) return sessionStorage.getItem(key);
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    /* private mode: the desk still works, it just forgets the token on reload */
  }
  return null;
}

/**
 * @param {{ socketPath: string, onFrame: (frame: object) => void, onSignedOut: (reason: string) => void,
 *   onStatus: (text: string) => void }} hooks
 */
export function createSession(hooks) {
  let token = storage(TOKEN_KEY);
  let socket = null;
  let retryDelay = 1000;

  /** Ends the session here; `reason` is the sentence shown on the sign-in form. */
  function end(reason) {
    token = null;
    storage(TOKEN_KEY, null);
    if (reason) storage(REASON_KEY, reason);
    const open = socket;
    socket = null;
    if (open) open.close();
    hooks.onSignedOut(reason || '');
  }

  /** fetch with the token; resolves `{ status, body }`, and a 401 ends the session with the server's reason. */
  async function api(method, path, body) {
    const headers = { authorization: 'Bearer ' + token };
    const init = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      return { status: 0, body: { detail: 'Could not reach the server.' } };
    }
    const json = await response.json().catch(() => ({}));
    if (response.status === 401 && token) end(json.detail || 'Signed out: your session is no longer valid.');
    return { status: response.status, body: json };
  }

  async function signIn(username, password) {
    let response;
    try {
      response = await fetch('/api/agent/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    } catch {
      return { ok: false, error: 'Could not reach the server. Please try again.' };
    }
    const body = await response.json().catch(() => ({}));
    if (response.status !== 200) {
      return { ok: false, error: body.detail ? sentence(body.detail) : 'Sign-in failed.' };
    }
    token = body.token;
    storage(TOKEN_KEY, token);
    storage(REASON_KEY, null);
    return { ok: true, agent: body.agent };
  }

  /** Revokes the token on the server (every tab and process), then forgets it here. */
  async function signOut() {
    if (token) {
      await fetch('/api/agent/logout', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + token },
      }).catch(() => undefined);
    }
    end('You signed out.');
  }

  function connect() {
    if (!token) return;
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const url = scheme + location.host + hooks.socketPath + '?token=' + encodeURIComponent(token);
    const current = new WebSocket(url);
    socket = current;
    current.addEventListener('open', () => {
      retryDelay = 1000;
    });
    current.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'signed_out') return end(frame.detail);
      hooks.onFrame(frame);
    });
    current.addEventListener('close', (event) => {
      if (socket !== current) return; // signed out here
      if (event.code === 4401) return end('Signed out: your session is no longer valid.');
      // A restart or a network blip: tokens outlive restarts, so reconnect and carry on.
      hooks.onStatus('Reconnecting…');
      setTimeout(() => {
        if (socket === current) reconnect();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 15000);
    });
  }

  /**
   * A refused socket upgrade carries no reason, so the token is checked over HTTP first: a 401 ends the
   * session with the server's sentence (say, its sign-in key changed); no answer means try again later.
   */
  async function reconnect() {
    const current = socket;
    const answer = await api('GET', '/api/agent/me');
    if (socket !== current || !token) return;
    if (answer.status === 200) return connect();
    hooks.onStatus('Reconnecting…');
    setTimeout(() => {
      if (socket === current) reconnect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }

  return {
    api,
    signIn,
    signOut,
    connect,
    send,
    hasToken: () => token !== null,
    /** The reason the last session ended, once (then forgotten). */
    takeSignedOutReason() {
      const reason = storage(REASON_KEY);
      storage(REASON_KEY, null);
      return reason;
    },
  };
}

function sentence(text) {
  const trimmed = String(text).trim();
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + (/[.!?]$/.test(trimmed) ? '' : '.');
}

/** "4 min", "1 h 05 min": waits and SLAs as agents read them. */
export function formatWait(ms) {
  const minutes = Math.floor(ms / 60000);
  if (minutes < 1) return Math.max(0, Math.round(ms / 1000)) + ' s';
  if (minutes < 60) return minutes + ' min';
  return Math.floor(minutes / 60) + ' h ' + String(minutes % 60).padStart(2, '0') + ' min';
}
