package dev.anneau.backend.cpu.kernels;

import dev.anneau.webnn.ops.Broadcast;
import java.util.ArrayList;
import java.util.List;

/**
 * A loop plan for reading several inputs broadcast (NumPy rules) to one row-major output, made
 * once per graph. Output axes of size 1 are dropped and neighbouring axes that every input walks
 * the same way are merged, so that the output is visited as {@code outerCount} runs of
 * {@code inner} consecutive elements; within a run input {@code k} advances by
 * {@code innerStride[k]} (0 when broadcast, else 1). Same-shape inputs give one single run.
 */
final class BroadcastPlan {
    /** Receives one run: the output offset, each input's offset and the run length. */
    @FunctionalInterface
    interface Run {
        void run(int outOffset, int[] inOffsets, int n);
    }

    final int inputs;
    final int inner;
    final int[] innerStride;
    private final int[] outerDims;
    private final int[][] outerStrides; // [input][axis]
    private final int outerCount;

    private BroadcastPlan(int inputs, int inner, int[] innerStride, int[] outerDims, int[][] outerStrides) {
        this.inputs = inputs;
        this.inner = inner;
        this.innerStride = innerStride;
        this.outerDims = outerDims;
        this.outerStrides = outerStrides;
        int count = 1;
        for (int d : outerDims) count *= d;
        this.outerCount = count;
    }

    /** A plan for inputs of shapes {@code in} broadcast to {@code out} (each must broadcast to it). */
    static BroadcastPlan of(int[] out, int[]... in) {
        int k = in.length;
        int[][] strides = new int[k][];
        for (int j = 0; j < k; j++) {
            if (!Broadcast.unidirectional(in[j], out)) {
                throw new IllegalArgumentException("shape of input " + j + " does not broadcast to the output");
            }
            strides[j] = Broadcast.broadcastStrides(in[j], out);
        }
        // merged axes, innermost first: size and per-input stride
        List<Integer> dims = new ArrayList<>();
        List<int[]> st = new ArrayList<>();
        for (int axis = out.length - 1; axis >= 0; axis--) {
            int d = out[axis];
            if (d == 1) continue;
            int[] s = new int[k];
            for (int j = 0; j < k; j++) s[j] = strides[j][axis];
            if (!dims.isEmpty()) {
                int last = dims.size() - 1;
                int size = dims.get(last);
                int[] ls = st.get(last);
                boolean merge = true;
                for (int j = 0; j < k && merge; j++) merge = s[j] == ls[j] * size;
                if (merge) {
                    dims.set(last, size * d);
                    continue;
                }
            }
            dims.add(d);
            st.add(s);
        }
        if (dims.isEmpty()) return new BroadcastPlan(k, 1, new int[k], new int[0], new int[k][0]);
        int inner = dims.get(0);
        int[] innerStride = st.get(0);
        int outer = dims.size() - 1;
        int[] outerDims = new int[outer];
        int[][] outerStrides = new int[k][outer];
        for (int a = 0; a < outer; a++) {
            // outer axes outermost first
            int src = dims.size() - 1 - a;
            outerDims[a] = dims.get(src);
            for (int j = 0; j < k; j++) outerStrides[j][a] = st.get(src)[j];
        }
        return new BroadcastPlan(k, inner, innerStride, outerDims, outerStrides);
    }

    /** Visits every run in output order. The offsets array is reused between calls. */
    void forEachRun(Run run) {
        int[] off = new int[inputs];
        int rank = outerDims.length;
        int[] idx = new int[rank];
        int outOff = 0;
        for (int r = 0; r < outerCount; r++) {
            run.run(outOff, off, inner);
            outOff += inner;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < outerDims[d]) {
                    for (int j = 0; j < inputs; j++) off[j] += outerStrides[j][d];
                    break;
                }
                idx[d] = 0;
                for (int j = 0; j < inputs; j++) off[j] -= outerStrides[j][d] * (outerDims[d] - 1);
            }
        }
    }
}
