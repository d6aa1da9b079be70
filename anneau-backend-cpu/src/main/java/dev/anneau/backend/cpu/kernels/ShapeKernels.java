package dev.anneau.backend.cpu.kernels;

import dev.anneau.backend.cpu.CpuTensor;
import dev.anneau.webnn.MLPaddingMode;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.ShapeOps;
import dev.anneau.webnn.ops.TensorType;

/**
 * CPU kernels of the shape family (see {@code dev.anneau.webnn.ShapeMethods}). Every kernel
 * moves elements bit for bit through the typed arrays (never through double), so all data
 * types, NaN payloads and 64-bit integers survive. Index plans are made once per graph; only
 * the data-dependent index reads (gather/scatter) happen per dispatch.
 *
 * <p>Indices of the gather/scatter operators may be negative (counted from the end of the
 * dimension). Indices still outside the dimension after that are clamped into it, so no
 * kernel ever reads or writes outside a tensor (the spec leaves the result of such indices
 * implementation-defined; clamping is what the WPT expectations use).
 */
public final class ShapeKernels {
    private ShapeKernels() {}

    public static void register(KernelRegistry registry) {
        registry.register("concat", ShapeKernels::concat);
        registry.register("expand", ShapeKernels::expand);
        registry.register("reshape", op -> (in, out) -> in[0].copyRange(0, out[0], 0, in[0].size()));
        registry.register("transpose", ShapeKernels::transpose);
        registry.register("reverse", ShapeKernels::reverse);
        registry.register("slice", ShapeKernels::slice);
        registry.register("split", ShapeKernels::split);
        registry.register("tile", ShapeKernels::tile);
        registry.register("pad", ShapeKernels::pad);
        registry.register("triangular", ShapeKernels::triangular);
        registry.register("gather", ShapeKernels::gather);
        registry.register("gatherElements", ShapeKernels::gatherElements);
        registry.register("gatherND", ShapeKernels::gatherND);
        registry.register("scatterElements", ShapeKernels::scatterElements);
        registry.register("scatterND", ShapeKernels::scatterND);
    }

    private static int[] inDims(Operation op, int i) { return op.input(i).type().dims(); }

    private static int[] outDims(Operation op, int i) { return op.output(i).type().dims(); }

    // ------------------------------------------------------------------ pure data movement

    static Kernel concat(Operation op) {
        int axis = op.attributes(ShapeOps.ConcatAttributes.class).axis();
        int[] out = outDims(op, 0);
        int[] outStrides = TensorType.rowMajorStrides(out);
        int n = op.inputs().size();
        StridedCopy[] plans = new StridedCopy[n];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            int[] d = inDims(op, i);
            plans[i] = StridedCopy.plan(d, TensorType.rowMajorStrides(d), 0, outStrides, offset * outStrides[axis]);
            offset += d[axis];
        }
        return (in, o) -> {
            for (int i = 0; i < plans.length; i++) plans[i].run(in[i], o[0]);
        };
    }

    static Kernel expand(Operation op) {
        int[] in = inDims(op, 0), out = outDims(op, 0);
        int[] inStrides = TensorType.rowMajorStrides(in);
        int[] src = new int[out.length];
        for (int i = 0; i < in.length; i++) {
            int o = i + out.length - in.length;
            src[o] = in[i] == 1 ? 0 : inStrides[i];
        }
        StridedCopy plan = StridedCopy.plan(out, src, 0, TensorType.rowMajorStrides(out), 0);
        return (i, o) -> plan.run(i[0], o[0]);
    }

    static Kernel transpose(Operation op) {
        int[] perm = op.attributes(ShapeOps.TransposeAttributes.class).permutation();
        int[] inStrides = TensorType.rowMajorStrides(inDims(op, 0)), out = outDims(op, 0);
        int[] src = new int[perm.length];
        for (int i = 0; i < perm.length; i++) src[i] = inStrides[perm[i]];
        StridedCopy plan = StridedCopy.plan(out, src, 0, TensorType.rowMajorStrides(out), 0);
        return (i, o) -> plan.run(i[0], o[0]);
    }

    static Kernel reverse(Operation op) {
        int[] axes = op.attributes(ShapeOps.ReverseAttributes.class).axes();
        int[] dims = inDims(op, 0);
        int[] src = TensorType.rowMajorStrides(dims);
        int offset = 0;
        for (int a : axes) {
            offset += (dims[a] - 1) * src[a];
            src[a] = -src[a];
        }
        StridedCopy plan = StridedCopy.plan(dims, src, offset, TensorType.rowMajorStrides(dims), 0);
        return (i, o) -> plan.run(i[0], o[0]);
    }

    static Kernel slice(Operation op) {
        ShapeOps.SliceAttributes a = op.attributes(ShapeOps.SliceAttributes.class);
        int[] inStrides = TensorType.rowMajorStrides(inDims(op, 0)), out = outDims(op, 0);
        int[] src = new int[out.length];
        int offset = 0;
        for (int i = 0; i < out.length; i++) {
            src[i] = inStrides[i] * a.strides()[i];
            offset += a.starts()[i] * inStrides[i];
        }
        StridedCopy plan = StridedCopy.plan(out, src, offset, TensorType.rowMajorStrides(out), 0);
        return (i, o) -> plan.run(i[0], o[0]);
    }

    static Kernel split(Operation op) {
        ShapeOps.SplitAttributes a = op.attributes(ShapeOps.SplitAttributes.class);
        int[] inStrides = TensorType.rowMajorStrides(inDims(op, 0));
        StridedCopy[] plans = new StridedCopy[a.sizes().length];
        int offset = 0;
        for (int k = 0; k < plans.length; k++) {
            int[] d = outDims(op, k);
            plans[k] = StridedCopy.plan(d, inStrides, offset * inStrides[a.axis()], TensorType.rowMajorStrides(d), 0);
            offset += a.sizes()[k];
        }
        return (in, o) -> {
            for (int k = 0; k < plans.length; k++) plans[k].run(in[0], o[k]);
        };
    }

    /** Output axis i of size reps[i]*d[i] is viewed as two axes (repetition, position), the first with source stride 0. */
    static Kernel tile(Operation op) {
        int[] reps = op.attributes(ShapeOps.TileAttributes.class).repetitions();
        int[] in = inDims(op, 0);
        int[] inStrides = TensorType.rowMajorStrides(in), outStrides = TensorType.rowMajorStrides(outDims(op, 0));
        int r = in.length;
        int[] dims = new int[2 * r], src = new int[2 * r], dst = new int[2 * r];
        for (int i = 0; i < r; i++) {
            dims[2 * i] = reps[i];
            src[2 * i] = 0;
            dst[2 * i] = in[i] * outStrides[i];
            dims[2 * i + 1] = in[i];
            src[2 * i + 1] = inStrides[i];
            dst[2 * i + 1] = outStrides[i];
        }
        StridedCopy plan = StridedCopy.plan(dims, src, 0, dst, 0);
        return (i, o) -> plan.run(i[0], o[0]);
    }

    // ------------------------------------------------------------------ pad

    static Kernel pad(Operation op) {
        ShapeOps.PadAttributes a = op.attributes(ShapeOps.PadAttributes.class);
        TensorType outType = op.output(0).type();
        int[] in = inDims(op, 0), out = outType.dims();
        int[] inStrides = TensorType.rowMajorStrides(in), outStrides = TensorType.rowMajorStrides(out);
        int r = in.length;
        if (a.mode() == MLPaddingMode.CONSTANT) {
            CpuTensor value = new CpuTensor(outType.dataType());
            if (outType.dataType().isFloatingPoint()) value.set(0, a.value().doubleValue());
            else value.setLong(0, a.value().longValue());
            int offset = 0;
            for (int i = 0; i < r; i++) offset += a.beginningPadding()[i] * outStrides[i];
            StridedCopy interior = StridedCopy.plan(in, inStrides, 0, outStrides, offset);
            int size = outType.size();
            return (i, o) -> {
                StridedCopy.fill(o[0], 0, size, value);
                interior.run(i[0], o[0]);
            };
        }
        // edge / reflection: per axis, the source coordinate of every output coordinate
        int[][] map = new int[r][];
        for (int ax = 0; ax < r; ax++) {
            int b = a.beginningPadding()[ax], n = in[ax];
            map[ax] = new int[out[ax]];
            for (int c = 0; c < out[ax]; c++) {
                int x = c - b;
                if (x < 0) x = a.mode() == MLPaddingMode.EDGE ? 0 : -x;
                else if (x >= n) x = a.mode() == MLPaddingMode.EDGE ? n - 1 : 2 * (n - 1) - x;
                map[ax][c] = x * inStrides[ax];
            }
        }
        return (i, o) -> mappedGather(i[0], o[0], out, map);
    }

    /** out[c0..cn-1] = in[sum(map[k][c_k])], iterating the output in row-major order. */
    private static void mappedGather(CpuTensor src, CpuTensor dst, int[] outDims, int[][] map) {
        int r = outDims.length;
        if (r == 0) {
            src.copyTo(0, dst, 0);
            return;
        }
        int[] idx = new int[r];
        int[] partial = new int[r]; // partial[k] = sum of map[j][idx[j]] for j < k
        for (int j = 0; j < r - 1; j++) partial[j + 1] = partial[j] + map[j][0];
        int inner = outDims[r - 1];
        int[] last = map[r - 1];
        int rows = dst.size() / inner;
        int d = 0;
        for (int row = 0; row < rows; row++) {
            int base = partial[r - 1];
            for (int c = 0; c < inner; c++) src.copyTo(base + last[c], dst, d++);
            int k = r - 2;
            while (k >= 0 && ++idx[k] == outDims[k]) idx[k--] = 0;
            if (k < 0) break;
            for (int j = k; j < r - 1; j++) partial[j + 1] = partial[j] + map[j][idx[j]];
        }
    }

    // ------------------------------------------------------------------ triangular

    static Kernel triangular(Operation op) {
        ShapeOps.TriangularAttributes a = op.attributes(ShapeOps.TriangularAttributes.class);
        TensorType type = op.output(0).type();
        int[] dims = type.dims();
        int h = dims[dims.length - 2], w = dims[dims.length - 1];
        int matrices = type.size() / (h * w);
        // kept columns of row i: upper keeps j >= i + diagonal, lower keeps j <= i + diagonal
        int[] from = new int[h], to = new int[h];
        for (int i = 0; i < h; i++) {
            long edge = (long) i + a.diagonal();
            if (a.upper()) {
                from[i] = (int) Math.max(0, Math.min(w, edge));
                to[i] = w;
            } else {
                from[i] = 0;
                to[i] = (int) Math.max(0, Math.min(w, edge + 1));
            }
        }
        CpuTensor zero = new CpuTensor(type.dataType()); // +0 of any type
        return (in, out) -> {
            CpuTensor x = in[0], y = out[0];
            for (int m = 0, base = 0; m < matrices; m++) {
                for (int i = 0; i < h; i++, base += w) {
                    StridedCopy.fill(y, base, base + from[i], zero);
                    if (to[i] > from[i]) x.copyRange(base + from[i], y, base + from[i], to[i] - from[i]);
                    StridedCopy.fill(y, base + Math.max(from[i], to[i]), base + w, zero);
                }
            }
        };
    }

    // ------------------------------------------------------------------ gather / scatter

    /** indices[i] as a position along a dimension of size {@code dim}: negative counts from the end, then clamped. */
    static int index(CpuTensor indices, int i, int dim) {
        long v = indices.getLong(i); // int32, uint32 (unsigned) and int64 are exact
        if (v < 0) v += dim;
        if (v < 0) return 0;
        if (v >= dim) return dim - 1;
        return (int) v;
    }

    static Kernel gather(Operation op) {
        int axis = op.attributes(ShapeOps.AxisAttributes.class).axis();
        int[] in = inDims(op, 0);
        int outer = product(in, 0, axis), dim = in[axis], inner = product(in, axis + 1, in.length);
        int count = op.input(1).type().size();
        return (x, y) -> {
            CpuTensor src = x[0], idx = x[1], dst = y[0];
            int[] pos = new int[count];
            for (int j = 0; j < count; j++) pos[j] = index(idx, j, dim);
            int d = 0;
            for (int o = 0; o < outer; o++) {
                int base = o * dim;
                for (int j = 0; j < count; j++, d += inner) src.copyRange((base + pos[j]) * inner, dst, d, inner);
            }
        };
    }

    static Kernel gatherElements(Operation op) {
        int axis = op.attributes(ShapeOps.AxisAttributes.class).axis();
        int[] in = inDims(op, 0), idxDims = inDims(op, 1);
        int outer = product(in, 0, axis), dim = in[axis], n = idxDims[axis], inner = product(in, axis + 1, in.length);
        return (x, y) -> {
            CpuTensor src = x[0], idx = x[1], dst = y[0];
            int e = 0;
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < inner; k++, e++) src.copyTo((o * dim + index(idx, e, dim)) * inner + k, dst, e);
                }
            }
        };
    }

    static Kernel scatterElements(Operation op) {
        int axis = op.attributes(ShapeOps.AxisAttributes.class).axis();
        int[] in = inDims(op, 0), idxDims = inDims(op, 1);
        int outer = product(in, 0, axis), dim = in[axis], n = idxDims[axis], inner = product(in, axis + 1, in.length);
        int size = op.output(0).type().size();
        return (x, y) -> {
            CpuTensor src = x[0], idx = x[1], upd = x[2], dst = y[0];
            src.copyRange(0, dst, 0, size);
            int e = 0;
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < inner; k++, e++) upd.copyTo(e, dst, (o * dim + index(idx, e, dim)) * inner + k);
                }
            }
        };
    }

    /** For gatherND/scatterND: the element offset of the slice each index tuple selects. */
    private static int[] tupleOffsets(CpuTensor idx, int k, int[] inDims, int[] inStrides) {
        int tuples = idx.size() / k;
        int[] offsets = new int[tuples];
        for (int t = 0, e = 0; t < tuples; t++) {
            int off = 0;
            for (int i = 0; i < k; i++, e++) off += index(idx, e, inDims[i]) * inStrides[i];
            offsets[t] = off;
        }
        return offsets;
    }

    static Kernel gatherND(Operation op) {
        int[] in = inDims(op, 0), idxDims = inDims(op, 1);
        int k = idxDims[idxDims.length - 1];
        int[] inStrides = TensorType.rowMajorStrides(in);
        int slice = product(in, k, in.length);
        return (x, y) -> {
            CpuTensor src = x[0], dst = y[0];
            int[] offsets = tupleOffsets(x[1], k, in, inStrides);
            for (int t = 0; t < offsets.length; t++) src.copyRange(offsets[t], dst, t * slice, slice);
        };
    }

    static Kernel scatterND(Operation op) {
        int[] in = inDims(op, 0), idxDims = inDims(op, 1);
        int k = idxDims[idxDims.length - 1];
        int[] inStrides = TensorType.rowMajorStrides(in);
        int slice = product(in, k, in.length);
        int size = op.output(0).type().size();
        return (x, y) -> {
            CpuTensor src = x[0], upd = x[2], dst = y[0];
            src.copyRange(0, dst, 0, size);
            int[] offsets = tupleOffsets(x[1], k, in, inStrides);
            for (int t = 0; t < offsets.length; t++) upd.copyRange(t * slice, dst, offsets[t], slice);
        };
    }

    private static int product(int[] dims, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= dims[i];
        return p;
    }
}
