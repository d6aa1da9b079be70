package dev.anneau.backend.cpu.kernels;

import dev.anneau.webnn.ops.TensorType;

import dev.anneau.backend.cpu.CpuTensor;
import java.util.Arrays;

/**
 * Loop plan of a reduction over some axes of a row-major tensor, made once per graph: element
 * {@code roff[r]} of group {@code o} is at input offset {@code base[o] + roff[r]}. Groups follow the
 * row-major order of the kept axes (which is the output's order, with or without kept dimensions);
 * elements within a group follow the row-major order of the reduced axes taken in ascending order.
 * Shared by the reduction, argMin/argMax and normalization kernels.
 */
final class ReducePlan {
    /** Input offset of the first element of each group (one group per output element). */
    final int[] base;
    /** Offsets of a group's elements relative to its base. */
    final int[] roff;

    private ReducePlan(int[] base, int[] roff) {
        this.base = base;
        this.roff = roff;
    }

    int groups() { return base.length; }

    int groupSize() { return roff.length; }

    /** A plan reducing {@code axes} (distinct, any order) of a tensor of shape {@code dims}. */
    static ReducePlan of(int[] dims, int[] axes) {
        int[] reduced = sortedCopy(axes);
        boolean[] isReduced = new boolean[dims.length];
        for (int a : reduced) isReduced[a] = true;
        int[] kept = new int[dims.length - reduced.length];
        int k = 0;
        for (int i = 0; i < dims.length; i++) if (!isReduced[i]) kept[k++] = i;
        int[] strides = TensorType.rowMajorStrides(dims);
        return new ReducePlan(offsets(dims, kept, strides), offsets(dims, reduced, strides));
    }

    static int[] sortedCopy(int[] axes) {
        int[] s = axes.clone();
        Arrays.sort(s);
        return s;
    }

    /**
     * Enumerates the coordinates of the axes {@code iterAxes} (ascending) in row-major order, the
     * last listed axis fastest, and returns {@code sum(coord[a] * stride[a])} for each; with no
     * axes, one offset 0.
     */
    static int[] offsets(int[] dims, int[] iterAxes, int[] stride) {
        int count = 1;
        for (int a : iterAxes) count *= dims[a];
        int[] out = new int[count];
        int n = iterAxes.length;
        int[] coord = new int[n];
        int off = 0;
        for (int i = 0; i < count; i++) {
            out[i] = off;
            for (int j = n - 1; j >= 0; j--) {
                int a = iterAxes[j];
                off += stride[a];
                if (++coord[j] < dims[a]) break;
                off -= stride[a] * dims[a];
                coord[j] = 0;
            }
        }
        return out;
    }

    /** The element as a double, reading float32 straight from the array when there is one. */
    static double read(float[] f, CpuTensor t, int i) {
        return f != null ? f[i] : t.get(i);
    }

    /** Stores a double rounded once to the tensor's type. */
    static void write(float[] f, CpuTensor t, int i, double v) {
        if (f != null) f[i] = (float) v;
        else t.set(i, v);
    }
}
