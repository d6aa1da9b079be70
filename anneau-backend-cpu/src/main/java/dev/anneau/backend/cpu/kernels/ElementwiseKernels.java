package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.backend.cpu.simd.FloatKernels;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.Numbers;
import java.util.Arrays;

/**
 * CPU kernels of the elementwise family (see {@code dev.anneau.webnn.ElementwiseMethods}).
 *
 * <p>Numerics:
 * <ul>
 * <li>float32 is computed on the {@code float[]} arrays, each element in double and rounded once
 *     to float (identical to float arithmetic for + - * /); float16 inputs are widened exactly,
 *     computed in double and rounded once to half (nearest even).</li>
 * <li>Integer arithmetic is exact in {@code long} and wraps to the output type (two's
 *     complement), including int64 and uint64; uint64 compare, max/min and div are unsigned.
 *     {@code div} truncates toward zero. <b>Integer division by zero gives 0</b> (and so does
 *     {@code pow(0, negative)}); {@code pow} with a negative exponent gives the truncated
 *     quotient 1/a^-b (1 for a = 1, ±1 for a = -1, else 0).</li>
 * <li>{@code sign} keeps NaN (like NumPy and ONNX Runtime) and ±0.</li>
 * <li>{@code cast}: float to integer truncates toward zero and saturates out-of-range values to
 *     the target's range, NaN giving 0 (the spec leaves this implementation-defined); integer to
 *     integer keeps the low bits (two's complement); anything to float rounds once to nearest.</li>
 * </ul>
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    enum Bin { ADD, SUB, MUL, DIV, MAX, MIN, POW }

    enum Cmp { EQUAL, NOT_EQUAL, GREATER, GREATER_OR_EQUAL, LESSER, LESSER_OR_EQUAL }

    enum Logic { AND, OR, XOR }

    enum Un { ABS, CEIL, COS, ERF, EXP, FLOOR, LOG, NEG, RECIPROCAL, ROUND_EVEN, SIN, SIGN, SQRT, TAN }

    public static void register(KernelRegistry registry) {
        FloatKernels simd = registry.simd();
        registry.register("add", op -> binary(op, Bin.ADD, simd));
        registry.register("sub", op -> binary(op, Bin.SUB, simd));
        registry.register("mul", op -> binary(op, Bin.MUL, simd));
        registry.register("div", op -> binary(op, Bin.DIV, simd));
        registry.register("max", op -> binary(op, Bin.MAX, simd));
        registry.register("min", op -> binary(op, Bin.MIN, simd));
        registry.register("pow", op -> binary(op, Bin.POW, simd));

        registry.register("equal", op -> compare(op, Cmp.EQUAL));
        registry.register("notEqual", op -> compare(op, Cmp.NOT_EQUAL));
        registry.register("greater", op -> compare(op, Cmp.GREATER));
        registry.register("greaterOrEqual", op -> compare(op, Cmp.GREATER_OR_EQUAL));
        registry.register("lesser", op -> compare(op, Cmp.LESSER));
        registry.register("lesserOrEqual", op -> compare(op, Cmp.LESSER_OR_EQUAL));

        registry.register("logicalAnd", op -> logical(op, Logic.AND));
        registry.register("logicalOr", op -> logical(op, Logic.OR));
        registry.register("logicalXor", op -> logical(op, Logic.XOR));
        registry.register("logicalNot", op -> ElementwiseKernels::logicalNot);
        registry.register("isNaN", op -> (in, out) -> classify(in[0], out[0], true));
        registry.register("isInfinite", op -> (in, out) -> classify(in[0], out[0], false));

        registry.register("abs", op -> unary(op, Un.ABS));
        registry.register("ceil", op -> unary(op, Un.CEIL));
        registry.register("cos", op -> unary(op, Un.COS));
        registry.register("erf", op -> unary(op, Un.ERF));
        registry.register("exp", op -> unary(op, Un.EXP));
        registry.register("floor", op -> unary(op, Un.FLOOR));
        registry.register("log", op -> unary(op, Un.LOG));
        registry.register("neg", op -> unary(op, Un.NEG));
        registry.register("reciprocal", op -> unary(op, Un.RECIPROCAL));
        registry.register("roundEven", op -> unary(op, Un.ROUND_EVEN));
        registry.register("sin", op -> unary(op, Un.SIN));
        registry.register("sign", op -> unary(op, Un.SIGN));
        registry.register("sqrt", op -> unary(op, Un.SQRT));
        registry.register("tan", op -> unary(op, Un.TAN));
        registry.register("identity", op -> (in, out) -> in[0].copyRange(0, out[0], 0, in[0].size()));

        registry.register("cast", ElementwiseKernels::cast);
        registry.register("where", ElementwiseKernels::where);
    }

    private static BroadcastPlan plan(Operation op) {
        int[] out = op.output(0).type().dims();
        int[][] in = new int[op.inputs().size()][];
        for (int i = 0; i < in.length; i++) in[i] = op.input(i).type().dims();
        return BroadcastPlan.of(out, in);
    }

    // ================================================================== binary arithmetic

    static Kernel binary(Operation op, Bin kind, FloatKernels simd) {
        BroadcastPlan plan = plan(op);
        int sa = plan.innerStride[0], sb = plan.innerStride[1];
        MLOperandDataType t = op.output(0).type().dataType();
        switch (t) {
            case FLOAT32 -> {
                FloatKernels.Binary vop = simdOp(kind);
                if (vop != null) {
                    // the same float operations, on vectors when the runs are long enough
                    return (in, out) -> {
                        float[] a = in[0].f32(), b = in[1].f32(), r = out[0].f32();
                        plan.forEachRun((ro, off, n) -> simd.binary(vop, a, off[0], sa, b, off[1], sb, r, ro, n));
                    };
                }
                return (in, out) -> {
                    float[] a = in[0].f32(), b = in[1].f32(), r = out[0].f32();
                    plan.forEachRun((ro, off, n) -> binF32(kind, a, off[0], sa, b, off[1], sb, r, ro, n));
                };
            }
            case FLOAT16 -> {
                return (in, out) -> {
                    double[] a = doubles(in[0]), b = doubles(in[1]);
                    short[] r = out[0].f16();
                    plan.forEachRun((ro, off, n) -> binF16(kind, a, off[0], sa, b, off[1], sb, r, ro, n));
                };
            }
            case INT32 -> {
                // int arithmetic wraps exactly like long arithmetic truncated to 32 bits
                return (in, out) -> {
                    int[] a = in[0].i32(), b = in[1].i32(), r = out[0].i32();
                    plan.forEachRun((ro, off, n) -> binI32(kind, a, off[0], sa, b, off[1], sb, r, ro, n));
                };
            }
            default -> {
                boolean unsigned64 = t == MLOperandDataType.UINT64;
                boolean signed = t.isSigned();
                return (in, out) -> {
                    long[] a = longs(in[0]), b = longs(in[1]);
                    long[] r = new long[out[0].size()];
                    plan.forEachRun((ro, off, n) -> binLong(kind, unsigned64, signed, a, off[0], sa, b, off[1], sb, r, ro, n));
                    storeLongs(r, out[0]);
                };
            }
        }
    }

    /** The {@link FloatKernels} operator of {@code kind}, or null (pow has none). */
    static FloatKernels.Binary simdOp(Bin kind) {
        return switch (kind) {
            case ADD -> FloatKernels.Binary.ADD;
            case SUB -> FloatKernels.Binary.SUB;
            case MUL -> FloatKernels.Binary.MUL;
            case DIV -> FloatKernels.Binary.DIV;
            case MAX -> FloatKernels.Binary.MAX;
            case MIN -> FloatKernels.Binary.MIN;
            case POW -> null;
        };
    }

    static void binF32(Bin kind, float[] a, int ao, int as, float[] b, int bo, int bs, float[] r, int ro, int n) {
        if (as == 1 && bs == 1) {
            switch (kind) {
                case ADD -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] + b[bo + i]; }
                case SUB -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] - b[bo + i]; }
                case MUL -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] * b[bo + i]; }
                case DIV -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] / b[bo + i]; }
                case MAX -> { for (int i = 0; i < n; i++) r[ro + i] = Math.max(a[ao + i], b[bo + i]); }
                case MIN -> { for (int i = 0; i < n; i++) r[ro + i] = Math.min(a[ao + i], b[bo + i]); }
                case POW -> { for (int i = 0; i < n; i++) r[ro + i] = (float) Math.pow(a[ao + i], b[bo + i]); }
            }
            return;
        }
        // strided (0 = broadcast) runs; float + - * / equal double-then-round for float operands
        switch (kind) {
            case ADD -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] + b[bo + i * bs]; }
            case SUB -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] - b[bo + i * bs]; }
            case MUL -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] * b[bo + i * bs]; }
            case DIV -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] / b[bo + i * bs]; }
            case MAX -> { for (int i = 0; i < n; i++) r[ro + i] = Math.max(a[ao + i * as], b[bo + i * bs]); }
            case MIN -> { for (int i = 0; i < n; i++) r[ro + i] = Math.min(a[ao + i * as], b[bo + i * bs]); }
            case POW -> { for (int i = 0; i < n; i++) r[ro + i] = (float) Math.pow(a[ao + i * as], b[bo + i * bs]); }
        }
    }

    static void binF16(Bin kind, double[] a, int ao, int as, double[] b, int bo, int bs, short[] r, int ro, int n) {
        for (int i = 0; i < n; i++) {
            double x = a[ao + i * as], y = b[bo + i * bs];
            double v = switch (kind) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> x / y;
                case MAX -> Math.max(x, y);
                case MIN -> Math.min(x, y);
                case POW -> Math.pow(x, y);
            };
            r[ro + i] = Numbers.doubleToHalf(v);
        }
    }

    static void binI32(Bin kind, int[] a, int ao, int as, int[] b, int bo, int bs, int[] r, int ro, int n) {
        switch (kind) {
            case ADD -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] + b[bo + i * bs]; }
            case SUB -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] - b[bo + i * bs]; }
            case MUL -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] * b[bo + i * bs]; }
            case DIV -> {
                // Integer.MIN_VALUE / -1 wraps to Integer.MIN_VALUE in Java, as in two's complement
                for (int i = 0; i < n; i++) {
                    int y = b[bo + i * bs];
                    r[ro + i] = y == 0 ? 0 : a[ao + i * as] / y;
                }
            }
            case MAX -> { for (int i = 0; i < n; i++) r[ro + i] = Math.max(a[ao + i * as], b[bo + i * bs]); }
            case MIN -> { for (int i = 0; i < n; i++) r[ro + i] = Math.min(a[ao + i * as], b[bo + i * bs]); }
            case POW -> { for (int i = 0; i < n; i++) r[ro + i] = (int) intPow(a[ao + i * as], b[bo + i * bs], true); }
        }
    }

    static void binLong(Bin kind, boolean unsigned64, boolean signed, long[] a, int ao, int as, long[] b, int bo, int bs,
                        long[] r, int ro, int n) {
        switch (kind) {
            case ADD -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] + b[bo + i * bs]; }
            case SUB -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] - b[bo + i * bs]; }
            case MUL -> { for (int i = 0; i < n; i++) r[ro + i] = a[ao + i * as] * b[bo + i * bs]; }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    long x = a[ao + i * as], y = b[bo + i * bs];
                    r[ro + i] = y == 0 ? 0 : unsigned64 ? Long.divideUnsigned(x, y) : x / y;
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i++) {
                    long x = a[ao + i * as], y = b[bo + i * bs];
                    r[ro + i] = (unsigned64 ? Long.compareUnsigned(x, y) : Long.compare(x, y)) >= 0 ? x : y;
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i++) {
                    long x = a[ao + i * as], y = b[bo + i * bs];
                    r[ro + i] = (unsigned64 ? Long.compareUnsigned(x, y) : Long.compare(x, y)) <= 0 ? x : y;
                }
            }
            case POW -> { for (int i = 0; i < n; i++) r[ro + i] = intPow(a[ao + i * as], b[bo + i * bs], signed); }
        }
    }

    /**
     * Integer power, exact modulo 2^64 (so exact after wrapping to any narrower type). A negative
     * exponent of a signed type gives the truncated value of 1/x^-e: 1 for x = 1, ±1 for x = -1,
     * 0 otherwise (0 also for x = 0, matching integer division by zero).
     */
    static long intPow(long x, long e, boolean signed) {
        if (signed && e < 0) {
            if (x == 1) return 1;
            if (x == -1) return (e & 1) == 0 ? 1 : -1;
            return 0;
        }
        long result = 1;
        while (e != 0) {
            if ((e & 1) != 0) result *= x;
            x *= x;
            e >>>= 1;
        }
        return result;
    }

    // ================================================================== comparisons and logical

    static Kernel compare(Operation op, Cmp kind) {
        BroadcastPlan plan = plan(op);
        int sa = plan.innerStride[0], sb = plan.innerStride[1];
        MLOperandDataType t = op.input(0).type().dataType();
        switch (t) {
            case FLOAT32 -> {
                return (in, out) -> {
                    float[] a = in[0].f32(), b = in[1].f32();
                    byte[] r = out[0].i8();
                    plan.forEachRun((ro, off, n) -> cmpF32(kind, a, off[0], sa, b, off[1], sb, r, ro, n));
                };
            }
            case FLOAT16 -> {
                return (in, out) -> {
                    float[] a = floats(in[0]), b = floats(in[1]);
                    byte[] r = out[0].i8();
                    plan.forEachRun((ro, off, n) -> cmpF32(kind, a, off[0], sa, b, off[1], sb, r, ro, n));
                };
            }
            default -> {
                // flipping the sign bit maps unsigned 64-bit order onto signed order
                long flip = t == MLOperandDataType.UINT64 ? Long.MIN_VALUE : 0;
                return (in, out) -> {
                    long[] a = longs(in[0]), b = longs(in[1]);
                    if (flip != 0) {
                        for (int i = 0; i < a.length; i++) a[i] ^= flip;
                        for (int i = 0; i < b.length; i++) b[i] ^= flip;
                    }
                    byte[] r = out[0].i8();
                    plan.forEachRun((ro, off, n) -> cmpLong(kind, a, off[0], sa, b, off[1], sb, r, ro, n));
                };
            }
        }
    }

    static void cmpF32(Cmp kind, float[] a, int ao, int as, float[] b, int bo, int bs, byte[] r, int ro, int n) {
        switch (kind) {
            case EQUAL -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] == b[bo + i * bs]); }
            case NOT_EQUAL -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] != b[bo + i * bs]); }
            case GREATER -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] > b[bo + i * bs]); }
            case GREATER_OR_EQUAL -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] >= b[bo + i * bs]); }
            case LESSER -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] < b[bo + i * bs]); }
            case LESSER_OR_EQUAL -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] <= b[bo + i * bs]); }
        }
    }

    static void cmpLong(Cmp kind, long[] a, int ao, int as, long[] b, int bo, int bs, byte[] r, int ro, int n) {
        switch (kind) {
            case EQUAL -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] == b[bo + i * bs]); }
            case NOT_EQUAL -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] != b[bo + i * bs]); }
            case GREATER -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] > b[bo + i * bs]); }
            case GREATER_OR_EQUAL -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] >= b[bo + i * bs]); }
            case LESSER -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] < b[bo + i * bs]); }
            case LESSER_OR_EQUAL -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * as] <= b[bo + i * bs]); }
        }
    }

    static Kernel logical(Operation op, Logic kind) {
        BroadcastPlan plan = plan(op);
        int sa = plan.innerStride[0], sb = plan.innerStride[1];
        return (in, out) -> {
            byte[] a = in[0].i8(), b = in[1].i8(), r = out[0].i8();
            plan.forEachRun((ro, off, n) -> {
                int ao = off[0], bo = off[1];
                switch (kind) {
                    case AND -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * sa] != 0 & b[bo + i * sb] != 0); }
                    case OR -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * sa] != 0 | b[bo + i * sb] != 0); }
                    case XOR -> { for (int i = 0; i < n; i++) r[ro + i] = bit(a[ao + i * sa] != 0 ^ b[bo + i * sb] != 0); }
                }
            });
        };
    }

    static void logicalNot(CpuTensor[] in, CpuTensor[] out) {
        byte[] a = in[0].i8(), r = out[0].i8();
        for (int i = 0; i < a.length; i++) r[i] = bit(a[i] == 0);
    }

    /** isNaN ({@code nan} true) or isInfinite; integer inputs are never NaN or infinite. */
    static void classify(CpuTensor x, CpuTensor y, boolean nan) {
        byte[] r = y.i8();
        switch (x.dataType()) {
            case FLOAT32 -> {
                float[] a = x.f32();
                if (nan) for (int i = 0; i < a.length; i++) r[i] = bit(a[i] != a[i]);
                else for (int i = 0; i < a.length; i++) r[i] = bit(Float.isInfinite(a[i]));
            }
            case FLOAT16 -> {
                short[] a = x.f16();
                for (int i = 0; i < a.length; i++) {
                    int exp = a[i] & 0x7C00, frac = a[i] & 0x03FF;
                    r[i] = bit(exp == 0x7C00 && (nan ? frac != 0 : frac == 0));
                }
            }
            default -> Arrays.fill(r, (byte) 0);
        }
    }

    private static byte bit(boolean b) { return b ? (byte) 1 : (byte) 0; }

    // ================================================================== unary

    static Kernel unary(Operation op, Un kind) {
        MLOperandDataType t = op.input(0).type().dataType();
        switch (t) {
            case FLOAT32 -> {
                return (in, out) -> unaryF32(kind, in[0].f32(), out[0].f32());
            }
            case FLOAT16 -> {
                return (in, out) -> {
                    short[] a = in[0].f16(), r = out[0].f16();
                    switch (kind) {
                        // exact bit operations: no rounding, NaN payloads kept
                        case ABS -> { for (int i = 0; i < a.length; i++) r[i] = (short) (a[i] & 0x7FFF); }
                        case NEG -> { for (int i = 0; i < a.length; i++) r[i] = (short) (a[i] ^ 0x8000); }
                        default -> {
                            for (int i = 0; i < a.length; i++) {
                                r[i] = Numbers.doubleToHalf(apply(kind, Float.float16ToFloat(a[i])));
                            }
                        }
                    }
                };
            }
            default -> {
                // integers: the spec allows abs, neg and sign only (int8, int32, int64)
                return (in, out) -> {
                    CpuTensor x = in[0], y = out[0];
                    for (int i = 0; i < x.size(); i++) {
                        long v = x.getLong(i);
                        y.setLong(i, switch (kind) {
                            case ABS -> v < 0 ? -v : v;
                            case NEG -> -v;
                            case SIGN -> Long.signum(v);
                            default -> throw new IllegalStateException(kind + " on integer data");
                        });
                    }
                };
            }
        }
    }

    static void unaryF32(Un kind, float[] a, float[] r) {
        int n = a.length;
        switch (kind) {
            case ABS -> { for (int i = 0; i < n; i++) r[i] = Math.abs(a[i]); }
            case NEG -> { for (int i = 0; i < n; i++) r[i] = -a[i]; }
            case CEIL -> { for (int i = 0; i < n; i++) r[i] = (float) Math.ceil(a[i]); }
            case FLOOR -> { for (int i = 0; i < n; i++) r[i] = (float) Math.floor(a[i]); }
            case ROUND_EVEN -> { for (int i = 0; i < n; i++) r[i] = (float) Math.rint(a[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) r[i] = Math.signum(a[i]); }
            case SQRT -> { for (int i = 0; i < n; i++) r[i] = (float) Math.sqrt(a[i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) r[i] = 1f / a[i]; }
            case EXP -> { for (int i = 0; i < n; i++) r[i] = (float) Math.exp(a[i]); }
            case LOG -> { for (int i = 0; i < n; i++) r[i] = (float) Math.log(a[i]); }
            case SIN -> { for (int i = 0; i < n; i++) r[i] = (float) Math.sin(a[i]); }
            case COS -> { for (int i = 0; i < n; i++) r[i] = (float) Math.cos(a[i]); }
            case TAN -> { for (int i = 0; i < n; i++) r[i] = (float) Math.tan(a[i]); }
            case ERF -> { for (int i = 0; i < n; i++) r[i] = (float) SpecialFunctions.erf(a[i]); }
        }
    }

    static double apply(Un kind, double x) {
        return switch (kind) {
            case ABS -> Math.abs(x);
            case NEG -> -x;
            case CEIL -> Math.ceil(x);
            case FLOOR -> Math.floor(x);
            case ROUND_EVEN -> Math.rint(x);
            case SIGN -> Math.signum(x);
            case SQRT -> Math.sqrt(x);
            case RECIPROCAL -> 1.0 / x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TAN -> Math.tan(x);
            case ERF -> SpecialFunctions.erf(x);
        };
    }

    // ================================================================== cast

    static Kernel cast(Operation op) {
        MLOperandDataType from = op.input(0).type().dataType();
        MLOperandDataType to = op.output(0).type().dataType();
        if (from == to) return (in, out) -> in[0].copyRange(0, out[0], 0, in[0].size());
        if (from == MLOperandDataType.FLOAT32 && to == MLOperandDataType.FLOAT16) {
            return (in, out) -> {
                float[] a = in[0].f32();
                short[] r = out[0].f16();
                for (int i = 0; i < a.length; i++) r[i] = Float.floatToFloat16(a[i]);
            };
        }
        if (from.isFloatingPoint() || to == MLOperandDataType.FLOAT16) {
            // float -> float (widening is exact), float -> integer (truncate, saturate, NaN -> 0),
            // integer -> float16 (exact in double up to 2^53; anything larger overflows half anyway)
            return (in, out) -> {
                CpuTensor x = in[0], y = out[0];
                for (int i = 0; i < x.size(); i++) y.set(i, x.get(i));
            };
        }
        if (to == MLOperandDataType.FLOAT32) {
            boolean unsigned64 = from == MLOperandDataType.UINT64;
            return (in, out) -> {
                CpuTensor x = in[0];
                float[] r = out[0].f32();
                for (int i = 0; i < r.length; i++) r[i] = longToFloat(x.getLong(i), unsigned64);
            };
        }
        // integer -> integer: keep the low bits
        return (in, out) -> {
            CpuTensor x = in[0], y = out[0];
            for (int i = 0; i < x.size(); i++) y.setLong(i, x.getLong(i));
        };
    }

    /** long (or uint64 bit pattern) to the nearest float, rounded once. */
    static float longToFloat(long v, boolean unsigned64) {
        if (!unsigned64 || v >= 0) return (float) v;
        // halve with the lost bit kept sticky (round-to-odd), convert, double: one correct rounding
        return (float) ((v >>> 1) | (v & 1)) * 2f;
    }

    // ================================================================== where

    static Kernel where(Operation op) {
        BroadcastPlan plan = plan(op);
        int sc = plan.innerStride[0], st = plan.innerStride[1], sf = plan.innerStride[2];
        return (in, out) -> {
            byte[] c = in[0].i8();
            Object ta = in[1].array(), fa = in[2].array(), ra = out[0].array();
            plan.forEachRun((ro, off, n) -> {
                int co = off[0], to = off[1], fo = off[2];
                switch (ra) {
                    case float[] r -> {
                        float[] t = (float[]) ta, f = (float[]) fa;
                        for (int i = 0; i < n; i++) r[ro + i] = c[co + i * sc] != 0 ? t[to + i * st] : f[fo + i * sf];
                    }
                    case short[] r -> {
                        short[] t = (short[]) ta, f = (short[]) fa;
                        for (int i = 0; i < n; i++) r[ro + i] = c[co + i * sc] != 0 ? t[to + i * st] : f[fo + i * sf];
                    }
                    case int[] r -> {
                        int[] t = (int[]) ta, f = (int[]) fa;
                        for (int i = 0; i < n; i++) r[ro + i] = c[co + i * sc] != 0 ? t[to + i * st] : f[fo + i * sf];
                    }
                    case long[] r -> {
                        long[] t = (long[]) ta, f = (long[]) fa;
                        for (int i = 0; i < n; i++) r[ro + i] = c[co + i * sc] != 0 ? t[to + i * st] : f[fo + i * sf];
                    }
                    case byte[] r -> {
                        byte[] t = (byte[]) ta, f = (byte[]) fa;
                        for (int i = 0; i < n; i++) r[ro + i] = c[co + i * sc] != 0 ? t[to + i * st] : f[fo + i * sf];
                    }
                    default -> throw new IllegalStateException("unexpected array " + ra);
                }
            });
        };
    }

    // ================================================================== conversions

    /** float16 data widened exactly to double. */
    private static double[] doubles(CpuTensor x) {
        short[] h = x.f16();
        double[] d = new double[h.length];
        for (int i = 0; i < h.length; i++) d[i] = Float.float16ToFloat(h[i]);
        return d;
    }

    /** float16 data widened exactly to float. */
    private static float[] floats(CpuTensor x) {
        short[] h = x.f16();
        float[] d = new float[h.length];
        for (int i = 0; i < h.length; i++) d[i] = Float.float16ToFloat(h[i]);
        return d;
    }

    /** Integer data as exact longs (unsigned types zero-extended, uint64 as its bit pattern); a fresh array. */
    static long[] longs(CpuTensor x) {
        int n = x.size();
        long[] r = new long[n];
        switch (x.dataType()) {
            case INT32 -> { int[] a = x.i32(); for (int i = 0; i < n; i++) r[i] = a[i]; }
            case UINT32 -> { int[] a = x.i32(); for (int i = 0; i < n; i++) r[i] = a[i] & 0xFFFF_FFFFL; }
            case INT64, UINT64 -> System.arraycopy(x.i64(), 0, r, 0, n);
            case INT8, INT4 -> { byte[] a = x.i8(); for (int i = 0; i < n; i++) r[i] = a[i]; }
            case UINT8, UINT4 -> { byte[] a = x.i8(); for (int i = 0; i < n; i++) r[i] = a[i] & 0xFF; }
            default -> throw new IllegalStateException("not an integer tensor: " + x);
        }
        return r;
    }

    /** Stores longs into an integer tensor, wrapping each to the type's width. */
    static void storeLongs(long[] v, CpuTensor y) {
        int n = v.length;
        switch (y.dataType()) {
            case INT32, UINT32 -> { int[] r = y.i32(); for (int i = 0; i < n; i++) r[i] = (int) v[i]; }
            case INT64, UINT64 -> System.arraycopy(v, 0, y.i64(), 0, n);
            case INT8, UINT8 -> { byte[] r = y.i8(); for (int i = 0; i < n; i++) r[i] = (byte) v[i]; }
            default -> { for (int i = 0; i < n; i++) y.setLong(i, v[i]); }
        }
    }
}
