package dev.anneau.backend.cpu.kernels;

import dev.anneau.webnn.ops.TensorType;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.NormalizationOps;

/**
 * CPU kernels of the normalization family (see {@code dev.anneau.webnn.NormalizationMethods}).
 * Means and variances are computed in double (two passes: the mean, then the mean of the squared
 * deviations), and each output is {@code scale * (x - mean) / sqrt(variance + epsilon) + bias}
 * evaluated in double and rounded once into the output type.
 */
public final class NormalizationKernels {
    private NormalizationKernels() {}

    public static void register(KernelRegistry registry) {
        registry.register("batchNormalization", NormalizationKernels::batchNormalization);
        registry.register("instanceNormalization", NormalizationKernels::instanceNormalization);
        registry.register("layerNormalization", NormalizationKernels::layerNormalization);
    }

    // ------------------------------------------------------------------ batchNormalization

    /** Inputs: input, mean, variance, scale (or null), bias (or null). */
    static Kernel batchNormalization(Operation op) {
        NormalizationOps.BatchNormalization attrs = op.attributes(NormalizationOps.BatchNormalization.class);
        int[] dims = op.input(0).type().dims();
        int axis = attrs.axis();
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= dims[i];
        for (int i = axis + 1; i < dims.length; i++) inner *= dims[i];
        int channels = dims[axis];
        double epsilon = attrs.epsilon();
        int o1 = outer, i1 = inner;
        return (in, out) -> {
            CpuTensor x = in[0], mean = in[1], variance = in[2], scale = in[3], bias = in[4], y = out[0];
            float[] xf = x.f32(), yf = y.f32();
            // per channel: y = (x - mean) * (scale / sqrt(variance + epsilon)) + bias
            double[] m = new double[channels], f = new double[channels], b = new double[channels];
            for (int c = 0; c < channels; c++) {
                m[c] = mean.get(c);
                double s = scale == null ? 1.0 : scale.get(c);
                f[c] = s / Math.sqrt(variance.get(c) + epsilon);
                b[c] = bias == null ? 0.0 : bias.get(c);
            }
            int p = 0;
            for (int o = 0; o < o1; o++) {
                for (int c = 0; c < channels; c++) {
                    double mc = m[c], fc = f[c], bc = b[c];
                    for (int i = 0; i < i1; i++, p++) {
                        ReducePlan.write(yf, y, p, (ReducePlan.read(xf, x, p) - mc) * fc + bc);
                    }
                }
            }
        };
    }

    // ------------------------------------------------------------------ instanceNormalization

    /** Inputs: input, scale (or null), bias (or null). Statistics per (batch, channel) over the two spatial axes. */
    static Kernel instanceNormalization(Operation op) {
        NormalizationOps.InstanceNormalization attrs = op.attributes(NormalizationOps.InstanceNormalization.class);
        int[] dims = op.input(0).type().dims();
        int channelAxis = attrs.channelAxis();
        int[] spatial = channelAxis == 1 ? new int[] {2, 3} : new int[] {1, 2};
        // groups run over (n, c) in that order for both layouts, so group o has channel o % C
        ReducePlan plan = ReducePlan.of(dims, spatial);
        int channels = dims[channelAxis];
        double epsilon = attrs.epsilon();
        return (in, out) -> {
            CpuTensor x = in[0], scale = in[1], bias = in[2], y = out[0];
            float[] xf = x.f32(), yf = y.f32();
            int[] base = plan.base, roff = plan.roff;
            int n = roff.length;
            for (int o = 0; o < base.length; o++) {
                int bo = base[o];
                int c = o % channels;
                double mean = 0;
                for (int k = 0; k < n; k++) mean += ReducePlan.read(xf, x, bo + roff[k]);
                mean /= n;
                double var = 0;
                for (int k = 0; k < n; k++) {
                    double d = ReducePlan.read(xf, x, bo + roff[k]) - mean;
                    var += d * d;
                }
                var /= n;
                double f = (scale == null ? 1.0 : scale.get(c)) / Math.sqrt(var + epsilon);
                double b = bias == null ? 0.0 : bias.get(c);
                for (int k = 0; k < n; k++) {
                    int p = bo + roff[k];
                    ReducePlan.write(yf, y, p, (ReducePlan.read(xf, x, p) - mean) * f + b);
                }
            }
        };
    }

    // ------------------------------------------------------------------ layerNormalization

    /**
     * Inputs: input, scale (or null), bias (or null). Statistics over the given axes; scale and bias
     * dimension i is the input's dimension {@code axes[i]}, in the caller's order (not necessarily ascending).
     */
    static Kernel layerNormalization(Operation op) {
        NormalizationOps.LayerNormalization attrs = op.attributes(NormalizationOps.LayerNormalization.class);
        int[] dims = op.input(0).type().dims();
        int[] axes = attrs.axes();
        ReducePlan plan = ReducePlan.of(dims, axes);
        // index into scale/bias of each element of a group (groups enumerate the sorted axes)
        int[] scaleDims = new int[axes.length];
        for (int i = 0; i < axes.length; i++) scaleDims[i] = dims[axes[i]];
        int[] scaleStrides = TensorType.rowMajorStrides(scaleDims);
        int[] strideByAxis = new int[dims.length];
        for (int i = 0; i < axes.length; i++) strideByAxis[axes[i]] = scaleStrides[i];
        int[] sidx = ReducePlan.offsets(dims, ReducePlan.sortedCopy(axes), strideByAxis);
        double epsilon = attrs.epsilon();
        return (in, out) -> {
            CpuTensor x = in[0], scale = in[1], bias = in[2], y = out[0];
            float[] xf = x.f32(), yf = y.f32();
            float[] sf = scale == null ? null : scale.f32(), bf = bias == null ? null : bias.f32();
            int[] base = plan.base, roff = plan.roff;
            int n = roff.length;
            for (int o = 0; o < base.length; o++) {
                int bo = base[o];
                double mean = 0;
                for (int k = 0; k < n; k++) mean += ReducePlan.read(xf, x, bo + roff[k]);
                mean /= n;
                double var = 0;
                for (int k = 0; k < n; k++) {
                    double d = ReducePlan.read(xf, x, bo + roff[k]) - mean;
                    var += d * d;
                }
                var /= n;
                double inv = 1.0 / Math.sqrt(var + epsilon);
                for (int k = 0; k < n; k++) {
                    int p = bo + roff[k];
                    double v = (ReducePlan.read(xf, x, p) - mean) * inv;
                    if (scale != null) v *= ReducePlan.read(sf, scale, sidx[k]);
                    if (bias != null) v += ReducePlan.read(bf, bias, sidx[k]);
                    ReducePlan.write(yf, y, p, v);
                }
            }
        };
    }
}
