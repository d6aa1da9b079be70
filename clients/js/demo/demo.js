// The demo page of `anneau serve`: builds a small graph with WebNN and shows the result.
import { install } from '/client/index.js';

const $ = (id) => document.getElementById(id);
const status = (text, error) => {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
};

const ml = install({
  onPairingRequest(request) {
    status(`This page (${request.origin}) is not paired with the service yet. Approve it in a terminal:`);
    $('pairing').hidden = false;
    $('pairing').textContent = `anneau pair approve ${request.code}\n\n(or: ${request.command})`;
    return () => { $('pairing').hidden = true; };
  },
});

const W = new Float32Array([0.5, -1, 0.25, 1, 0.5, -0.5, -0.75, 0.25, 1, 0.1, 0.2, 0.3]);
const B = new Float32Array([0.1, 0, -0.1]);

async function main() {
  status('Connecting to the local service…');
  const context = await ml.createContext();
  status(`Connected: backend ${context.backend ?? 'native'}${context.accelerated ? ' (accelerated)' : ''}.`);
  const builder = new MLGraphBuilder(context);
  const x = builder.input('x', { dataType: 'float32', shape: [2, 4] });
  const w = builder.constant({ dataType: 'float32', shape: [4, 3] }, W);
  const b = builder.constant({ dataType: 'float32', shape: [3] }, B);
  const y = builder.softmax(builder.relu(builder.add(builder.matmul(x, w), b)), 1);
  $('graph').textContent = `x: ${x.dataType} [${x.shape}]  →  y: ${y.dataType} [${y.shape}]\n`
    + 'shape inference and validation ran in the page, before anything was sent';
  const graph = await builder.build({ y });
  const input = await context.createTensor({ dataType: 'float32', shape: [2, 4], writable: true });
  const output = await context.createTensor({ dataType: 'float32', shape: [2, 3], readable: true });
  const run = async () => {
    const values = $('x').value.trim().split(/[\s,]+/).map(Number);
    if (values.length !== 8 || values.some(Number.isNaN)) {
      $('result').textContent = 'x needs 8 numbers';
      return;
    }
    const t0 = performance.now();
    context.writeTensor(input, new Float32Array(values));
    context.dispatch(graph, { x: input }, { y: output });
    const out = new Float32Array(await context.readTensor(output));
    const ms = performance.now() - t0;
    const rows = [0, 1].map((r) => Array.from(out.slice(r * 3, r * 3 + 3), (v) => v.toFixed(4)).join('  '));
    $('result').textContent = `y =\n  ${rows.join('\n  ')}\n\n(write + dispatch + read: ${ms.toFixed(2)} ms)`;
    document.body.dataset.result = Array.from(out).join(',');
  };
  $('run').onclick = () => run().catch(show);
  $('run').disabled = false;
  await run();
}

function show(e) {
  status(`${e.name}: ${e.message}`, true);
}

main().catch(show);
