package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A planned element copy between two tensors of the same data type: element {@code (i0..in-1)}
 * of an n-dimensional index space goes from {@code srcOffset + sum(i_k * srcStrides[k])} to
 * {@code dstOffset + sum(i_k * dstStrides[k])}. Strides may be 0 (broadcast) or negative
 * (reversal). The plan drops size-1 dimensions and merges dimensions that are contiguous in
 * both tensors, so common cases run as a few long {@code System.arraycopy} calls. Copies are
 * bit exact (raw primitive arrays), so NaN payloads and 64-bit integers survive.
 */
final class StridedCopy {
    private final int[] dims;
    private final int[] srcStrides;
    private final int[] dstStrides;
    private final int srcOffset;
    private final int dstOffset;
    private final int rows;

    private StridedCopy(int[] dims, int[] srcStrides, int srcOffset, int[] dstStrides, int dstOffset) {
        this.dims = dims;
        this.srcStrides = srcStrides;
        this.dstStrides = dstStrides;
        this.srcOffset = srcOffset;
        this.dstOffset = dstOffset;
        int r = 1;
        for (int i = 0; i + 1 < dims.length; i++) r *= dims[i];
        this.rows = r;
    }

    /** Plans the copy; arrays are not kept. */
    static StridedCopy plan(int[] dims, int[] srcStrides, int srcOffset, int[] dstStrides, int dstOffset) {
        List<int[]> kept = new ArrayList<>(); // {dim, srcStride, dstStride}, outermost first
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) continue;
            int[] cur = {dims[i], srcStrides[i], dstStrides[i]};
            if (!kept.isEmpty()) {
                int[] outer = kept.getLast();
                if (outer[1] == cur[1] * cur[0] && outer[2] == cur[2] * cur[0]) {
                    kept.set(kept.size() - 1, new int[] {outer[0] * cur[0], cur[1], cur[2]});
                    continue;
                }
            }
            kept.add(cur);
        }
        int n = kept.size();
        int[] d = new int[n], s = new int[n], t = new int[n];
        for (int i = 0; i < n; i++) {
            d[i] = kept.get(i)[0];
            s[i] = kept.get(i)[1];
            t[i] = kept.get(i)[2];
        }
        return new StridedCopy(d, s, srcOffset, t, dstOffset);
    }

    void run(CpuTensor src, CpuTensor dst) {
        int r = dims.length;
        Object sa = src.array(), da = dst.array();
        if (r == 0) {
            System.arraycopy(sa, srcOffset, da, dstOffset, 1);
            return;
        }
        int n = dims[r - 1], ss = srcStrides[r - 1], ds = dstStrides[r - 1];
        int s = srcOffset, d = dstOffset;
        int[] idx = r > 1 ? new int[r - 1] : null;
        for (int row = 0; row < rows; row++) {
            copyRow(sa, s, ss, da, d, ds, n);
            for (int k = r - 2; k >= 0; k--) {
                s += srcStrides[k];
                d += dstStrides[k];
                if (++idx[k] < dims[k]) break;
                s -= srcStrides[k] * dims[k];
                d -= dstStrides[k] * dims[k];
                idx[k] = 0;
            }
        }
    }

    /** Copies {@code n} elements with the given strides between two arrays of the same primitive type. */
    static void copyRow(Object sa, int s, int ss, Object da, int d, int ds, int n) {
        if (ss == 1 && ds == 1) {
            System.arraycopy(sa, s, da, d, n);
            return;
        }
        switch (sa) {
            case float[] a -> {
                float[] b = (float[]) da;
                for (int i = 0; i < n; i++, s += ss, d += ds) b[d] = a[s];
            }
            case short[] a -> {
                short[] b = (short[]) da;
                for (int i = 0; i < n; i++, s += ss, d += ds) b[d] = a[s];
            }
            case int[] a -> {
                int[] b = (int[]) da;
                for (int i = 0; i < n; i++, s += ss, d += ds) b[d] = a[s];
            }
            case long[] a -> {
                long[] b = (long[]) da;
                for (int i = 0; i < n; i++, s += ss, d += ds) b[d] = a[s];
            }
            case byte[] a -> {
                byte[] b = (byte[]) da;
                for (int i = 0; i < n; i++, s += ss, d += ds) b[d] = a[s];
            }
            default -> throw new IllegalStateException("unexpected tensor array " + sa.getClass());
        }
    }

    /** Sets {@code dst[from, to)} to element 0 of {@code value} (same data type). */
    static void fill(CpuTensor dst, int from, int to, CpuTensor value) {
        if (from >= to) return;
        switch (dst.array()) {
            case float[] a -> java.util.Arrays.fill(a, from, to, value.f32()[0]);
            case short[] a -> java.util.Arrays.fill(a, from, to, value.f16()[0]);
            case int[] a -> java.util.Arrays.fill(a, from, to, value.i32()[0]);
            case long[] a -> java.util.Arrays.fill(a, from, to, value.i64()[0]);
            case byte[] a -> java.util.Arrays.fill(a, from, to, value.i8()[0]);
            default -> throw new IllegalStateException("unexpected tensor array");
        }
    }
}
