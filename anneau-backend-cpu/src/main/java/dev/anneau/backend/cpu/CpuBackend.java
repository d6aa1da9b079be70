package dev.anneau.backend.cpu;

import dev.anneau.backend.cpu.kernels.KernelRegistry;
import dev.anneau.backend.cpu.simd.FloatKernels;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.GraphDefinition;
import dev.anneau.webnn.ops.OpSupport;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.spi.Backend;
import dev.anneau.webnn.spi.BackendTensor;
import dev.anneau.webnn.spi.CompiledGraph;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

/** One context's CPU backend: tensors are {@link CpuTensor}s, graphs are {@link CpuGraph}s. */
final class CpuBackend implements Backend {
    /** The default kernels; also what {@link #support()} answers from (every registry has the same operators). */
    static final KernelRegistry KERNELS = KernelRegistry.standard();

    private static final OpSupport SUPPORT = new OpSupport() {
        private final OpSupport spec = OpSupport.everythingTheSpecAllows();

        @Override
        public Set<MLOperandDataType> dataTypes(String operator, String operand) {
            if (operator.equals("input") || operator.equals("constant") || operator.equals("output")) {
                return EnumSet.allOf(MLOperandDataType.class);
            }
            if (KERNELS.get(operator) == null) return EnumSet.noneOf(MLOperandDataType.class);
            return spec.dataTypes(operator, operand);
        }
    };

    private final KernelRegistry kernels;

    CpuBackend() { this(KERNELS); }

    CpuBackend(KernelRegistry kernels) { this.kernels = kernels; }

    /** The scalar or vector inner loops this backend's kernels run on. */
    FloatKernels simd() { return kernels.simd(); }

    @Override
    public String name() { return CpuBackendProvider.NAME; }

    @Override
    public boolean accelerated() { return false; }

    @Override
    public OpSupport support() { return SUPPORT; }

    @Override
    public CompiledGraph compile(GraphDefinition graph) { return new CpuGraph(graph, kernels); }

    @Override
    public BackendTensor allocate(TensorType type) { return new CpuTensor(type); }

    @Override
    public void write(BackendTensor tensor, ByteBuffer src) { ((CpuTensor) tensor).readFrom(src); }

    @Override
    public void read(BackendTensor tensor, ByteBuffer dst) { ((CpuTensor) tensor).writeTo(dst); }

    @Override
    public void close() {}
}
