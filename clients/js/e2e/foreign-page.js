// A page of an origin the user never approved (or a DNS-rebinding page): everything it tries must fail.
// window.attack(stolenToken) and window.rebindAttack() return [{name, refused, detail}].
const service = new URLSearchParams(location.search).get('service');
const wsService = service.replace(/^http/, 'ws');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function fetchRefused(name, url, init = {}) {
  try {
    const r = await fetch(url, { cache: 'no-store', targetAddressSpace: 'loopback', ...init });
    let body = null;
    try {
      body = await r.text();
    } catch { /* opaque */ }
    // no-cors answers are opaque: status 0, no body the page could read
    const unreadable = r.type === 'opaque' && r.status === 0 && !body;
    return { name, refused: unreadable, detail: { type: r.type, status: r.status, body } };
  } catch (e) {
    return { name, refused: true, detail: `${e.name}: ${e.message}` };
  }
}

function socketRefused(name, url, firstMessage) {
  return new Promise((resolve) => {
    let opened = false;
    let replies = [];
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const done = (detail) => {
      try { ws.close(); } catch { /* closed */ }
      resolve({ name, refused: !opened || replies.every((r) => !/"ok":true|"paired"/.test(r)), detail: { opened, replies, ...detail } });
    };
    ws.onopen = () => {
      opened = true;
      if (firstMessage) ws.send(firstMessage);
    };
    ws.onmessage = (ev) => {
      replies.push(typeof ev.data === 'string' ? ev.data : new TextDecoder().decode(ev.data));
    };
    ws.onclose = (ev) => done({ code: ev.code });
    setTimeout(() => done({ timeout: true }), 3000);
  });
}

function imageRefused(name, url) {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve({ name, refused: false, detail: 'the image loaded' });
    img.onerror = () => resolve({ name, refused: true, detail: 'error event' });
    img.src = url + (url.includes('?') ? '&' : '?') + 'n=' + Math.random();
  });
}

function postForm(url) {
  const f = document.createElement('form');
  f.method = 'POST';
  f.action = url;
  f.target = 'sink';
  const i = document.createElement('input');
  i.name = 'approve';
  i.value = location.origin;
  f.append(i);
  document.body.append(f);
  f.submit();
}

window.attack = async (stolenToken) => {
  const results = [];
  const { createML } = await import(service + '/client/index.js');
  results.push(await fetchRefused('fetch /health (CORS): the response is unreadable', service + '/health'));
  results.push(await fetchRefused("fetch /v1/info with the approved page's token: refused", service + '/v1/info',
    { headers: { Authorization: 'Bearer ' + stolenToken } }));
  results.push(await fetchRefused('fetch /v1/info without a token: refused', service + '/v1/info'));
  results.push(await socketRefused('WebSocket /v1/context: no session', wsService + '/v1/context'));
  results.push(await socketRefused("WebSocket /v1/context + hello with the approved page's token: no session", wsService + '/v1/context',
    JSON.stringify({ id: 1, type: 'hello', token: stolenToken, protocol: 1 })));
  const pairSocket = await socketRefused('WebSocket /v1/pair + a self-approval message: no token', wsService + '/v1/pair',
    JSON.stringify({ type: 'approve', origin: location.origin }));
  results.push(pairSocket);
  // the polyfill itself, with the stolen token: it must fall back to asking (nobody approves) and never get a context
  let pairing = null;
  let outcome = 'pending';
  const ml = createML({ service, token: stolenToken, onPairingRequest: (r) => { pairing = r; } });
  ml.createContext().then(() => { outcome = 'context created'; }, (e) => { outcome = `${e.name}: ${e.message}`; });
  await sleep(3000);
  results.push({ name: "createContext() with the approved page's token: no context (only a pairing request nobody approves)",
    refused: outcome !== 'context created' && pairing !== null, detail: { outcome, pairingCode: pairing?.code } });
  // requests that are not CORS: no-cors fetches, images, form posts; the service must not even route them
  for (const path of ['/health', '/v1/info', '/v1/pair', '/v1/context']) {
    results.push(await fetchRefused(`no-cors fetch ${path}: opaque`, service + path, { mode: 'no-cors' }));
    results.push(await imageRefused(`<img src=${path}>: not loaded`, service + path));
    postForm(service + path);
  }
  await sleep(1500);
  return results;
};

window.rebindAttack = async () => {
  const results = [];
  results.push(await fetchRefused(`fetch ${service}/health: refused`, service + '/health'));
  results.push(await socketRefused(`WebSocket ${wsService}/v1/pair: refused`, wsService + '/v1/pair'));
  try {
    await import(service + '/client/index.js');
    results.push({ name: `import ${service}/client/index.js: refused`, refused: false, detail: 'loaded' });
  } catch (e) {
    results.push({ name: `import ${service}/client/index.js: refused`, refused: true, detail: `${e.name}: ${e.message}` });
  }
  return results;
};

// the public client code loads from any origin (it holds no data); check that first
(async () => {
  try {
    if (!location.hostname.endsWith('.test')) await import(service + '/client/index.js');
    window.__ready = true;
  } catch (e) {
    console.log(`cannot load the client: ${e.message}`);
    window.__ready = true;
  }
})();
