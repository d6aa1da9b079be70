package dev.anneau.backend.ort;

import ai.onnxruntime.OrtProvider;
import dev.anneau.backend.ort.lowering.LoweringRegistry;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.graph.GraphDefinition;
import dev.anneau.webnn.ops.OpSupport;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.spi.Backend;
import dev.anneau.webnn.spi.BackendTensor;
import dev.anneau.webnn.spi.CompiledGraph;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** One context on ONNX Runtime. Tensors and sessions it created are closed with it. */
final class OrtBackend implements Backend {
    static final LoweringRegistry LOWERINGS = LoweringRegistry.standard();

    /** What the spec allows, narrowed to the types each lowering registered as passing on ORT. */
    private static final OpSupport SUPPORT = OpSupport.specAllowedWithin((operator, operand) -> {
        LoweringRegistry.Entry e = LOWERINGS.get(operator);
        return e == null ? null : e.typesFor(operand);
    });

    private final List<OrtProvider> providers;
    private final Set<AutoCloseable> resources = Collections.newSetFromMap(new IdentityHashMap<>());

    OrtBackend(MLContextOptions options) {
        OrtRuntime.ensureAvailability();
        this.providers = ProviderSelection.choose(options, OrtRuntime.providers());
    }

    List<OrtProvider> providers() { return providers; }

    @Override
    public String name() { return OrtBackendProvider.NAME; }

    @Override
    public boolean accelerated() { return providers.stream().anyMatch(p -> p != OrtProvider.CPU); }

    @Override
    public OpSupport support() { return SUPPORT; }

    @Override
    public CompiledGraph compile(GraphDefinition graph) {
        OrtGraph g = new OrtGraph(graph, LOWERINGS, providers);
        resources.add(g);
        return new CompiledGraph() {
            @Override
            public void execute(java.util.Map<String, BackendTensor> inputs, java.util.Map<String, BackendTensor> outputs) {
                g.execute(inputs, outputs);
            }

            @Override
            public String describe() { return g.describe(); }

            @Override
            public void close() {
                if (resources.remove(g)) g.close();
            }
        };
    }

    @Override
    public BackendTensor allocate(TensorType type) {
        OrtTensor t = new OrtTensor(type);
        resources.add(t);
        return new BackendTensorHandle(t);
    }

    /** Lets a destroyed MLTensor release its native memory exactly once, whoever closes first. */
    private final class BackendTensorHandle implements BackendTensor {
        final OrtTensor tensor;

        BackendTensorHandle(OrtTensor tensor) { this.tensor = tensor; }

        @Override
        public TensorType type() { return tensor.type(); }

        @Override
        public void close() {
            if (resources.remove(tensor)) tensor.close();
        }
    }

    static OrtTensor unwrap(BackendTensor t) { return ((BackendTensorHandle) t).tensor; }

    @Override
    public void write(BackendTensor tensor, ByteBuffer src) { unwrap(tensor).write(src); }

    @Override
    public void read(BackendTensor tensor, ByteBuffer dst) { unwrap(tensor).read(dst); }

    @Override
    public void close() {
        for (AutoCloseable r : List.copyOf(resources)) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing the rest matters more than one failure
            }
        }
        resources.clear();
    }
}
