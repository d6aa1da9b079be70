package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.backend.cpu.simd.FloatKernels;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.ReductionOps;

/**
 * CPU kernels of the reduction family (see {@code dev.anneau.webnn.ReductionMethods}).
 * Floating-point reductions accumulate in double and round once into the output type; integer
 * ones (sum, L1, sum of squares, product, max, min) are exact in 64-bit arithmetic and wrap to
 * the output type like the integer tensor ops.
 */
public final class ReductionKernels {
    private ReductionKernels() {}

    enum Kind { L1, L2, LOG_SUM, LOG_SUM_EXP, MAX, MEAN, MIN, PRODUCT, SUM, SUM_SQUARE }

    public static void register(KernelRegistry registry) {
        FloatKernels simd = registry.simd();
        registry.register("reduceL1", op -> reduce(op, Kind.L1, simd));
        registry.register("reduceL2", op -> reduce(op, Kind.L2, simd));
        registry.register("reduceLogSum", op -> reduce(op, Kind.LOG_SUM, simd));
        registry.register("reduceLogSumExp", op -> reduce(op, Kind.LOG_SUM_EXP, simd));
        registry.register("reduceMax", op -> reduce(op, Kind.MAX, simd));
        registry.register("reduceMean", op -> reduce(op, Kind.MEAN, simd));
        registry.register("reduceMin", op -> reduce(op, Kind.MIN, simd));
        registry.register("reduceProduct", op -> reduce(op, Kind.PRODUCT, simd));
        registry.register("reduceSum", op -> reduce(op, Kind.SUM, simd));
        registry.register("reduceSumSquare", op -> reduce(op, Kind.SUM_SQUARE, simd));
        registry.register("argMin", op -> argMinMax(op, false));
        registry.register("argMax", op -> argMinMax(op, true));
        registry.register("cumulativeSum", ReductionKernels::cumulativeSum);
    }

    // ------------------------------------------------------------------ reduce*

    static Kernel reduce(Operation op, Kind kind, FloatKernels simd) {
        ReductionOps.Reduce attrs = op.attributes(ReductionOps.Reduce.class);
        MLOperandDataType type = op.input(0).type().dataType();
        ReducePlan plan = ReducePlan.of(op.input(0).type().dims(), attrs.axes());
        int n = plan.groupSize();
        boolean rows = n > 0 && plan.roff[n - 1] == n - 1; // each group is one contiguous run (trailing axes)
        if (type == MLOperandDataType.FLOAT32 && rows && kind != Kind.L1 && kind != Kind.PRODUCT
                && kind != Kind.LOG_SUM_EXP) {
            return (in, out) -> reduceRows(kind, plan, simd, in[0].f32(), out[0].f32());
        }
        if (type.isFloatingPoint()) return (in, out) -> reduceFloat(kind, plan, in[0], out[0]);
        return (in, out) -> reduceInteger(kind, plan, in[0], out[0]);
    }

    /**
     * float32 reductions whose groups are contiguous runs, on the {@link FloatKernels} row loops:
     * max/min exactly as {@link #reduceFloat}, the sums in double (possibly in another order).
     */
    static void reduceRows(Kind kind, ReducePlan plan, FloatKernels simd, float[] x, float[] y) {
        int[] base = plan.base;
        int n = plan.groupSize();
        for (int o = 0; o < base.length; o++) {
            int b = base[o];
            y[o] = switch (kind) {
                case SUM -> (float) simd.sum(x, b, n);
                case MEAN -> (float) (simd.sum(x, b, n) / n);
                case LOG_SUM -> (float) Math.log(simd.sum(x, b, n));
                case SUM_SQUARE -> (float) simd.sumOfSquares(x, b, n);
                case L2 -> (float) Math.sqrt(simd.sumOfSquares(x, b, n));
                case MAX -> simd.max(x, b, n);
                case MIN -> simd.min(x, b, n);
                default -> throw new IllegalStateException(kind.toString());
            };
        }
    }

    static void reduceFloat(Kind kind, ReducePlan plan, CpuTensor x, CpuTensor y) {
        float[] xf = x.f32(), yf = y.f32();
        int[] base = plan.base, roff = plan.roff;
        int n = roff.length;
        for (int o = 0; o < base.length; o++) {
            int b = base[o];
            double r;
            switch (kind) {
                case SUM, MEAN, LOG_SUM -> {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += ReducePlan.read(xf, x, b + roff[k]);
                    r = kind == Kind.SUM ? s : kind == Kind.MEAN ? s / n : Math.log(s);
                }
                case L1 -> {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += Math.abs(ReducePlan.read(xf, x, b + roff[k]));
                    r = s;
                }
                case SUM_SQUARE, L2 -> {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        double v = ReducePlan.read(xf, x, b + roff[k]);
                        s += v * v;
                    }
                    r = kind == Kind.L2 ? Math.sqrt(s) : s;
                }
                case PRODUCT -> {
                    double p = 1;
                    for (int k = 0; k < n; k++) p *= ReducePlan.read(xf, x, b + roff[k]);
                    r = p;
                }
                case MAX -> {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < n; k++) m = Math.max(m, ReducePlan.read(xf, x, b + roff[k]));
                    r = m;
                }
                case MIN -> {
                    double m = Double.POSITIVE_INFINITY;
                    for (int k = 0; k < n; k++) m = Math.min(m, ReducePlan.read(xf, x, b + roff[k]));
                    r = m;
                }
                case LOG_SUM_EXP -> {
                    // max + log(sum(exp(x - max))): no overflow of exp for large inputs
                    double m = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < n; k++) m = Math.max(m, ReducePlan.read(xf, x, b + roff[k]));
                    if (Double.isNaN(m) || Double.isInfinite(m)) {
                        r = m;
                    } else {
                        double s = 0;
                        for (int k = 0; k < n; k++) s += Math.exp(ReducePlan.read(xf, x, b + roff[k]) - m);
                        r = m + Math.log(s);
                    }
                }
                default -> throw new IllegalStateException(kind.toString());
            }
            ReducePlan.write(yf, y, o, r);
        }
    }

    static void reduceInteger(Kind kind, ReducePlan plan, CpuTensor x, CpuTensor y) {
        MLOperandDataType type = x.dataType();
        boolean signed = type.isSigned();
        boolean unsigned64 = type == MLOperandDataType.UINT64;
        int[] base = plan.base, roff = plan.roff;
        int n = roff.length;
        for (int o = 0; o < base.length; o++) {
            int b = base[o];
            long r;
            switch (kind) {
                case SUM -> {
                    long s = 0;
                    for (int k = 0; k < n; k++) s += x.getLong(b + roff[k]);
                    r = s;
                }
                case L1 -> {
                    long s = 0;
                    for (int k = 0; k < n; k++) {
                        long v = x.getLong(b + roff[k]);
                        s += signed ? Math.abs(v) : v;
                    }
                    r = s;
                }
                case SUM_SQUARE -> {
                    long s = 0;
                    for (int k = 0; k < n; k++) {
                        long v = x.getLong(b + roff[k]);
                        s += v * v;
                    }
                    r = s;
                }
                case PRODUCT -> {
                    long p = 1;
                    for (int k = 0; k < n; k++) p *= x.getLong(b + roff[k]);
                    r = p;
                }
                case MAX, MIN -> {
                    boolean max = kind == Kind.MAX;
                    long m = x.getLong(b + roff[0]);
                    for (int k = 1; k < n; k++) {
                        long v = x.getLong(b + roff[k]);
                        int c = unsigned64 ? Long.compareUnsigned(v, m) : Long.compare(v, m);
                        if (max ? c > 0 : c < 0) m = v;
                    }
                    r = m;
                }
                default -> throw new IllegalStateException(kind + " is not defined for " + type);
            }
            y.setLong(o, r);
        }
    }

    // ------------------------------------------------------------------ argMin / argMax

    static Kernel argMinMax(Operation op, boolean max) {
        ReductionOps.ArgMinMax attrs = op.attributes(ReductionOps.ArgMinMax.class);
        MLOperandDataType type = op.input(0).type().dataType();
        ReducePlan plan = ReducePlan.of(op.input(0).type().dims(), new int[] {attrs.axis()});
        if (type.isFloatingPoint()) return (in, out) -> argFloat(plan, max, in[0], out[0]);
        return (in, out) -> argInteger(plan, max, in[0], out[0]);
    }

    /** Ties go to the first index; a NaN counts as the extreme value (the first NaN wins), as max/min propagate it. */
    static void argFloat(ReducePlan plan, boolean max, CpuTensor x, CpuTensor y) {
        float[] xf = x.f32();
        int[] base = plan.base, roff = plan.roff;
        int n = roff.length;
        for (int o = 0; o < base.length; o++) {
            int b = base[o];
            double best = ReducePlan.read(xf, x, b);
            int idx = 0;
            for (int k = 1; k < n && !Double.isNaN(best); k++) {
                double v = ReducePlan.read(xf, x, b + roff[k]);
                if ((max ? v > best : v < best) || Double.isNaN(v)) {
                    best = v;
                    idx = k;
                }
            }
            y.setLong(o, idx);
        }
    }

    static void argInteger(ReducePlan plan, boolean max, CpuTensor x, CpuTensor y) {
        boolean unsigned64 = x.dataType() == MLOperandDataType.UINT64;
        int[] base = plan.base, roff = plan.roff;
        int n = roff.length;
        for (int o = 0; o < base.length; o++) {
            int b = base[o];
            long best = x.getLong(b);
            int idx = 0;
            for (int k = 1; k < n; k++) {
                long v = x.getLong(b + roff[k]);
                int c = unsigned64 ? Long.compareUnsigned(v, best) : Long.compare(v, best);
                if (max ? c > 0 : c < 0) {
                    best = v;
                    idx = k;
                }
            }
            y.setLong(o, idx);
        }
    }

    // ------------------------------------------------------------------ cumulativeSum

    static Kernel cumulativeSum(Operation op) {
        ReductionOps.CumulativeSum attrs = op.attributes(ReductionOps.CumulativeSum.class);
        int[] dims = op.input(0).type().dims();
        int axis = attrs.axis();
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= dims[i];
        for (int i = axis + 1; i < dims.length; i++) inner *= dims[i];
        int n = dims[axis];
        boolean floating = op.input(0).type().dataType().isFloatingPoint();
        boolean exclusive = attrs.exclusive(), reversed = attrs.reversed();
        int o1 = outer, i1 = inner;
        return (in, out) -> {
            CpuTensor x = in[0], y = out[0];
            float[] xf = x.f32(), yf = y.f32();
            // one running sum per position of the inner dimensions; rows along the axis are visited in
            // order (or in reverse), each row contiguous, so memory is read sequentially for any axis
            double[] fs = floating ? new double[i1] : null;
            long[] ls = floating ? null : new long[i1];
            for (int o = 0; o < o1; o++) {
                if (floating) java.util.Arrays.fill(fs, 0.0);
                else java.util.Arrays.fill(ls, 0L);
                for (int k = 0; k < n; k++) {
                    int row = (o * n + (reversed ? n - 1 - k : k)) * i1;
                    if (floating) {
                        for (int i = 0; i < i1; i++) {
                            int p = row + i;
                            double v = ReducePlan.read(xf, x, p);
                            double before = fs[i], after = before + v;
                            fs[i] = after;
                            ReducePlan.write(yf, y, p, exclusive ? before : after);
                        }
                    } else {
                        for (int i = 0; i < i1; i++) {
                            int p = row + i;
                            long before = ls[i], after = before + x.getLong(p);
                            ls[i] = after;
                            y.setLong(p, exclusive ? before : after);
                        }
                    }
                }
            }
        };
    }
}
