package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;

/** CPU kernels of the activation family (see {@code dev.anneau.webnn.ActivationMethods}). */
public final class ActivationKernels {
    private ActivationKernels() {}

    public static void register(KernelRegistry registry) {
        registry.register("relu", op -> ActivationKernels::relu);
    }

    static void relu(CpuTensor[] in, CpuTensor[] out) {
        CpuTensor x = in[0], y = out[0];
        switch (x.dataType()) {
            case FLOAT32 -> {
                float[] a = x.f32(), r = y.f32();
                // keeps NaN and maps -0 to +0, like max(0, x) in the reference
                for (int i = 0; i < a.length; i++) r[i] = a[i] > 0 ? a[i] : (a[i] != a[i] ? a[i] : 0f);
            }
            default -> {
                if (x.dataType().isFloatingPoint()) {
                    for (int i = 0; i < x.size(); i++) {
                        double v = x.get(i);
                        y.set(i, v > 0 || Double.isNaN(v) ? v : 0.0);
                    }
                } else {
                    for (int i = 0; i < x.size(); i++) y.setLong(i, Math.max(0L, x.getLong(i)));
                }
            }
        }
    }
}
