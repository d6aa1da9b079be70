package dev.anneau.onnx;

import java.util.Arrays;

/** Shape arithmetic shared by the constant folder and the mappers (ONNX semantics). */
final class Shapes {
    private Shapes() {}

    static NodeContext.Unsupported error(String format, Object... args) {
        return new NodeContext.Unsupported(String.format(java.util.Locale.ROOT, format, args));
    }

    /** NumPy (multidirectional) broadcasting. */
    static long[] broadcast(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw error("shapes %s and %s do not broadcast", Arrays.toString(a), Arrays.toString(b));
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    static long[] broadcast(long[]... shapes) {
        long[] out = new long[0];
        for (long[] s : shapes) out = broadcast(out, s);
        return out;
    }

    /** Reshape target with ONNX's 0 (copy, unless allowzero) and -1 (infer). */
    static long[] reshape(long[] in, long[] target, boolean allowZero) {
        long[] out = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) throw error("reshape target %s copies dimension %d, input has rank %d", Arrays.toString(target), i, in.length);
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) throw error("reshape target %s has more than one -1", Arrays.toString(target));
                infer = i;
            } else if (out[i] < 0) {
                throw error("reshape target %s has a negative dimension", Arrays.toString(target));
            } else {
                known = Math.multiplyExact(known, out[i]);
            }
        }
        long total = OnnxTensor.elementCount(in);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw error("cannot reshape %s (%d elements) to %s", Arrays.toString(in), total, Arrays.toString(target));
            }
            out[infer] = total / known;
        } else if (known != total) {
            throw error("cannot reshape %s (%d elements) to %s (%d elements)", Arrays.toString(in), total, Arrays.toString(target), known);
        }
        return out;
    }

    /** Inserts size-1 axes; {@code axes} refer to the output rank and may be negative. */
    static long[] unsqueeze(long[] in, long[] axes) {
        int r = in.length + axes.length;
        boolean[] mark = new boolean[r];
        for (long a : axes) {
            long x = a < 0 ? a + r : a;
            if (x < 0 || x >= r) throw error("unsqueeze axis %d is out of range for output rank %d", a, r);
            if (mark[(int) x]) throw error("unsqueeze axis %d is repeated", a);
            mark[(int) x] = true;
        }
        long[] out = new long[r];
        int j = 0;
        for (int i = 0; i < r; i++) out[i] = mark[i] ? 1 : in[j++];
        return out;
    }

    /** Removes size-1 axes: the given ones (which must be 1), or all when {@code axes} is null. */
    static long[] squeeze(long[] in, long[] axes) {
        boolean[] drop = new boolean[in.length];
        if (axes == null) {
            for (int i = 0; i < in.length; i++) drop[i] = in[i] == 1;
        } else {
            for (long a : axes) {
                long x = a < 0 ? a + in.length : a;
                if (x < 0 || x >= in.length) throw error("squeeze axis %d is out of range for rank %d", a, in.length);
                if (in[(int) x] != 1) throw error("squeeze axis %d has size %d, not 1", a, in[(int) x]);
                drop[(int) x] = true;
            }
        }
        int n = 0;
        for (boolean d : drop) if (!d) n++;
        long[] out = new long[n];
        int j = 0;
        for (int i = 0; i < in.length; i++) if (!drop[i]) out[j++] = in[i];
        return out;
    }

    static long[] flatten(long[] in, long axis) {
        int r = in.length;
        long a = axis < 0 ? axis + r : axis;
        if (a < 0 || a > r) throw error("flatten axis %d is out of range for rank %d", axis, r);
        long outer = 1, inner = 1;
        for (int i = 0; i < r; i++) {
            if (i < a) outer *= in[i];
            else inner *= in[i];
        }
        return new long[] {outer, inner};
    }

    /** One axis of a normalized slice: first index, element count and step (may be negative). */
    record SliceAxis(long start, long count, long step) {}

    /**
     * Normalizes ONNX Slice parameters for every axis of {@code shape} (axes not listed take the
     * whole dimension): negative indices count from the end, out-of-range values clamp.
     */
    static SliceAxis[] slice(long[] shape, long[] starts, long[] ends, long[] axes, long[] steps) {
        int r = shape.length;
        if (starts.length != ends.length) throw error("slice starts %s and ends %s differ in length", Arrays.toString(starts), Arrays.toString(ends));
        SliceAxis[] out = new SliceAxis[r];
        for (int i = 0; i < r; i++) out[i] = new SliceAxis(0, shape[i], 1);
        boolean[] seen = new boolean[r];
        for (int k = 0; k < starts.length; k++) {
            long ax = axes == null ? k : axes[k];
            if (ax < 0) ax += r;
            if (ax < 0 || ax >= r) throw error("slice axis %d is out of range for rank %d", axes == null ? k : axes[k], r);
            if (seen[(int) ax]) throw error("slice axis %d is repeated", ax);
            seen[(int) ax] = true;
            long step = steps == null ? 1 : steps[k];
            if (step == 0) throw error("slice step must not be 0");
            long dim = shape[(int) ax];
            long s = starts[k], e = ends[k];
            if (s < 0) s += dim;
            if (e < 0) e += dim;
            long count;
            if (step > 0) {
                s = clamp(s, 0, dim);
                e = clamp(e, 0, dim);
                count = e > s ? (e - s + step - 1) / step : 0;
            } else {
                s = clamp(s, -1, dim - 1);
                e = clamp(e, -1, dim - 1);
                count = s > e ? (s - e + (-step) - 1) / (-step) : 0;
            }
            out[(int) ax] = new SliceAxis(s, count, step);
        }
        return out;
    }

    private static long clamp(long v, long lo, long hi) { return Math.max(lo, Math.min(hi, v)); }

    static long[] counts(SliceAxis[] s) {
        long[] out = new long[s.length];
        for (int i = 0; i < s.length; i++) out[i] = s[i].count();
        return out;
    }

    /** Row-major strides in elements. */
    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static int[] toInts(long[] v, String what) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE) throw error("%s value %d is out of range", what, v[i]);
            out[i] = (int) v[i];
        }
        return out;
    }

    static long product(long[] s, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }
}
