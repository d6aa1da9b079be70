package dev.anneau.backend.cpu;

import dev.anneau.backend.cpu.kernels.KernelRegistry;
import dev.anneau.backend.cpu.simd.FloatKernels;
import dev.anneau.backend.cpu.simd.VectorSupport;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.spi.Availability;
import dev.anneau.webnn.spi.Backend;
import dev.anneau.webnn.spi.BackendProvider;

/**
 * The pure-Java backend: always available, the lowest priority so that accelerators win when
 * present. Its float32 inner loops use the Vector API when the JVM allows it ({@link VectorSupport});
 * {@code -Danneau.vector=false}, read when a context is created, gives a context on the scalar loops.
 */
public final class CpuBackendProvider implements BackendProvider {
    public static final String NAME = "cpu";

    /** The scalar registry, built only when a context asks for it. */
    private static final class Scalar {
        static final KernelRegistry KERNELS = KernelRegistry.standard(VectorSupport.scalar());
    }

    @Override
    public String name() { return NAME; }

    @Override
    public int priority() { return 10; }

    @Override
    public Availability probe() {
        return Availability.available("pure Java, " + Runtime.getRuntime().availableProcessors() + " cores, "
                + VectorSupport.status());
    }

    @Override
    public Backend create(MLContextOptions options) {
        FloatKernels simd = VectorSupport.forContext();
        return new CpuBackend(simd == CpuBackend.KERNELS.simd() ? CpuBackend.KERNELS : Scalar.KERNELS);
    }
}
