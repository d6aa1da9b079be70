package dev.anneau.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Evaluates in Java the operators whose inputs are all known at import time: shape
 * computations (ConstantOfShape, Range, Gather, Slice, Concat, Unsqueeze, Squeeze, Reshape,
 * Cast...), arithmetic on constants, reductions (including over empty tensors, which WebNN
 * cannot hold) and DequantizeLinear of constant weights. Float results are computed in double
 * and rounded once to the element type; integer results wrap like the ONNX reference.
 * Returns false (the mapper then builds graph operations) for cases it does not handle.
 */
final class ConstEval {
    private ConstEval() {}

    private static final Set<String> OPS = Set.of("Constant", "Identity", "Dropout", "ConstantOfShape", "Range", "Cast", "CastLike",
            "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Concat", "Gather", "Slice", "Transpose", "Expand", "Tile", "Split",
            "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Mod", "Equal", "Less", "Greater", "LessOrEqual",
            "GreaterOrEqual", "And", "Or", "Xor", "Not", "Where", "Neg", "Abs", "Sqrt", "Floor", "Ceil", "Round", "Reciprocal",
            "Exp", "Log", "Sign", "Relu",
            "ReduceSum", "ReduceProd", "ReduceMax", "ReduceMin", "ReduceMean", "ReduceL1", "ReduceL2", "ReduceLogSum",
            "ReduceLogSumExp", "ReduceSumSquare", "DequantizeLinear", "NonZero", "ScatterND");

    static boolean supports(String op) { return OPS.contains(op); }

    static boolean eval(NodeContext cx) {
        String op = cx.opType();
        switch (op) {
            case "Constant" -> cx.outConst(0, constant(cx));
            case "Identity" -> cx.outConst(0, cx.constIn(0));
            case "Dropout" -> {
                cx.ignore("seed", "ratio", "is_test");
                if (cx.opset() < 7 && cx.attrInt("is_test", 0) == 0) return false;
                if (cx.has(2) && cx.constIn(2).getLong(0) != 0) return false;
                cx.outConst(0, cx.constIn(0));
                if (cx.wantsOutput(1)) {
                    OnnxTensor mask = OnnxTensor.zeros(ElementType.BOOL, cx.shape(0));
                    for (int i = 0; i < mask.size(); i++) mask.setLong(i, 1);
                    cx.outConst(1, mask);
                }
            }
            case "ConstantOfShape" -> {
                long[] shape = cx.constLongs(0);
                OnnxTensor v = cx.attrTensor("value");
                ElementType t = v == null ? ElementType.FLOAT : v.type();
                OnnxTensor out = OnnxTensor.zeros(t, shape);
                if (v != null) {
                    if (v.size() != 1) throw cx.unsupported("ConstantOfShape value must hold one element");
                    for (int i = 0; i < out.size(); i++) copyElement(v, 0, out, i);
                }
                cx.outConst(0, out);
            }
            case "Range" -> cx.outConst(0, range(cx));
            case "Cast" -> {
                ElementType to = ElementType.fromOnnx((int) cx.attrInt("to", 0));
                cx.ignore("saturate", "round_mode");
                if (to == null) throw cx.unsupported("Cast to %s is not supported", ElementType.describe((int) cx.attrInt("to", 0)));
                cx.outConst(0, cx.constIn(0).convertTo(to));
            }
            case "CastLike" -> {
                cx.ignore("saturate", "round_mode");
                cx.outConst(0, cx.constIn(0).convertTo(cx.type(1)));
            }
            case "Reshape" -> {
                long[] target = cx.opset() < 5 ? cx.attrInts("shape") : cx.constLongs(1);
                boolean allowZero = cx.attrInt("allowzero", 0) != 0;
                cx.outConst(0, cx.constIn(0).reshape(Shapes.reshape(cx.shape(0), target, allowZero)));
            }
            case "Unsqueeze" -> {
                long[] axes = cx.opset() < 13 ? cx.attrInts("axes") : cx.constLongs(1);
                cx.outConst(0, cx.constIn(0).reshape(Shapes.unsqueeze(cx.shape(0), axes)));
            }
            case "Squeeze" -> {
                long[] axes = cx.opset() < 13 ? cx.attrInts("axes") : cx.constLongs(1);
                cx.outConst(0, cx.constIn(0).reshape(Shapes.squeeze(cx.shape(0), axes)));
            }
            case "Flatten" -> cx.outConst(0, cx.constIn(0).reshape(Shapes.flatten(cx.shape(0), cx.attrInt("axis", 1))));
            case "Concat" -> cx.outConst(0, concat(cx));
            case "Gather" -> cx.outConst(0, gather(cx));
            case "Slice" -> cx.outConst(0, slice(cx));
            case "Transpose" -> cx.outConst(0, transpose(cx.constIn(0), perm(cx)));
            case "Expand" -> {
                long[] target = Shapes.broadcast(cx.shape(0), cx.constLongs(1));
                cx.outConst(0, broadcastTo(cx.constIn(0), target));
            }
            case "Tile" -> cx.outConst(0, tile(cx.constIn(0), cx.constLongs(1)));
            case "Split" -> split(cx);
            case "Add" -> binary(cx, Double::sum, Long::sum);
            case "Sub" -> binary(cx, (a, b) -> a - b, (a, b) -> a - b);
            case "Mul" -> binary(cx, (a, b) -> a * b, (a, b) -> a * b);
            case "Div" -> {
                if (!cx.type(0).isFloat() && !cx.type(0).isSigned() && cx.type(0) == ElementType.UINT64) {
                    binary(cx, (a, b) -> a / b, (a, b) -> b == 0 ? 0 : Long.divideUnsigned(a, b));
                } else {
                    binary(cx, (a, b) -> a / b, (a, b) -> b == 0 ? 0 : a / b);
                }
            }
            case "Pow" -> {
                if (cx.type(0) != cx.type(1)) return false;
                binary(cx, Math::pow, (a, b) -> (long) Math.pow(a, b));
            }
            case "Max", "Min", "Sum", "Mean" -> {
                if (cx.type(0) == ElementType.UINT64) return false;
                boolean max = op.equals("Max");
                boolean min = op.equals("Min");
                OnnxTensor acc = cx.constIn(0);
                for (int i = 1; i < cx.inputCount(); i++) {
                    acc = binaryOp(acc, cx.constIn(i), acc.type(),
                            max ? ConstEval::fmax : min ? ConstEval::fmin : Double::sum,
                            max ? Math::max : min ? Math::min : Long::sum);
                }
                if (op.equals("Mean")) {
                    if (!acc.type().isFloat()) return false;
                    OnnxTensor m = OnnxTensor.zeros(acc.type(), acc.shape());
                    for (int i = 0; i < m.size(); i++) m.setDouble(i, acc.getDouble(i) / cx.inputCount());
                    acc = m;
                }
                cx.outConst(0, acc);
            }
            case "Mod" -> {
                boolean fmod = cx.attrInt("fmod", 0) != 0;
                if (cx.type(0).isFloat() && !fmod) return false;
                binary(cx, (a, b) -> a % b, fmod ? (a, b) -> b == 0 ? 0 : a % b : (a, b) -> b == 0 ? 0 : Math.floorMod(a, b));
            }
            case "Equal" -> compare(cx, c -> c == 0);
            case "Less" -> compare(cx, c -> c < 0);
            case "Greater" -> compare(cx, c -> c > 0);
            case "LessOrEqual" -> compare(cx, c -> c <= 0);
            case "GreaterOrEqual" -> compare(cx, c -> c >= 0);
            case "And" -> logical(cx, (a, b) -> a & b);
            case "Or" -> logical(cx, (a, b) -> a | b);
            case "Xor" -> logical(cx, (a, b) -> a ^ b);
            case "Not" -> {
                OnnxTensor x = cx.constIn(0);
                OnnxTensor out = OnnxTensor.zeros(ElementType.BOOL, x.shape());
                for (int i = 0; i < x.size(); i++) out.setLong(i, x.getLong(i) == 0 ? 1 : 0);
                cx.outConst(0, out);
            }
            case "Where" -> cx.outConst(0, where(cx.constIn(0), cx.constIn(1), cx.constIn(2)));
            case "Neg" -> unary(cx, a -> -a, a -> -a);
            case "Abs" -> unary(cx, Math::abs, Math::abs);
            case "Sign" -> unary(cx, Math::signum, Long::signum);
            case "Relu" -> unary(cx, a -> a > 0 ? a : (Double.isNaN(a) ? a : 0.0), a -> Math.max(a, 0));
            case "Sqrt" -> unaryFloat(cx, Math::sqrt);
            case "Floor" -> unaryFloat(cx, Math::floor);
            case "Ceil" -> unaryFloat(cx, Math::ceil);
            case "Round" -> unaryFloat(cx, Math::rint);
            case "Reciprocal" -> unaryFloat(cx, a -> 1.0 / a);
            case "Exp" -> unaryFloat(cx, Math::exp);
            case "Log" -> unaryFloat(cx, Math::log);
            case "ReduceSum", "ReduceProd", "ReduceMax", "ReduceMin", "ReduceMean", "ReduceL1", "ReduceL2", "ReduceLogSum",
                 "ReduceLogSumExp", "ReduceSumSquare" -> {
                return reduce(cx);
            }
            case "DequantizeLinear" -> {
                return dequantize(cx);
            }
            case "NonZero" -> cx.outConst(0, nonZero(cx.constIn(0)));
            case "ScatterND" -> {
                if (!cx.attrString("reduction", "none").equals("none")) return false;
                cx.outConst(0, scatterND(cx.constIn(0), cx.constIn(1), cx.constIn(2)));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ individual operators

    static OnnxTensor constant(NodeContext cx) {
        if (cx.hasAttr("value")) return cx.attrTensor("value");
        if (cx.hasAttr("value_float")) return OnnxTensor.scalar(ElementType.FLOAT, cx.attrFloat("value_float", 0));
        if (cx.hasAttr("value_int")) {
            return OnnxTensor.ofLongs(ElementType.INT64, new long[0], cx.attrInt("value_int", 0));
        }
        if (cx.hasAttr("value_floats")) {
            float[] f = cx.attrFloats("value_floats");
            return OnnxTensor.ofFloats(new long[] {f.length}, f);
        }
        if (cx.hasAttr("value_ints")) return OnnxTensor.int64s(cx.attrInts("value_ints"));
        if (cx.hasAttr("sparse_value")) throw cx.unsupported("sparse_value constants are not supported");
        if (cx.hasAttr("value_string") || cx.hasAttr("value_strings")) throw cx.unsupported("string constants are not supported");
        throw cx.unsupported("Constant has no value attribute");
    }

    private static OnnxTensor range(NodeContext cx) {
        OnnxTensor s = cx.constIn(0), l = cx.constIn(1), d = cx.constIn(2);
        ElementType t = s.type();
        // opset 27: stash_type 1 (the default) computes float16/bfloat16 ranges in float32, as below
        if (cx.attrInt("stash_type", 1) != 1 && (t == ElementType.FLOAT16 || t == ElementType.BFLOAT16)) {
            throw cx.unsupported("Range with stash_type %d", cx.attrInt("stash_type", 1));
        }
        if (t.isFloat()) {
            double start = s.getDouble(0), limit = l.getDouble(0), delta = d.getDouble(0);
            if (delta == 0) throw cx.unsupported("Range delta is 0");
            long n = (long) Math.max(Math.ceil((limit - start) / delta), 0);
            checkSize(cx, n);
            OnnxTensor out = OnnxTensor.zeros(t, n);
            // the reference accumulates in the element type
            // the reference computes start + i * delta in the element type (float32 for float16 with stash_type 1)
            for (int i = 0; i < n; i++) {
                double v = t == ElementType.DOUBLE ? start + i * delta : (float) ((float) start + (float) i * (float) delta);
                out.setDouble(i, v);
            }
            return out;
        }
        long start = s.getLong(0), limit = l.getLong(0), delta = d.getLong(0);
        if (delta == 0) throw cx.unsupported("Range delta is 0");
        long n = Math.max((long) Math.ceil((double) (limit - start) / delta), 0);
        checkSize(cx, n);
        OnnxTensor out = OnnxTensor.zeros(t, n);
        for (int i = 0; i < n; i++) out.setLong(i, start + i * delta);
        return out;
    }

    private static void checkSize(NodeContext cx, long n) {
        if (n > (1L << 28)) throw cx.unsupported("Range would produce %d elements", n);
    }

    private static void copyElement(OnnxTensor from, int i, OnnxTensor to, int j) {
        if (from.type().isFloat()) to.setDouble(j, from.getDouble(i));
        else to.setLong(j, from.getLong(i));
    }

    private static OnnxTensor concat(NodeContext cx) {
        List<OnnxTensor> parts = new ArrayList<>();
        for (int i = 0; i < cx.inputCount(); i++) if (cx.has(i)) parts.add(cx.constIn(i));
        int r = parts.get(0).rank();
        int axis = cx.axis(cx.attrInt("axis", cx.opset() < 4 ? 1 : 0), r);
        return concat(parts, axis, cx);
    }

    static OnnxTensor concat(List<OnnxTensor> parts, int axis, NodeContext cx) {
        OnnxTensor first = parts.get(0);
        long[] shape = first.shape();
        long total = 0;
        for (OnnxTensor p : parts) {
            if (p.rank() != shape.length || p.type() != first.type()) {
                throw cx.unsupported("Concat inputs differ in rank or type (%s vs %s)", p, first);
            }
            for (int d = 0; d < shape.length; d++) {
                if (d != axis && p.dim(d) != shape[d]) throw cx.unsupported("Concat inputs differ in dimension %d", d);
            }
            total += p.dim(axis);
        }
        shape[axis] = total;
        OnnxTensor out = OnnxTensor.zeros(first.type(), shape);
        long outer = Shapes.product(shape, 0, axis);
        long inner = Shapes.product(shape, axis + 1, shape.length);
        int o = 0;
        for (long i = 0; i < outer; i++) {
            for (OnnxTensor p : parts) {
                long chunk = p.dim(axis) * inner;
                for (long k = 0; k < chunk; k++) copyElement(p, (int) (i * chunk + k), out, o++);
            }
        }
        return out;
    }

    private static OnnxTensor gather(NodeContext cx) {
        OnnxTensor data = cx.constIn(0), idx = cx.constIn(1);
        int r = data.rank();
        int axis = cx.axis(cx.attrInt("axis", 0), r);
        long[] ds = data.shape();
        long[] is = idx.shape();
        long[] os = new long[r - 1 + is.length];
        int k = 0;
        for (int i = 0; i < axis; i++) os[k++] = ds[i];
        for (long d : is) os[k++] = d;
        for (int i = axis + 1; i < r; i++) os[k++] = ds[i];
        OnnxTensor out = OnnxTensor.zeros(data.type(), os);
        long outer = Shapes.product(ds, 0, axis), inner = Shapes.product(ds, axis + 1, r);
        long n = ds[axis];
        int o = 0;
        for (long a = 0; a < outer; a++) {
            for (int j = 0; j < idx.size(); j++) {
                long x = idx.getLong(j);
                if (x < 0) x += n;
                if (x < 0 || x >= n) throw cx.unsupported("Gather index %d is out of range for size %d", idx.getLong(j), n);
                long base = (a * n + x) * inner;
                for (long i = 0; i < inner; i++) copyElement(data, (int) (base + i), out, o++);
            }
        }
        return out;
    }

    static Shapes.SliceAxis[] sliceParams(NodeContext cx) {
        long[] shape = cx.shape(0);
        if (cx.opset() < 10) {
            long[] starts = cx.attrInts("starts"), ends = cx.attrInts("ends"), axes = cx.attrInts("axes");
            if (starts == null || ends == null) throw cx.unsupported("Slice needs starts and ends");
            return Shapes.slice(shape, starts, ends, axes, null);
        }
        return Shapes.slice(shape, cx.constLongs(1), cx.constLongs(2), cx.constLongs(3), cx.constLongs(4));
    }

    private static OnnxTensor slice(NodeContext cx) {
        OnnxTensor x = cx.constIn(0);
        Shapes.SliceAxis[] s = sliceParams(cx);
        long[] os = Shapes.counts(s);
        OnnxTensor out = OnnxTensor.zeros(x.type(), os);
        long[] st = Shapes.strides(x.shape());
        int r = os.length;
        long[] idx = new long[r];
        for (int o = 0; o < out.size(); o++) {
            long src = 0;
            for (int d = 0; d < r; d++) src += (s[d].start() + idx[d] * s[d].step()) * st[d];
            copyElement(x, (int) src, out, o);
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < os[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    static int[] perm(NodeContext cx) {
        long[] p = cx.attrInts("perm");
        int r = cx.rank(0);
        int[] perm = new int[r];
        if (p == null) {
            for (int i = 0; i < r; i++) perm[i] = r - 1 - i;
        } else {
            if (p.length != r) throw cx.unsupported("Transpose perm %s does not match rank %d", java.util.Arrays.toString(p), r);
            boolean[] seen = new boolean[r];
            for (int i = 0; i < r; i++) {
                int a = cx.axis(p[i], r);
                if (seen[a]) throw cx.unsupported("Transpose perm repeats axis %d", a);
                seen[a] = true;
                perm[i] = a;
            }
        }
        return perm;
    }

    static OnnxTensor transpose(OnnxTensor x, int[] perm) {
        long[] is = x.shape();
        int r = is.length;
        long[] os = new long[r];
        for (int i = 0; i < r; i++) os[i] = is[perm[i]];
        long[] st = Shapes.strides(is);
        OnnxTensor out = OnnxTensor.zeros(x.type(), os);
        long[] idx = new long[r];
        for (int o = 0; o < out.size(); o++) {
            long src = 0;
            for (int d = 0; d < r; d++) src += idx[d] * st[perm[d]];
            copyElement(x, (int) src, out, o);
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < os[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Element index into a tensor of {@code shape} broadcast to {@code out}, per output element. */
    static int[] broadcastIndex(long[] shape, long[] out) {
        int r = out.length;
        long[] st = Shapes.strides(shape);
        long[] bst = new long[r];
        for (int d = 0; d < r; d++) {
            int sd = d - (r - shape.length);
            bst[d] = sd >= 0 && shape[sd] != 1 ? st[sd] : 0;
        }
        long n = OnnxTensor.elementCount(out);
        int[] map = new int[(int) n];
        long[] idx = new long[r];
        for (int o = 0; o < n; o++) {
            long src = 0;
            for (int d = 0; d < r; d++) src += idx[d] * bst[d];
            map[o] = (int) src;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) break;
                idx[d] = 0;
            }
        }
        return map;
    }

    static OnnxTensor broadcastTo(OnnxTensor x, long[] shape) {
        int[] map = broadcastIndex(x.shape(), shape);
        OnnxTensor out = OnnxTensor.zeros(x.type(), shape);
        for (int o = 0; o < map.length; o++) copyElement(x, map[o], out, o);
        return out;
    }

    private static OnnxTensor tile(OnnxTensor x, long[] reps) {
        long[] is = x.shape();
        if (reps.length != is.length) throw Shapes.error("Tile repeats %s do not match rank %d", java.util.Arrays.toString(reps), is.length);
        long[] os = new long[is.length];
        for (int i = 0; i < is.length; i++) os[i] = is[i] * reps[i];
        OnnxTensor out = OnnxTensor.zeros(x.type(), os);
        long[] st = Shapes.strides(is);
        long[] idx = new long[os.length];
        for (int o = 0; o < out.size(); o++) {
            long src = 0;
            for (int d = 0; d < os.length; d++) src += (idx[d] % is[d]) * st[d];
            copyElement(x, (int) src, out, o);
            for (int d = os.length - 1; d >= 0; d--) {
                if (++idx[d] < os[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Split sizes per ONNX Split (attribute before opset 13, input after; num_outputs at 18). */
    static long[] splitSizes(NodeContext cx, long dim) {
        long[] split = cx.opset() < 13 ? cx.attrInts("split") : cx.constLongs(1);
        int n = cx.outputCount();
        if (cx.opset() >= 18 && cx.hasAttr("num_outputs")) {
            long k = cx.attrInt("num_outputs", n);
            if (split != null) throw cx.unsupported("Split gives both split and num_outputs");
            n = (int) k;
            long chunk = (dim + k - 1) / k;
            long[] s = new long[n];
            long left = dim;
            for (int i = 0; i < n; i++) {
                s[i] = Math.min(chunk, left);
                left -= s[i];
            }
            return s;
        }
        if (split == null) {
            if (dim % n != 0) throw cx.unsupported("Split of size %d into %d equal parts is not even", dim, n);
            long[] s = new long[n];
            java.util.Arrays.fill(s, dim / n);
            return s;
        }
        long sum = 0;
        for (long v : split) sum += v;
        if (sum != dim || split.length != n) {
            throw cx.unsupported("Split sizes %s do not match dimension %d / %d outputs", java.util.Arrays.toString(split), dim, n);
        }
        return split;
    }

    private static void split(NodeContext cx) {
        OnnxTensor x = cx.constIn(0);
        int axis = cx.axis(cx.attrInt("axis", 0), x.rank());
        long[] sizes = splitSizes(cx, x.dim(axis));
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            long[] st = new long[x.rank()], en = x.shape();
            st[axis] = start;
            en[axis] = start + sizes[i];
            cx.outConst(i, sliceTensor(x, st, en));
            start += sizes[i];
        }
    }

    static OnnxTensor sliceTensor(OnnxTensor x, long[] starts, long[] ends) {
        long[] shape = x.shape();
        Shapes.SliceAxis[] s = Shapes.slice(shape, starts, ends, null, null);
        long[] os = Shapes.counts(s);
        OnnxTensor out = OnnxTensor.zeros(x.type(), os);
        long[] st = Shapes.strides(shape);
        long[] idx = new long[os.length];
        for (int o = 0; o < out.size(); o++) {
            long src = 0;
            for (int d = 0; d < os.length; d++) src += (s[d].start() + idx[d]) * st[d];
            copyElement(x, (int) src, out, o);
            for (int d = os.length - 1; d >= 0; d--) {
                if (++idx[d] < os[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ elementwise

    private static double fmax(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b); }

    private static double fmin(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b); }

    private static void binary(NodeContext cx, DoubleBinaryOperator f, LongBinaryOperator g) {
        OnnxTensor a = cx.constIn(0), b = cx.constIn(1);
        if (cx.opset() < 7 && cx.attrInt("broadcast", 0) != 0 && cx.hasAttr("axis")) {
            b = b.reshape(legacyBroadcastShape(a.shape(), b.shape(), (int) cx.attrInt("axis", 0)));
        } else {
            cx.ignore("broadcast", "axis");
        }
        cx.outConst(0, binaryOp(a, b, a.type(), f, g));
    }

    /** Opset < 7 broadcasting: b's dimensions align with a's starting at {@code axis}. */
    static long[] legacyBroadcastShape(long[] a, long[] b, int axis) {
        if (axis < 0) axis += a.length;
        long[] s = new long[a.length - axis];
        java.util.Arrays.fill(s, 1);
        for (int i = 0; i < b.length && i < s.length; i++) s[i] = b[i];
        return s;
    }

    static OnnxTensor binaryOp(OnnxTensor a, OnnxTensor b, ElementType outType, DoubleBinaryOperator f, LongBinaryOperator g) {
        long[] os = Shapes.broadcast(a.shape(), b.shape());
        int[] ia = broadcastIndex(a.shape(), os), ib = broadcastIndex(b.shape(), os);
        OnnxTensor out = OnnxTensor.zeros(outType, os);
        boolean fl = a.type().isFloat() || b.type().isFloat();
        for (int o = 0; o < ia.length; o++) {
            if (fl) out.setDouble(o, f.applyAsDouble(a.getDouble(ia[o]), b.getDouble(ib[o])));
            else out.setLong(o, g.applyAsLong(a.getLong(ia[o]), b.getLong(ib[o])));
        }
        return out;
    }

    private interface Cmp { boolean test(int c); }

    private static void compare(NodeContext cx, Cmp c) {
        OnnxTensor a = cx.constIn(0), b = cx.constIn(1);
        cx.ignore("broadcast", "axis");
        long[] os = Shapes.broadcast(a.shape(), b.shape());
        int[] ia = broadcastIndex(a.shape(), os), ib = broadcastIndex(b.shape(), os);
        OnnxTensor out = OnnxTensor.zeros(ElementType.BOOL, os);
        boolean fl = a.type().isFloat();
        boolean unsigned64 = a.type() == ElementType.UINT64;
        for (int o = 0; o < ia.length; o++) {
            boolean r;
            if (fl) {
                double x = a.getDouble(ia[o]), y = b.getDouble(ib[o]);
                r = !Double.isNaN(x) && !Double.isNaN(y) && c.test(Double.compare(x, y) == 0 || x == y ? 0 : x < y ? -1 : 1);
            } else {
                long x = a.getLong(ia[o]), y = b.getLong(ib[o]);
                r = c.test(unsigned64 ? Long.compareUnsigned(x, y) : Long.compare(x, y));
            }
            out.setLong(o, r ? 1 : 0);
        }
        cx.outConst(0, out);
    }

    private static void logical(NodeContext cx, LongBinaryOperator f) {
        cx.ignore("broadcast", "axis");
        OnnxTensor a = cx.constIn(0), b = cx.constIn(1);
        cx.outConst(0, binaryOp(a, b, ElementType.BOOL, (x, y) -> f.applyAsLong(x != 0 ? 1 : 0, y != 0 ? 1 : 0),
                (x, y) -> f.applyAsLong(x != 0 ? 1 : 0, y != 0 ? 1 : 0)));
    }

    static OnnxTensor where(OnnxTensor c, OnnxTensor x, OnnxTensor y) {
        long[] os = Shapes.broadcast(c.shape(), x.shape(), y.shape());
        int[] ic = broadcastIndex(c.shape(), os), ix = broadcastIndex(x.shape(), os), iy = broadcastIndex(y.shape(), os);
        OnnxTensor out = OnnxTensor.zeros(x.type(), os);
        for (int o = 0; o < ic.length; o++) {
            if (c.getLong(ic[o]) != 0) copyElement(x, ix[o], out, o);
            else copyElement(y, iy[o], out, o);
        }
        return out;
    }

    private static void unary(NodeContext cx, DoubleUnaryOperator f, java.util.function.LongUnaryOperator g) {
        OnnxTensor x = cx.constIn(0);
        cx.ignore("consumed_inputs");
        OnnxTensor out = OnnxTensor.zeros(x.type(), x.shape());
        for (int i = 0; i < x.size(); i++) {
            if (x.type().isFloat()) out.setDouble(i, f.applyAsDouble(x.getDouble(i)));
            else out.setLong(i, g.applyAsLong(x.getLong(i)));
        }
        cx.outConst(0, out);
    }

    private static void unaryFloat(NodeContext cx, DoubleUnaryOperator f) {
        OnnxTensor x = cx.constIn(0);
        cx.ignore("consumed_inputs");
        if (!x.type().isFloat()) throw cx.unsupported("%s of %s", cx.opType(), x.type());
        OnnxTensor out = OnnxTensor.zeros(x.type(), x.shape());
        for (int i = 0; i < x.size(); i++) out.setDouble(i, f.applyAsDouble(x.getDouble(i)));
        cx.outConst(0, out);
    }

    // ------------------------------------------------------------------ reductions

    /** Axes of a Reduce* node (attribute, or input 1 from opset 18 / 13 for ReduceSum), or null for all. */
    static long[] reduceAxes(NodeContext cx) {
        boolean axesInput = cx.opType().equals("ReduceSum") ? cx.opset() >= 13 : cx.opset() >= 18;
        if (axesInput) return cx.has(1) ? cx.constLongs(1) : null;
        return cx.attrInts("axes");
    }

    private static boolean reduce(NodeContext cx) {
        OnnxTensor x = cx.constIn(0);
        long[] axes = reduceAxes(cx);
        boolean keep = cx.attrInt("keepdims", 1) != 0;
        boolean noop = cx.attrInt("noop_with_empty_axes", 0) != 0;
        if (axes != null && axes.length == 0) axes = null;
        if (axes == null && noop) {
            cx.outConst(0, x);
            return true;
        }
        int r = x.rank();
        boolean[] red = new boolean[r];
        if (axes == null) java.util.Arrays.fill(red, true);
        else for (long a : axes) red[cx.axis(a, r)] = true;
        long[] is = x.shape();
        long[] ks = new long[r];
        for (int i = 0; i < r; i++) ks[i] = red[i] ? 1 : is[i];
        String op = cx.opType();
        ElementType t = x.type();
        if (!t.isFloat() && (op.equals("ReduceMean") || op.equals("ReduceL2") || op.startsWith("ReduceLog"))) return false;
        int outN = (int) OnnxTensor.elementCount(ks);
        double[] acc = new double[outN];
        double init = switch (op) {
            case "ReduceProd" -> 1;
            case "ReduceMax", "ReduceLogSumExp" -> Double.NEGATIVE_INFINITY;
            case "ReduceMin" -> Double.POSITIVE_INFINITY;
            default -> 0;
        };
        java.util.Arrays.fill(acc, init);
        double[] maxes = null;
        if (op.equals("ReduceLogSumExp")) {
            maxes = new double[outN];
            java.util.Arrays.fill(maxes, Double.NEGATIVE_INFINITY);
        }
        long[] kst = Shapes.strides(ks);
        long[] idx = new long[r];
        int n = x.size();
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            long o = 0;
            for (int d = 0; d < r; d++) if (!red[d]) o += idx[d] * kst[d];
            target[i] = (int) o;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < is[d]) break;
                idx[d] = 0;
            }
        }
        if (maxes != null) for (int i = 0; i < n; i++) maxes[target[i]] = Math.max(maxes[target[i]], x.getDouble(i));
        for (int i = 0; i < n; i++) {
            double v = x.getDouble(i);
            int o = target[i];
            acc[o] = switch (op) {
                case "ReduceSum", "ReduceMean", "ReduceLogSum" -> acc[o] + v;
                case "ReduceProd" -> acc[o] * v;
                case "ReduceMax" -> Double.isNaN(v) || Double.isNaN(acc[o]) ? Double.NaN : Math.max(acc[o], v);
                case "ReduceMin" -> Double.isNaN(v) || Double.isNaN(acc[o]) ? Double.NaN : Math.min(acc[o], v);
                case "ReduceL1" -> acc[o] + Math.abs(v);
                case "ReduceL2", "ReduceSumSquare" -> acc[o] + v * v;
                case "ReduceLogSumExp" -> (acc[o] == Double.NEGATIVE_INFINITY ? 0 : acc[o]) + Math.exp(v - maxes[o]);
                default -> throw cx.unsupported("reduction %s", op);
            };
        }
        long count = n / Math.max(outN, 1);
        OnnxTensor out = OnnxTensor.zeros(t, keep ? ks : Shapes.squeeze(ks, axesList(red)));
        for (int o = 0; o < outN; o++) {
            double v = switch (op) {
                case "ReduceMean" -> acc[o] / count;
                case "ReduceL2" -> Math.sqrt(acc[o]);
                case "ReduceLogSum" -> Math.log(acc[o]);
                case "ReduceLogSumExp" -> maxes[o] == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY
                        : Math.log(acc[o]) + maxes[o];
                default -> acc[o];
            };
            if (!t.isFloat() && Double.isInfinite(v)) {
                v = v > 0 ? OnnxTensor.maxValue(t) : OnnxTensor.minValue(t);
            }
            out.setDouble(o, v);
        }
        cx.outConst(0, out);
        return true;
    }

    private static long[] axesList(boolean[] red) {
        int n = 0;
        for (boolean b : red) if (b) n++;
        long[] a = new long[n];
        int k = 0;
        for (int i = 0; i < red.length; i++) if (red[i]) a[k++] = i;
        return a;
    }

    // ------------------------------------------------------------------ others

    private static boolean dequantize(NodeContext cx) {
        OnnxTensor x = cx.constIn(0), scale = cx.constIn(1);
        OnnxTensor zp = cx.has(2) ? cx.constIn(2) : null;
        long axisAttr = cx.attrInt("axis", 1);
        long block = cx.attrInt("block_size", 0);
        long outType = cx.attrInt("output_dtype", 0);
        if (block != 0 || outType != 0 && ElementType.fromOnnx((int) outType) != scale.type()) return false;
        int r = x.rank();
        OnnxTensor out = OnnxTensor.zeros(scale.type(), x.shape());
        if (scale.size() == 1) {
            double s = scale.getDouble(0);
            double z = zp == null ? 0 : zp.getDouble(0);
            for (int i = 0; i < x.size(); i++) out.setDouble(i, (x.getDouble(i) - z) * s);
        } else {
            if (scale.rank() != 1) return false;
            int axis = cx.axis(axisAttr, r);
            long[] shape = x.shape();
            long inner = Shapes.product(shape, axis + 1, r);
            long n = shape[axis];
            if (scale.size() != n) return false;
            for (int i = 0; i < x.size(); i++) {
                int c = (int) ((i / inner) % n);
                double z = zp == null ? 0 : zp.getDouble(c);
                out.setDouble(i, (x.getDouble(i) - z) * scale.getDouble(c));
            }
        }
        cx.outConst(0, out);
        return true;
    }

    private static OnnxTensor nonZero(OnnxTensor x) {
        int r = x.rank();
        List<long[]> hits = new ArrayList<>();
        long[] shape = x.shape();
        long[] idx = new long[r];
        for (int i = 0; i < x.size(); i++) {
            if (x.getDouble(i) != 0) hits.add(idx.clone());
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        OnnxTensor out = OnnxTensor.zeros(ElementType.INT64, r, hits.size());
        for (int j = 0; j < hits.size(); j++) for (int d = 0; d < r; d++) out.setLong(d * hits.size() + j, hits.get(j)[d]);
        return out;
    }

    private static OnnxTensor scatterND(OnnxTensor data, OnnxTensor indices, OnnxTensor updates) {
        OnnxTensor out = OnnxTensor.copyOf(data.type(), data.shape(), data.data());
        long[] ds = data.shape(), is = indices.shape();
        int k = (int) is[is.length - 1];
        long[] st = Shapes.strides(ds);
        long inner = Shapes.product(ds, k, ds.length);
        long nIdx = OnnxTensor.elementCount(is) / Math.max(k, 1);
        for (int j = 0; j < nIdx; j++) {
            long base = 0;
            for (int d = 0; d < k; d++) {
                long v = indices.getLong(j * k + d);
                if (v < 0) v += ds[d];
                base += v * st[d];
            }
            for (long i = 0; i < inner; i++) copyElement(updates, (int) (j * inner + i), out, (int) (base + i));
        }
        return out;
    }
}
