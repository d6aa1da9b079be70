package dev.anneau.webnn.ops;

/** NumPy-style broadcasting, as the spec's "bidirectionally broadcast shapes" and "unidirectionally broadcastable". */
public final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code a} and {@code b}, or null when they are not broadcastable. */
    public static int[] bidirectional(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da == db || db == 1) out[i] = da;
            else if (da == 1) out[i] = db;
            else return null;
        }
        return out;
    }

    /** True when {@code from} can be broadcast to exactly {@code to}. */
    public static boolean unidirectional(int[] from, int[] to) {
        if (from.length > to.length) return false;
        for (int i = 0; i < from.length; i++) {
            int f = from[from.length - 1 - i];
            int t = to[to.length - 1 - i];
            if (f != t && f != 1) return false;
        }
        return true;
    }

    /**
     * Maps an output linear index to the linear index of an input of shape {@code in} broadcast
     * to {@code out}. Kernels precompute strides with {@link #broadcastStrides} instead when hot.
     */
    public static int[] broadcastStrides(int[] in, int[] out) {
        int[] strides = new int[out.length];
        int acc = 1;
        for (int i = in.length - 1; i >= 0; i--) {
            int o = i + (out.length - in.length);
            strides[o] = in[i] == 1 ? 0 : acc;
            acc *= in[i];
        }
        return strides;
    }
}
