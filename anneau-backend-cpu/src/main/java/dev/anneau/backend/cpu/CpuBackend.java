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

/** One context's CPU backend: tensors are {@link CpuTensor}s, graphs are {@link CpuGraph}s. */
final class CpuBackend implements Backend {
    /** The default kernels; also what {@link #support()} answers from (every registry has the same operators). */
    static final KernelRegistry KERNELS = KernelRegistry.standard();

    /** The CPU backend implements every data type the spec allows for each operator it has a kernel for. */
    private static final OpSupport SUPPORT = OpSupport.specAllowedWithin(
            (operator, operand) -> KERNELS.get(operator) == null ? null : EnumSet.allOf(MLOperandDataType.class));

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
