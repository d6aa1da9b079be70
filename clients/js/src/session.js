// The wire side of the polyfill: pairing with the local service and one WebSocket per MLContext, framed as
// docs/bridge-protocol.md (protocol version 1) describes. No dependencies; runs in browsers (and Node >= 22,
// which has WebSocket and fetch).

export const PROTOCOL_VERSION = 1;
export const DEFAULT_SERVICE = 'http://127.0.0.1:7391';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON with the protocol's number rules: NaN, ±Infinity and -0 as strings, bigint as a decimal string. */
export function toJson(value) {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      if (Object.is(v, -0)) return '-0';
    }
    return v;
  });
}

/** A binary message: u32le header length, the UTF-8 JSON header, then the payload parts (Uint8Arrays). */
export function encodeFrame(header, parts = []) {
  const json = encoder.encode(toJson(header));
  let total = 4 + json.length;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  let at = 4 + json.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Decodes a reply (binary message, or a text message holding a header alone). */
export function decodeFrame(data) {
  if (typeof data === 'string') return { header: JSON.parse(data), payload: new Uint8Array(0) };
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength < 4) throw new Error('frame too short');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + n > bytes.byteLength) throw new Error('frame truncated');
  const header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + n)));
  return { header, payload: bytes.subarray(4 + n) };
}

/** The error a reply names, as the page would see it from a native implementation. */
export function errorFromReply(error) {
  const name = error?.name ?? 'OperationError';
  const message = error?.message ?? name;
  if (name === 'TypeError') return new TypeError(message);
  if (name === 'RangeError') return new RangeError(message);
  return new DOMException(message, name);
}

function domError(name, message) {
  return new DOMException(message, name);
}

// ------------------------------------------------------------------------------------------ tokens

function defaultStorage() {
  const memory = new Map();
  let local = null;
  try {
    local = globalThis.localStorage ?? null;
  } catch {
    local = null; // e.g. an opaque origin
  }
  return {
    get(key) {
      try {
        if (local) return local.getItem(key);
      } catch { /* storage blocked */ }
      return memory.get(key) ?? null;
    },
    set(key, value) {
      try {
        if (local) return local.setItem(key, value);
      } catch { /* storage blocked */ }
      memory.set(key, value);
    },
    delete(key) {
      try {
        if (local) local.removeItem(key);
      } catch { /* storage blocked */ }
      memory.delete(key);
    },
  };
}

// ------------------------------------------------------------------------------------------ pairing UI

/** What the user sees on first use: a small, dismissable box naming the command to run. */
export function showPairingNotice(request) {
  const text = `Anneau: this page (${request.origin}) asks to use the WebNN service on your computer. `
    + `To allow it, run in a terminal:  ${request.command}   (or: anneau pair approve ${request.code}). `
    + `Request code ${request.code}; it expires in ${Math.round(request.expiresInSeconds / 60)} minutes.`;
  console.info(text);
  const doc = globalThis.document;
  if (!doc || !doc.body) return () => {};
  const box = doc.createElement('div');
  box.setAttribute('role', 'alertdialog');
  box.setAttribute('data-anneau-pairing', request.code);
  box.style.cssText = 'position:fixed;z-index:2147483647;right:16px;bottom:16px;max-width:440px;padding:14px 16px;'
    + 'background:#111;color:#eee;font:14px/1.4 system-ui,sans-serif;border-radius:8px;box-shadow:0 4px 24px #0008';
  const title = doc.createElement('strong');
  title.textContent = 'Allow this page to use Anneau (local WebNN)?';
  const p = doc.createElement('p');
  p.style.margin = '8px 0';
  p.textContent = `${request.origin} asks to run neural networks on this computer. If you trust it, run:`;
  const cmd = doc.createElement('code');
  cmd.style.cssText = 'display:block;padding:6px 8px;background:#000;color:#9f9;user-select:all;word-break:break-all';
  cmd.textContent = `anneau pair approve ${request.code}`;
  const small = doc.createElement('p');
  small.style.cssText = 'margin:8px 0 0;font-size:12px;color:#aaa';
  small.textContent = `Code ${request.code} (the same as in 'anneau pair list'); expires in `
    + `${Math.round(request.expiresInSeconds / 60)} min. Pages can only ask; only you can approve.`;
  const close = doc.createElement('button');
  close.textContent = 'Dismiss';
  close.style.cssText = 'margin-top:8px';
  close.onclick = () => box.remove();
  box.append(title, p, cmd, small, close);
  doc.body.append(box);
  return () => box.remove();
}

// ------------------------------------------------------------------------------------------ the service

/**
 * One local service: knows its URL, keeps the page's token, pairs on first use and opens context sessions.
 * Options: `service` (URL, default http://127.0.0.1:7391), `token` (use this token), `tokenStorage`
 * ({get,set,delete}; default localStorage), `onPairingRequest(request)` (show the user what to approve;
 * may return a function that removes the notice), `pairingTimeoutMs`.
 */
export class Service {
  constructor(options = {}) {
    this.url = new URL(options.service ?? DEFAULT_SERVICE).origin;
    this.storage = options.tokenStorage ?? defaultStorage();
    this.key = 'anneau-webnn-token:' + this.url;
    this.explicitToken = options.token ?? null;
    this.onPairingRequest = options.onPairingRequest ?? showPairingNotice;
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
    this.pairing = null;
  }

  wsUrl(path) {
    return this.url.replace(/^http/, 'ws') + path;
  }

  storedToken() {
    return this.explicitToken ?? this.storage.get(this.key);
  }

  forgetToken() {
    this.explicitToken = null;
    this.storage.delete(this.key);
  }

  /** GET /v1/info with the token: true when the service knows this origin and token. */
  async tokenWorks(token) {
    if (!this.fetch) return true; // no fetch: the context's hello decides
    try {
      const r = await this.fetch(this.url + '/v1/info', {
        headers: { Authorization: 'Bearer ' + token },
        cache: 'no-store',
        credentials: 'omit',
        targetAddressSpace: 'loopback', // Local Network Access: a page may reach the user's own machine
      });
      if (!r.ok) return false;
      const info = await r.json();
      this.info = info;
      return info.protocol === PROTOCOL_VERSION;
    } catch {
      return false; // refused (no CORS headers), unpaired, or the service is not running
    }
  }

  /**
   * A token that works: the stored one, or a new one after the user approved this page's pairing request. A
   * stored token that does not work now is kept until a new one arrives: the service may only be restarting
   * (pairing then fails with NotSupportedError and the next attempt tries the token again).
   */
  async token() {
    const t = this.storedToken();
    if (t && await this.tokenWorks(t)) return t;
    if (!this.pairing) {
      this.pairing = this.pair().finally(() => {
        this.pairing = null;
      });
    }
    return this.pairing;
  }

  /** Asks the service for pairing and waits until the user approves (or the request expires). */
  pair() {
    return new Promise((resolve, reject) => {
      let ws;
      try {
        ws = new this.WebSocket(this.wsUrl('/v1/pair'));
      } catch (e) {
        reject(domError('NotSupportedError', `cannot reach the Anneau service at ${this.url}: ${e.message}`));
        return;
      }
      let opened = false;
      let done = false;
      let removeNotice = () => {};
      ws.onopen = () => {
        opened = true;
      };
      ws.onmessage = (ev) => {
        let m;
        try {
          m = JSON.parse(typeof ev.data === 'string' ? ev.data : decoder.decode(ev.data));
        } catch {
          return;
        }
        if (m.type === 'pairing') {
          try {
            removeNotice = this.onPairingRequest({
              service: this.url, origin: m.origin, code: m.code, command: m.approve, expiresInSeconds: m.expiresInSeconds,
            }) || (() => {});
          } catch (e) {
            console.warn('anneau: onPairingRequest failed', e);
          }
        } else if (m.type === 'paired' && typeof m.token === 'string') {
          done = true;
          removeNotice();
          if (!this.explicitToken) this.storage.set(this.key, m.token);
          else this.explicitToken = m.token;
          resolve(m.token);
        }
      };
      ws.onclose = (ev) => {
        if (done) return;
        removeNotice();
        if (!opened) {
          reject(domError('NotSupportedError', `the Anneau service is not reachable at ${this.url}; start it with 'anneau serve'`));
        } else {
          reject(domError('NotAllowedError', `pairing with the Anneau service was not approved (${ev.reason || 'closed ' + ev.code})`));
        }
      };
    });
  }

  /** Opens an authenticated context session (pairing first if needed). */
  async openSession(contextOptions) {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      const session = new Session(this, this.wsUrl('/v1/context'));
      try {
        await session.opened;
        const hello = await session.request({ type: 'hello', token, protocol: PROTOCOL_VERSION });
        session.serviceLimits = hello.header.limits;
        const created = await session.request({ type: 'createContext', options: contextOptions });
        session.backend = created.header.backend;
        session.accelerated = created.header.accelerated;
        const limits = await session.request({ type: 'opSupportLimits' });
        session.opSupportLimits = limits.header.limits;
        return session;
      } catch (e) {
        session.close();
        // a revoked or re-approved origin: its token is void; ask again once
        if (attempt === 0 && (e?.name === 'SecurityError' || e?.name === 'InvalidStateError')) {
          this.forgetToken();
          continue;
        }
        throw e;
      }
    }
  }
}

/** One context WebSocket: ordered requests and replies, pipelined. */
export class Session {
  constructor(service, url) {
    this.service = service;
    this.nextId = 1;
    this.pending = [];
    this.closed = false;
    this.lostHandlers = [];
    this.ws = new service.WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(domError('InvalidStateError',
        `the Anneau service refused the context connection at ${url} (not paired, revoked, or not running)`));
    });
    this.opened.catch(() => {});
    this.ws.onmessage = (ev) => this.receive(ev.data);
    this.ws.onclose = (ev) => this.onClose(ev.code, ev.reason);
  }

  receive(data) {
    let reply;
    try {
      reply = decodeFrame(data);
    } catch (e) {
      this.fail(domError('OperationError', 'malformed reply from the service: ' + e.message));
      return;
    }
    const p = this.pending.shift();
    if (!p) return;
    if (reply.header.id !== p.id && reply.header.id !== null) {
      this.fail(domError('OperationError', `reply ${reply.header.id} arrived for request ${p.id}`));
      return;
    }
    if (reply.header.ok) p.resolve(reply);
    else p.reject(errorFromReply(reply.header.error));
  }

  /** Sends a request; resolves with the reply {header, payload} or rejects with the error it names. */
  request(header, parts) {
    if (this.closed) return Promise.reject(this.lostError ?? domError('InvalidStateError', 'the context is lost'));
    const id = this.nextId++;
    const message = encodeFrame({ id, ...header }, parts);
    return new Promise((resolve, reject) => {
      this.pending.push({ id, resolve, reject });
      try {
        this.ws.send(message);
      } catch (e) {
        this.pending.pop();
        reject(domError('InvalidStateError', 'the context connection is closed'));
      }
    });
  }

  onClose(code, reason) {
    if (this.closed) return;
    this.closed = true;
    const message = reason ? `${reason} (${code})` : `connection closed (${code})`;
    this.lostError = domError('InvalidStateError', 'the MLContext is lost: ' + message);
    for (const p of this.pending.splice(0)) p.reject(this.lostError);
    for (const h of this.lostHandlers) h({ message, code });
  }

  fail(error) {
    this.lostError = error;
    try {
      this.ws.close(1000);
    } catch { /* already closed */ }
    this.onClose(1006, error.message);
  }

  close() {
    try {
      this.ws.close(1000, 'bye');
    } catch { /* already closed */ }
  }
}
