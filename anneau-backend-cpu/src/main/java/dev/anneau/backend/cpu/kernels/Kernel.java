package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;

/**
 * One operation prepared for execution. {@code inputs} follow the operation's input order (null
 * for absent optional operands) and must not be modified; {@code outputs} are freshly allocated
 * (or the caller's output tensors) of the validated output types.
 */
@FunctionalInterface
public interface Kernel {
    void run(CpuTensor[] inputs, CpuTensor[] outputs);
}
