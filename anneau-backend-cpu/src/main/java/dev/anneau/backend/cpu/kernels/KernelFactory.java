package dev.anneau.backend.cpu.kernels;

import dev.anneau.webnn.graph.Operation;

/**
 * Prepares a {@link Kernel} for one operation at {@code build()} time, so per-dispatch work is
 * only the computation (attributes are read, strides and loops planned, once).
 */
@FunctionalInterface
public interface KernelFactory {
    Kernel prepare(Operation operation);
}
