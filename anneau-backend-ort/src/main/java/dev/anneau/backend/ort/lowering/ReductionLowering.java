package dev.anneau.backend.ort.lowering;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;

import dev.anneau.onnx.proto.Onnx.TensorProto.DataType;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.ReductionOps;
import java.util.EnumSet;
import java.util.Set;

/**
 * ONNX lowerings of the reduction family (see {@code dev.anneau.webnn.ReductionMethods}),
 * matching the CPU backend ({@code ReductionKernels}):
 * <ul>
 * <li>{@code reduce*}: ONNX ReduceXxx (opset 18: axes as an int64 input) with {@code keepdims}.
 *     WebNN's empty {@code axes} reduces nothing but still applies the function to each element
 *     (ONNX's {@code noop_with_empty_axes} would return the input unchanged), so it lowers to the
 *     per-element function: identity for sum/mean/max/min/product/logSumExp, Abs for L1/L2, Log
 *     for logSum, x*x for sumSquare. Integer sums, products and sums of squares wrap like the CPU
 *     backend's. uint32 runs in int64 (zero-extended, the low 32 bits cast back); uint64 runs
 *     bit-identically in int64 for the wrapping ones (L1 of an unsigned type is its sum), and
 *     with the sign bit flipped for max/min, which maps unsigned order onto signed order.</li>
 * <li>argMin/argMax: ONNX ArgMin/ArgMax ({@code select_last_index=0}: the first extreme wins),
 *     Cast to int32 when asked. The CPU backend lets the first NaN win; ORT's comparison loop skips
 *     NaN, so float inputs also take the index of the first NaN (ArgMax of IsNaN) where the slice
 *     has one.</li>
 * <li>reduceMax/reduceMin propagate NaN like the CPU backend: where a reduced slice holds a NaN
 *     the result is NaN.</li>
 * <li>cumulativeSum: ONNX CumSum with {@code exclusive}/{@code reverse}; uint32/uint64 as above.</li>
 * </ul>
 * Floating-point results are computed by ORT in float32 (for float16, ORT's cast-insertion pass
 * widens to float32 and rounds the result once), where the CPU backend accumulates in double.
 */
public final class ReductionLowering {
    private ReductionLowering() {}

    enum Kind { L1, L2, LOG_SUM, LOG_SUM_EXP, MAX, MEAN, MIN, PRODUCT, SUM, SUM_SQUARE }

    static final Set<MLOperandDataType> WRAPPING = EnumSet.of(FLOAT32, FLOAT16, INT32, INT64, UINT32, UINT64);
    static final Set<MLOperandDataType> ORDERED = EnumSet.of(FLOAT32, FLOAT16, INT32, INT64, INT8, UINT8, UINT32, UINT64);

    public static void register(LoweringRegistry registry) {
        registry.register("reduceL1", WRAPPING, reduce(Kind.L1));
        registry.register("reduceL2", LoweringRegistry.FLOATS, reduce(Kind.L2));
        registry.register("reduceLogSum", LoweringRegistry.FLOATS, reduce(Kind.LOG_SUM));
        registry.register("reduceLogSumExp", LoweringRegistry.FLOATS, reduce(Kind.LOG_SUM_EXP));
        registry.register("reduceMax", ORDERED, reduce(Kind.MAX));
        registry.register("reduceMean", LoweringRegistry.FLOATS, reduce(Kind.MEAN));
        registry.register("reduceMin", ORDERED, reduce(Kind.MIN));
        registry.register("reduceProduct", WRAPPING, reduce(Kind.PRODUCT));
        registry.register("reduceSum", WRAPPING, reduce(Kind.SUM));
        registry.register("reduceSumSquare", WRAPPING, reduce(Kind.SUM_SQUARE));
        Set<MLOperandDataType> argTypes = EnumSet.copyOf(ORDERED);
        registry.register("argMin", argTypes, (op, cx) -> argMinMax(op, cx, "ArgMin"));
        registry.register("argMax", argTypes, (op, cx) -> argMinMax(op, cx, "ArgMax"));
        registry.register("cumulativeSum", WRAPPING, ReductionLowering::cumulativeSum);
    }

    private static String onnxName(Kind k) {
        return switch (k) {
            case L1 -> "ReduceL1";
            case L2 -> "ReduceL2";
            case LOG_SUM -> "ReduceLogSum";
            case LOG_SUM_EXP -> "ReduceLogSumExp";
            case MAX -> "ReduceMax";
            case MEAN -> "ReduceMean";
            case MIN -> "ReduceMin";
            case PRODUCT -> "ReduceProd";
            case SUM -> "ReduceSum";
            case SUM_SQUARE -> "ReduceSumSquare";
        };
    }

    private static Lowering reduce(Kind kind) {
        return (op, cx) -> {
            ReductionOps.Reduce attrs = op.attributes(ReductionOps.Reduce.class);
            MLOperandDataType t = op.input(0).dataType();
            String out = cx.outputName(op.output(0));
            String x = cx.value(op.input(0));
            int[] axes = attrs.axes();
            boolean unsigned = t == UINT32 || t == UINT64 || t == UINT8;
            if (axes.length == 0) {
                // nothing reduced: the function of one element (the output shape equals the input's)
                switch (kind) {
                    case L1, L2 -> cx.op(unsigned ? "Identity" : "Abs", x).out(out);
                    case LOG_SUM -> cx.op("Log", x).out(out);
                    case SUM_SQUARE -> cx.op("Mul", x, x).out(out);
                    default -> cx.op("Identity", x).out(out);
                }
                return;
            }
            if (t.isFloatingPoint()) {
                String r = reduceNode(cx, onnxName(kind), x, axes, attrs.keepDimensions());
                if (kind == Kind.MAX || kind == Kind.MIN) {
                    // ORT skips NaN; the CPU backend (like Math.max) propagates it: NaN in the slice gives NaN
                    String anyNaN = reduceNode(cx, "ReduceMax", cx.cast(cx.apply("IsNaN", x), UINT8), axes, attrs.keepDimensions());
                    cx.op("Where", cx.castTo(anyNaN, DataType.BOOL), cx.scalar(t, Double.NaN), r).out(out);
                } else {
                    cx.op("Identity", r).out(out);
                }
                return;
            }
            integerReduce(cx, kind, t, x, op.input(0).type().dims(), axes, op.output(0).type().dims(), out);
        };
    }

    static String reduceNode(LoweringContext cx, String onnx, String x, int[] axes, boolean keep) {
        return cx.op(onnx, x, cx.int64s(axes)).attr("keepdims", keep ? 1L : 0L).out();
    }

    /**
     * Integer reductions. ORT's integer ReduceSum/ReduceProd saturate instead of wrapping, and its
     * 64-bit Max/Min kernels mis-order values whose low 32-bit halves differ in the top bit (they
     * compare halves as signed 32-bit integers), so: sums are the last column of a CumSum (which
     * wraps) over a [kept, reduced] view of the input; products a tree of elementwise Mul (which
     * wraps); 64-bit max/min the element that ArgMax/ArgMin (ORT's own scalar loop) selects; 8- and
     * 32-bit max/min use ReduceMax/ReduceMin, uint32 with the sign bit flipped in int32.
     */
    private static void integerReduce(LoweringContext cx, Kind kind, MLOperandDataType t, String x, int[] dims, int[] axes,
                                      int[] outDims, String out) {
        boolean unsigned = !t.isSigned();
        switch (kind) {
            case MAX, MIN -> {
                if (t == INT8 || t == UINT8 || t == INT32) {
                    String r = cx.op(onnxName(kind), x, cx.int64s(axes)).attr("keepdims", 1L).out();
                    cx.op("Reshape", r, cx.int64s(outDims)).out(out);
                    return;
                }
                if (t == UINT32) {
                    String flipped = cx.apply("BitwiseXor", cx.cast(x, INT32), cx.scalarBits(INT32, Integer.MIN_VALUE));
                    String r = cx.op(onnxName(kind), flipped, cx.int64s(axes)).attr("keepdims", 1L).out();
                    r = cx.cast(cx.apply("BitwiseXor", r, cx.scalarBits(INT32, Integer.MIN_VALUE)), UINT32);
                    cx.op("Reshape", r, cx.int64s(outDims)).out(out);
                    return;
                }
                Carrier c = Carrier.of(t, true);
                String v = view2d(cx, c.in(cx, x), dims, axes);
                String idx = cx.op(kind == Kind.MAX ? "ArgMax" : "ArgMin", v).attr("axis", 1L).attr("keepdims", 1L)
                        .attr("select_last_index", 0L).out();
                String r = cx.op("GatherElements", v, idx).attr("axis", 1L).out();
                cx.op("Reshape", c.out(cx, r, null), cx.int64s(outDims)).out(out);
            }
            case PRODUCT -> {
                String v = view2d(cx, x, dims, axes);
                int w = reducedSize(dims, axes);
                while (w > 1) {
                    int h = w / 2;
                    String m = cx.apply("Mul", slice1(cx, v, 0, h), slice1(cx, v, h, 2 * h));
                    if ((w & 1) != 0) m = cx.op("Concat", m, slice1(cx, v, 2 * h, w)).attr("axis", 1L).out();
                    v = m;
                    w = h + (w & 1);
                }
                cx.op("Reshape", v, cx.int64s(outDims)).out(out);
            }
            case SUM, L1, SUM_SQUARE -> {
                String terms = switch (kind) {
                    case L1 -> unsigned ? x : cx.apply("Abs", x);
                    case SUM_SQUARE -> cx.apply("Mul", x, x);
                    default -> x;
                };
                Carrier c = Carrier.of(t, false);
                int w = reducedSize(dims, axes);
                String v = view2d(cx, c.in(cx, terms), dims, axes);
                String sums = cx.op("CumSum", v, cx.int64Scalar(1)).out();
                cx.op("Reshape", c.out(cx, slice1(cx, sums, w - 1, w), null), cx.int64s(outDims)).out(out);
            }
            default -> throw new IllegalStateException(kind + " on " + t);
        }
    }

    static int reducedSize(int[] dims, int[] axes) {
        int n = 1;
        for (int a : axes) n *= dims[a];
        return n;
    }

    /** The input as [product of kept dims, product of reduced dims], kept and reduced axes each in order. */
    static String view2d(LoweringContext cx, String x, int[] dims, int[] sortedAxes) {
        boolean[] reduced = new boolean[dims.length];
        for (int a : sortedAxes) reduced[a] = true;
        int[] perm = new int[dims.length];
        int k = 0;
        long outer = 1, inner = 1;
        for (int i = 0; i < dims.length; i++) {
            if (!reduced[i]) {
                perm[k++] = i;
                outer *= dims[i];
            }
        }
        for (int a : sortedAxes) {
            perm[k++] = a;
            inner *= dims[a];
        }
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) identity &= perm[i] == i;
        String v = identity ? x : cx.op("Transpose", x).attr("perm", perm).out();
        return cx.apply("Reshape", v, cx.int64s(outer, inner));
    }

    /** Columns [from, to) of a 2-D value. */
    static String slice1(LoweringContext cx, String v, int from, int to) {
        return cx.apply("Slice", v, cx.int64s((long) from), cx.int64s((long) to), cx.int64s(1L));
    }

    /**
     * How a WebNN integer type runs on kernels ORT has: as itself, zero-extended to int64
     * (uint32), bit-identically as int64 (uint64 in wrapping arithmetic), or as int64 with the
     * sign bit flipped (uint64 where order matters: maps unsigned order onto signed order).
     */
    record Carrier(MLOperandDataType type, MLOperandDataType carrier, boolean flip) {
        static Carrier of(MLOperandDataType t, boolean ordering) {
            return switch (t) {
                case UINT32 -> new Carrier(t, INT64, false);
                case UINT64 -> new Carrier(t, INT64, ordering);
                default -> new Carrier(t, t, false);
            };
        }

        String in(LoweringContext cx, String x) {
            if (carrier == type) return x;
            String v = cx.cast(x, carrier);
            return flip ? cx.apply("BitwiseXor", v, cx.scalarBits(INT64, Long.MIN_VALUE)) : v;
        }

        /** Converts a carrier value back; {@code out} null = fresh name. */
        String out(LoweringContext cx, String v, String out) {
            if (carrier == type) {
                if (out == null) return v;
                cx.op("Identity", v).out(out);
                return out;
            }
            if (flip) v = cx.apply("BitwiseXor", v, cx.scalarBits(INT64, Long.MIN_VALUE));
            if (out == null) return cx.cast(v, type);
            cx.op("Cast", v).attr("to", OnnxTypes.of(type).getNumber()).out(out);
            return out;
        }
    }

    // ------------------------------------------------------------------ argMin / argMax

    private static void argMinMax(Operation op, LoweringContext cx, String onnx) {
        ReductionOps.ArgMinMax attrs = op.attributes(ReductionOps.ArgMinMax.class);
        MLOperandDataType t = op.input(0).dataType();
        String x = cx.value(op.input(0));
        long keep = attrs.keepDimensions() ? 1 : 0;
        Carrier c = Carrier.of(t, true);
        String idx = cx.op(onnx, c.in(cx, x)).attr("axis", (long) attrs.axis()).attr("keepdims", keep)
                .attr("select_last_index", 0L).out();
        if (t.isFloatingPoint()) {
            // the first NaN wins, as on the CPU backend
            String nan = cx.cast(cx.apply("IsNaN", x), UINT8);
            String firstNaN = cx.op("ArgMax", nan).attr("axis", (long) attrs.axis()).attr("keepdims", keep)
                    .attr("select_last_index", 0L).out();
            String anyNaN = cx.op("ReduceMax", nan, cx.int64s(attrs.axis())).attr("keepdims", keep).out();
            idx = cx.apply("Where", cx.castTo(anyNaN, DataType.BOOL), firstNaN, idx);
        }
        String out = cx.outputName(op.output(0));
        if (attrs.outputDataType() == INT64) cx.op("Identity", idx).out(out);
        else cx.op("Cast", idx).attr("to", OnnxTypes.of(INT32).getNumber()).out(out);
    }

    // ------------------------------------------------------------------ cumulativeSum

    private static void cumulativeSum(Operation op, LoweringContext cx) {
        ReductionOps.CumulativeSum attrs = op.attributes(ReductionOps.CumulativeSum.class);
        MLOperandDataType t = op.input(0).dataType();
        Carrier c = Carrier.of(t, false);
        String s = cx.op("CumSum", c.in(cx, cx.value(op.input(0))), cx.int64Scalar(attrs.axis()))
                .attr("exclusive", attrs.exclusive() ? 1L : 0L).attr("reverse", attrs.reversed() ? 1L : 0L).out();
        c.out(cx, s, cx.outputName(op.output(0)));
    }
}
