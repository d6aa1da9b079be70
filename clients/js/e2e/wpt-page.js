// Loads the polyfill from the service, then runs WPT conformance graphs through it; results go to window.__results.
import { runGraphTest } from './wpt-harness.js';

const params = new URLSearchParams(location.search);
const service = params.get('service');
const select = params.get('select') ?? 'all';
const log = (line) => {
  document.getElementById('log').textContent += line + '\n';
  console.log(line);
};

/** The tests to run: 'all', or 'every:N' (every N-th test of each file, always its first). */
function selection(tests) {
  if (select === 'all') return tests;
  const m = /^every:(\d+)$/.exec(select);
  if (m) return tests.filter((t) => t.index % Number(m[1]) === 0);
  throw new Error('unknown selection ' + select);
}

async function main() {
  const { install } = await import(service + '/client/index.js');
  const hadNative = 'ml' in navigator;
  const ml = install({
    service,
    force: true,
    onPairingRequest(request) {
      window.__pairing = request;
      log(`pairing requested: code ${request.code}; ${request.command}`);
    },
  });
  const context = await ml.createContext();
  log(`context: backend ${context.backend}, native WebNN before install: ${hadNative}`);
  const files = await (await fetch('/wpt-index.json')).json();
  const quirks = await (await fetch('/quirks.json')).json();
  const tests = [];
  for (const entry of files) {
    const list = await (await fetch('/wpt/' + entry)).json();
    const [set, file] = entry.split('/'); // conformance/abs.json: quirks name the file alone
    list.forEach((t, index) => tests.push({ ...t, set, file, index }));
  }
  const chosen = selection(tests);
  log(`${tests.length} tests in ${files.length} files; running ${chosen.length} (${select})`);
  const results = [];
  const t0 = performance.now();
  for (const test of chosen) {
    const r = await runGraphTest(test, context, MLGraphBuilder, quirks);
    results.push({ set: test.set, file: test.file, name: test.name, ...r });
    if (r.status === 'failed') log(`FAILED ${test.set}/${test.file} :: ${test.name}: ${r.reason}`);
    if (results.length % 200 === 0) log(`${results.length} done`);
  }
  const count = (s) => results.filter((r) => r.status === s).length;
  const bySet = {};
  for (const r of results) {
    bySet[r.set] ??= { run: 0, passed: 0 };
    bySet[r.set].run++;
    if (r.status === 'passed') bySet[r.set].passed++;
  }
  window.__results = {
    total: tests.length,
    sets: bySet,
    run: results.length,
    passed: count('passed'),
    failed: count('failed'),
    expectedUnsupported: count('expected-unsupported'),
    knownWrongExpectation: count('known-wrong-expectation'),
    files: files.length,
    operators: [...new Set(chosen.flatMap((t) => t.graph.operators.map((o) => o.name)))].sort(),
    seconds: (performance.now() - t0) / 1000,
    backend: context.backend,
    nativeWebNNBeforeInstall: hadNative,
    failures: results.filter((r) => r.status === 'failed'),
  };
  log(`done: ${window.__results.passed} passed, ${window.__results.failed} failed in ${window.__results.seconds.toFixed(1)} s`);
  context.destroy();
}

main().catch((e) => {
  log(`ERROR ${e?.name}: ${e?.message}`);
  window.__results = { error: `${e?.name}: ${e?.message}` };
});
