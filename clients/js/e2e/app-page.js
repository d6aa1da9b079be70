// The origin the user approves: pairs through the polyfill's normal flow, then computes a small graph.
const service = new URLSearchParams(location.search).get('service');
const log = (line) => {
  document.getElementById('log').textContent += line + '\n';
  console.log(line);
};

async function main() {
  const { install } = await import(service + '/client/index.js');
  const ml = install({ service, force: true, onPairingRequest: (r) => log(`pairing requested: ${r.command} (code ${r.code})`) });
  const context = await ml.createContext();
  const builder = new MLGraphBuilder(context);
  const x = builder.input('x', { dataType: 'float32', shape: [4] });
  const y = builder.relu(builder.add(x, builder.constant({ dataType: 'float32', shape: [4] }, new Float32Array([1, 1, 1, 1]))));
  const graph = await builder.build({ y });
  const input = await context.createTensor({ dataType: 'float32', shape: [4], writable: true });
  const output = await context.createTensor({ dataType: 'float32', shape: [4], readable: true });
  context.writeTensor(input, new Float32Array([-3, -1, 0, 2.5]));
  context.dispatch(graph, { x: input }, { y: output });
  const result = Array.from(new Float32Array(await context.readTensor(output)));
  const ok = JSON.stringify(result) === JSON.stringify([0, 0, 1, 3.5]);
  log(`relu(x + 1) = [${result}] ${ok ? 'as expected' : 'WRONG'}`);
  window.__app = { ok, result, token: localStorage.getItem('anneau-webnn-token:' + new URL(service).origin) };
}

main().catch((e) => {
  log(`ERROR ${e?.name}: ${e?.message}`);
  window.__app = { ok: false, error: `${e?.name}: ${e?.message}` };
});
