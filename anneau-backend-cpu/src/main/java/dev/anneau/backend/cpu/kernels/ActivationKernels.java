package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.ActivationOps;
import dev.anneau.webnn.ops.Broadcast;
import dev.anneau.webnn.ops.Numbers;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * CPU kernels of the activation family (see {@code dev.anneau.webnn.ActivationMethods}).
 *
 * <p>Floating-point activations compute each element in double from the input's value and round
 * once into the output type (float32, or float16 with a single round-to-nearest-even). The
 * scalar options arrive already cast to the input's type ({@link ActivationOps}).
 */
public final class ActivationKernels {
    private ActivationKernels() {}

    private static final double SQRT1_2 = 0.7071067811865476;

    public static void register(KernelRegistry registry) {
        registry.register("relu", op -> ActivationKernels::relu);
        registry.register("clamp", ActivationKernels::clamp);
        registry.register("elu", op -> {
            double alpha = op.attributes(ActivationOps.Alpha.class).alpha();
            return unary(x -> elu(x, alpha));
        });
        registry.register("gelu", op -> unary(ActivationKernels::gelu));
        registry.register("hardSigmoid", op -> {
            ActivationOps.AlphaBeta a = op.attributes(ActivationOps.AlphaBeta.class);
            double alpha = a.alpha(), beta = a.beta();
            return unary(x -> hardSigmoid(x, alpha, beta));
        });
        registry.register("hardSwish", op -> unary(ActivationKernels::hardSwish));
        registry.register("leakyRelu", op -> {
            double alpha = op.attributes(ActivationOps.Alpha.class).alpha();
            // max(0, x) + alpha * min(0, x); + 0.0 gives +0 for -0 as that sum does
            return unary(x -> x > 0 ? x : alpha * x + 0.0);
        });
        registry.register("linear", op -> {
            ActivationOps.AlphaBeta a = op.attributes(ActivationOps.AlphaBeta.class);
            double alpha = a.alpha(), beta = a.beta();
            return unary(x -> alpha * x + beta);
        });
        registry.register("prelu", ActivationKernels::prelu);
        registry.register("sigmoid", op -> unary(ActivationKernels::sigmoid));
        registry.register("softmax", ActivationKernels::softmax);
        registry.register("softplus", op -> unary(ActivationKernels::softplus));
        registry.register("softsign", op -> unary(ActivationKernels::softsign));
        registry.register("tanh", op -> unary(Math::tanh));
    }

    // ------------------------------------------------------------------ scalar functions (double in, double out)

    static double elu(double x, double alpha) {
        // max(0, x) + alpha * (exp(min(0, x)) - 1); expm1 keeps the digits near 0, + 0.0 turns -0 into +0 as the sum does
        return x > 0 ? x : alpha * Math.expm1(x) + 0.0;
    }

    static double gelu(double x) {
        // 0.5 * x * (1 + erf(x / sqrt(2))) = 0.5 * x * erfc(-x / sqrt(2)), which does not cancel for x << 0
        // (the WPT subgraph test 'batchNormalization options.axis=0 + gelu' expects the value of webnn-baseline's
        // Abramowitz-Stegun erf approximation, |error| <= 1.5e-7, and so sits 35 float32 ULP from this exact one)
        if (x == Double.NEGATIVE_INFINITY) return -0.0;
        return 0.5 * x * SpecialFunctions.erfc(-x * SQRT1_2);
    }

    static double hardSigmoid(double x, double alpha, double beta) {
        // max(min(alpha * x + beta, 1), 0); Math.min/max keep NaN
        return Math.max(Math.min(alpha * x + beta, 1.0), 0.0);
    }

    static double hardSwish(double x) {
        // x * max(0, min(6, x + 3)) / 6, written so that -Infinity gives 0 rather than -Infinity * 0
        if (x <= -3) return 0.0;
        if (x >= 3) return x;
        return x * (x + 3) / 6;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double softplus(double x) {
        // log(1 + exp(x)) without overflow for large x
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double softsign(double x) {
        // x / (1 + |x|), which tends to ±1 (Infinity / Infinity would be NaN)
        if (Double.isInfinite(x)) return Math.signum(x);
        return x / (1 + Math.abs(x));
    }

    // ------------------------------------------------------------------ elementwise float activations

    /** A kernel applying {@code f} to every element of a float32 or float16 tensor. */
    static Kernel unary(DoubleUnaryOperator f) {
        return (in, out) -> map(in[0], out[0], f);
    }

    static void map(CpuTensor x, CpuTensor y, DoubleUnaryOperator f) {
        switch (x.dataType()) {
            case FLOAT32 -> {
                float[] a = x.f32(), r = y.f32();
                for (int i = 0; i < a.length; i++) r[i] = (float) f.applyAsDouble(a[i]);
            }
            case FLOAT16 -> {
                short[] a = x.f16(), r = y.f16();
                for (int i = 0; i < a.length; i++) r[i] = Numbers.doubleToHalf(f.applyAsDouble(Float.float16ToFloat(a[i])));
            }
            default -> {
                for (int i = 0; i < x.size(); i++) y.set(i, f.applyAsDouble(x.get(i)));
            }
        }
    }

    // ------------------------------------------------------------------ relu

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

    // ------------------------------------------------------------------ clamp

    static Kernel clamp(Operation op) {
        ActivationOps.Clamp c = op.attributes(ActivationOps.Clamp.class);
        MLOperandDataType t = op.input(0).dataType();
        return switch (t) {
            case FLOAT32 -> {
                float min = (float) c.min(), max = (float) c.max();
                yield (in, out) -> {
                    float[] a = in[0].f32(), r = out[0].f32();
                    for (int i = 0; i < a.length; i++) {
                        float v = a[i];
                        r[i] = v < min ? min : (v > max ? max : v);   // NaN input stays NaN; a NaN bound bounds nothing
                    }
                };
            }
            case FLOAT16 -> {
                float min = (float) c.min(), max = (float) c.max();
                short minBits = Numbers.floatToHalf(min), maxBits = Numbers.floatToHalf(max);
                yield (in, out) -> {
                    short[] a = in[0].f16(), r = out[0].f16();
                    for (int i = 0; i < a.length; i++) {
                        float v = Float.float16ToFloat(a[i]);
                        r[i] = v < min ? minBits : (v > max ? maxBits : a[i]);
                    }
                };
            }
            case INT32 -> {
                int min = (int) c.minInteger(), max = (int) c.maxInteger();
                yield (in, out) -> {
                    int[] a = in[0].i32(), r = out[0].i32();
                    for (int i = 0; i < a.length; i++) r[i] = Math.min(Math.max(a[i], min), max);
                };
            }
            case UINT32 -> {
                int min = (int) c.minInteger(), max = (int) c.maxInteger();
                yield (in, out) -> {
                    int[] a = in[0].i32(), r = out[0].i32();
                    for (int i = 0; i < a.length; i++) {
                        int v = a[i];
                        r[i] = Integer.compareUnsigned(v, min) < 0 ? min : (Integer.compareUnsigned(v, max) > 0 ? max : v);
                    }
                };
            }
            case INT64 -> {
                long min = c.minInteger(), max = c.maxInteger();
                yield (in, out) -> {
                    long[] a = in[0].i64(), r = out[0].i64();
                    for (int i = 0; i < a.length; i++) r[i] = Math.min(Math.max(a[i], min), max);
                };
            }
            case UINT64 -> {
                long min = c.minInteger(), max = c.maxInteger();
                yield (in, out) -> {
                    long[] a = in[0].i64(), r = out[0].i64();
                    for (int i = 0; i < a.length; i++) {
                        long v = a[i];
                        r[i] = Long.compareUnsigned(v, min) < 0 ? min : (Long.compareUnsigned(v, max) > 0 ? max : v);
                    }
                };
            }
            default -> {
                // int8, uint8 (and the 4-bit extension): getLong gives the exact value, setLong stores it back
                long min = c.minInteger(), max = c.maxInteger();
                yield (in, out) -> {
                    CpuTensor x = in[0], y = out[0];
                    for (int i = 0; i < x.size(); i++) y.setLong(i, Math.min(Math.max(x.getLong(i), min), max));
                };
            }
        };
    }

    // ------------------------------------------------------------------ prelu

    /** prelu: max(0, x) + slope * min(0, x), input and slope bidirectionally broadcast to the output. */
    static Kernel prelu(Operation op) {
        int[] outDims = op.output(0).type().dims();
        int[] xDims = op.input(0).type().dims(), sDims = op.input(1).type().dims();
        int[] xStrides = Broadcast.broadcastStrides(xDims, outDims);
        int[] sStrides = Broadcast.broadcastStrides(sDims, outDims);
        int size = op.output(0).type().size();
        int sSize = op.input(1).type().size();
        boolean xFull = Arrays.equals(xDims, outDims);
        boolean sFull = Arrays.equals(sDims, outDims);
        MLOperandDataType t = op.input(0).dataType();
        // index maps: output element -> input / slope element; the common cases need none
        int[] xIndex = xFull ? null : indexMap(outDims, xStrides, size);
        int[] sIndex = sFull || sSize == 1 ? null : indexMap(outDims, sStrides, size);
        return (in, out) -> {
            CpuTensor x = in[0], s = in[1], y = out[0];
            if (t == MLOperandDataType.FLOAT32) {
                float[] a = x.f32(), sl = s.f32(), r = y.f32();
                for (int i = 0; i < size; i++) {
                    float v = a[xIndex == null ? i : xIndex[i]];
                    float k = sl[sIndex == null ? (sSize == 1 ? 0 : i) : sIndex[i]];
                    r[i] = v > 0 ? v : (float) ((double) k * v + 0.0);
                }
            } else if (t.isFloatingPoint()) {
                for (int i = 0; i < size; i++) {
                    double v = x.get(xIndex == null ? i : xIndex[i]);
                    double k = s.get(sIndex == null ? (sSize == 1 ? 0 : i) : sIndex[i]);
                    y.set(i, v > 0 ? v : k * v + 0.0);
                }
            } else {
                // int8/int32/int64: exact products, wrapped to the type's width on store
                for (int i = 0; i < size; i++) {
                    long v = x.getLong(xIndex == null ? i : xIndex[i]);
                    long k = s.getLong(sIndex == null ? (sSize == 1 ? 0 : i) : sIndex[i]);
                    y.setLong(i, v > 0 ? v : k * v);
                }
            }
        };
    }

    /** For each output element (row-major over {@code outDims}), the linear index into an operand with {@code strides}. */
    static int[] indexMap(int[] outDims, int[] strides, int size) {
        int rank = outDims.length;
        int[] map = new int[size];
        int[] counter = new int[rank];
        int offset = 0;
        for (int i = 0; i < size; i++) {
            map[i] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                offset += strides[d];
                if (counter[d] < outDims[d]) break;
                offset -= strides[d] * outDims[d];
                counter[d] = 0;
            }
        }
        return map;
    }

    // ------------------------------------------------------------------ softmax

    /** softmax along one axis: exp(x - max) / sum(exp(x - max)), in double, rounded once into the output. */
    static Kernel softmax(Operation op) {
        int axis = op.attributes(ActivationOps.Softmax.class).axis();
        int[] dims = op.input(0).type().dims();
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= dims[d];
        for (int d = axis + 1; d < dims.length; d++) inner *= dims[d];
        int n = dims[axis];
        int outerCount = outer, innerCount = inner;
        return (in, out) -> {
            CpuTensor x = in[0], y = out[0];
            double[] e = new double[n];
            boolean f32 = x.dataType() == MLOperandDataType.FLOAT32;
            float[] a = f32 ? x.f32() : null, r = f32 ? y.f32() : null;
            for (int o = 0; o < outerCount; o++) {
                for (int i = 0; i < innerCount; i++) {
                    int base = o * n * innerCount + i;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < n; k++) {
                        double v = f32 ? a[base + k * innerCount] : x.get(base + k * innerCount);
                        e[k] = v;
                        // NaN makes the whole row NaN, as max() and the sums propagate it
                        max = v > max || v != v ? v : max;
                    }
                    double sum = 0;
                    for (int k = 0; k < n; k++) {
                        e[k] = Math.exp(e[k] - max);
                        sum += e[k];
                    }
                    for (int k = 0; k < n; k++) {
                        double v = e[k] / sum;
                        if (f32) r[base + k * innerCount] = (float) v;
                        else y.set(base + k * innerCount, v);
                    }
                }
            }
        };
    }
}
