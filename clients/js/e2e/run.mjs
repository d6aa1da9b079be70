// Drives headless Chromium (Debian's `chromium`, through playwright-core) for the browser end-to-end tests.
// Started by the Maven test run (anneau-bridge BrowserEndToEndTest), which runs the service and the page servers:
//
//   node run.mjs wpt       the WPT conformance graphs through the polyfill, in a page of the app origin
//   node run.mjs security  a foreign origin, DNS rebinding, no-cors/form/<img> requests: all refused
//
// Environment: ANNEAU_SERVICE (http://127.0.0.1:PS), ANNEAU_APP (http://127.0.0.1:PA, the origin the test
// approves), ANNEAU_FOREIGN (http://127.0.0.1:PF, never approved), ANNEAU_CHROMIUM (default /usr/bin/chromium),
// ANNEAU_RESULTS (JSON file to write), ANNEAU_WPT_SELECT ('all' or 'every:N'), ANNEAU_TIMEOUT_MS.
// Exit status 0 only when every check passed; the JSON carries the details for the Java test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (k, d) => process.env[k] ?? d;
const SERVICE = env('ANNEAU_SERVICE');
const APP = env('ANNEAU_APP');
const FOREIGN = env('ANNEAU_FOREIGN');
const CHROMIUM = env('ANNEAU_CHROMIUM', '/usr/bin/chromium');
const RESULTS = env('ANNEAU_RESULTS');
const TIMEOUT = Number(env('ANNEAU_TIMEOUT_MS', '240000'));
const mode = process.argv[2];
if (!SERVICE || !APP || !FOREIGN || !['wpt', 'security'].includes(mode)) {
  console.error('usage: ANNEAU_SERVICE=... ANNEAU_APP=... ANNEAU_FOREIGN=... node run.mjs wpt|security');
  process.exit(2);
}
const port = (url) => new URL(url).port;

/** The flags the project uses for Chromium (DEVELOPERS notes in the issue), plus a fresh profile. */
async function launch(extraArgs = []) {
  const profile = mkdtempSync(join(tmpdir(), 'anneau-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extraArgs],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function relay(page, prefix) {
  page.on('console', (m) => console.log(`${prefix} ${m.text()}`));
  page.on('pageerror', (e) => console.log(`${prefix} page error: ${e.message}`));
}

async function runWpt() {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    relay(page, '[wpt]');
    const select = env('ANNEAU_WPT_SELECT', 'all');
    await page.goto(`${APP}/wpt.html?service=${encodeURIComponent(SERVICE)}&select=${encodeURIComponent(select)}`);
    await page.waitForFunction(() => window.__results !== undefined, null, { timeout: TIMEOUT, polling: 250 });
    const r = await page.evaluate(() => window.__results);
    const demo = await runDemo(browser.context);
    const ok = !r.error && r.failed === 0 && (r.sets?.conformance?.passed ?? 0) >= 500 && demo.ok;
    return { ok, wpt: r, demo };
  } finally {
    await browser.close();
  }
}

/**
 * The demo page that `anneau serve` shows at `/` (the README's main job): it pairs like any page, builds
 * softmax(relu(x·W + b)) and shows y. Checked against the same formula in double precision.
 */
async function runDemo(context) {
  const page = await context.newPage();
  relay(page, '[demo]');
  await page.goto(SERVICE + '/');
  try {
    await page.waitForFunction(() => document.body.dataset.result !== undefined, null, { timeout: 60000 });
  } catch {
    return { ok: false, status: await page.textContent('#status') };
  }
  const got = (await page.evaluate(() => document.body.dataset.result)).split(',').map(Number);
  // the demo's constants (clients/js/demo/demo.js) and its default input
  const x = [1, -2, 3, 0.5, -1, 2, -0.5, 4];
  const W = [0.5, -1, 0.25, 1, 0.5, -0.5, -0.75, 0.25, 1, 0.1, 0.2, 0.3];
  const B = [0.1, 0, -0.1];
  const want = [];
  for (let r = 0; r < 2; r++) {
    const z = [0, 1, 2].map((c) => Math.max(0, B[c] + [0, 1, 2, 3].reduce((s, k) => s + x[r * 4 + k] * W[k * 3 + c], 0)));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    want.push(...e.map((v) => v / sum));
  }
  const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i])));
  const text = await page.textContent('#result');
  await page.close();
  return { ok: got.length === 6 && worst < 1e-5, got, want, worst, text };
}

/** The security scenarios. Each check records what happened; `ok` says whether it is what must happen. */
async function runSecurity() {
  const checks = [];
  const check = (name, ok, detail) => {
    checks.push({ name, ok: Boolean(ok), detail });
    console.log(`[security] ${ok ? 'ok  ' : 'FAIL'} ${name}${detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`);
  };
  const PA = port(APP);
  const PF = port(FOREIGN);
  const browser = await launch([
    `--ip-address-space-overrides=127.0.0.1:${PA}=public,127.0.0.1:${PF}=public`,
    '--host-resolver-rules=MAP rebind.test 127.0.0.1',
  ]);
  try {
    const ctx = browser.context;
    let granted = null;
    try {
      await ctx.grantPermissions(['local-network-access'], { origin: APP });
      await ctx.grantPermissions(['local-network-access'], { origin: FOREIGN });
      granted = true;
    } catch (e) {
      granted = `not granted: ${e.message.split('\n')[0]}`;
    }
    check('local-network-access permission granted to both public pages', granted === true, granted);

    // 1. the paired app origin, as a public site with the permission granted, works: the refusals below are ours
    const app = await ctx.newPage();
    relay(app, '[app]');
    await app.goto(`${APP}/app.html?service=${encodeURIComponent(SERVICE)}`);
    await app.waitForFunction(() => window.__app !== undefined, null, { timeout: 60000 });
    const appResult = await app.evaluate(() => window.__app);
    check('the approved origin (public address space, permission granted) pairs and computes', appResult.ok, appResult);
    const stolenToken = appResult.token;

    // 2. a foreign origin: loads the public client, but gets no pairing, no compute and cannot read responses
    const foreign = await ctx.newPage();
    relay(foreign, '[foreign]');
    await foreign.goto(`${FOREIGN}/foreign.html?service=${encodeURIComponent(SERVICE)}`);
    await foreign.waitForFunction(() => window.__ready === true, null, { timeout: 30000 });
    const attempts = await foreign.evaluate(async (token) => window.attack(token), stolenToken);
    for (const a of attempts) check(`foreign page: ${a.name}`, a.refused, a.detail);

    // 3. DNS rebinding: rebind.test resolves to 127.0.0.1; a request naming it reaches the service and is refused
    for (const path of ['/health', '/', '/client/index.js', '/v1/info']) {
      const page = await ctx.newPage();
      const response = await page.goto(`http://rebind.test:${port(SERVICE)}${path}`).catch((e) => ({ error: e.message }));
      const status = response?.status?.() ?? response?.error;
      const body = response?.text ? await response.text().catch(() => '') : '';
      check(`rebinding: GET http://rebind.test:${port(SERVICE)}${path} is refused by the Host check`, status === 403, { status, body });
      await page.close();
    }
  } finally {
    await browser.close();
  }

  // 4. a rebinding page: rebind.test now resolves to 127.0.0.1, so the attacker's page (http://rebind.test:PF) and
  // the service (http://rebind.test:PS) look like one site on loopback; no address-space override this time, so
  // the browser sends everything and only the service's Host check stands in the way (the Java test counts the
  // Host refusals the service made)
  const plain = await launch(['--host-resolver-rules=MAP rebind.test 127.0.0.1']);
  try {
    const rebound = await plain.context.newPage();
    relay(rebound, '[rebound]');
    await rebound.goto(`http://rebind.test:${PF}/foreign.html?service=${encodeURIComponent(`http://rebind.test:${port(SERVICE)}`)}`);
    await rebound.waitForFunction(() => window.__ready === true, null, { timeout: 30000 });
    const reboundAttempts = await rebound.evaluate(async () => window.rebindAttack());
    for (const a of reboundAttempts) check(`rebinding page: ${a.name}`, a.refused, a.detail);
  } finally {
    await plain.close();
  }
  return { ok: checks.every((c) => c.ok), checks };
}

let result;
try {
  result = mode === 'wpt' ? await runWpt() : await runSecurity();
} catch (e) {
  result = { ok: false, error: `${e.name}: ${e.message}` };
  console.error(e);
}
if (RESULTS) writeFileSync(RESULTS, JSON.stringify(result, null, 2));
console.log(`run.mjs ${mode}: ${result.ok ? 'OK' : 'FAILED'}`);
process.exit(result.ok ? 0 : 1);
