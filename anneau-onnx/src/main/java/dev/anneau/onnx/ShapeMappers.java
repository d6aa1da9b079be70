package dev.anneau.onnx;

import dev.anneau.webnn.MLCumulativeSumOptions;
import dev.anneau.webnn.MLGatherOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPadOptions;
import dev.anneau.webnn.MLPaddingMode;
import dev.anneau.webnn.MLReverseOptions;
import dev.anneau.webnn.MLScatterOptions;
import dev.anneau.webnn.MLSliceOptions;
import dev.anneau.webnn.MLSplitOptions;
import dev.anneau.webnn.MLTriangularOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape and data-movement operators: Shape, Size, Reshape, Transpose, Slice, Gather*,
 * Scatter*, Concat, Split, (Un)Squeeze, Flatten, Expand, Tile, Pad, Depth/SpaceToDepth, Trilu,
 * CumSum, ConstantOfShape, Range, EyeLike. Shapes are static, so Shape and Size are constants.
 */
final class ShapeMappers {
    private ShapeMappers() {}

    static void register(MapperRegistry r) {
        r.register("Shape", ShapeMappers::shape);
        r.register("Size", cx -> cx.outConst(0, OnnxTensor.ofLongs(ElementType.INT64, new long[0], cx.value(0).size())));
        r.register("Constant", cx -> cx.outConst(0, ConstEval.constant(cx)));
        r.register("ConstantOfShape", cx -> {
            if (!ConstEval.eval(cx)) throw cx.unsupported("ConstantOfShape");
        });
        r.register("Range", cx -> {
            cx.constIn(0);
            cx.constIn(1);
            cx.constIn(2);
            if (!ConstEval.eval(cx)) throw cx.unsupported("Range");
        });
        r.register("EyeLike", ShapeMappers::eyeLike);
        r.register("Reshape", ShapeMappers::reshape);
        r.register("Flatten", cx -> {
            long[] s = Shapes.flatten(cx.shape(0), cx.attrInt("axis", 1));
            cx.out(0, Ops.reshape(cx, cx.in(0), s), cx.type(0));
        });
        r.register("Unsqueeze", cx -> {
            long[] axes = cx.opset() < 13 ? cx.attrInts("axes") : cx.constLongs(1);
            if (axes == null) throw cx.unsupported("Unsqueeze needs axes");
            cx.out(0, Ops.reshape(cx, cx.in(0), Shapes.unsqueeze(cx.shape(0), axes)), cx.type(0));
        });
        r.register("Squeeze", cx -> {
            long[] axes = cx.opset() < 13 ? cx.attrInts("axes") : cx.constLongs(1);
            cx.out(0, Ops.reshape(cx, cx.in(0), Shapes.squeeze(cx.shape(0), axes)), cx.type(0));
        });
        r.register("Transpose", cx -> cx.out(0, Ops.transpose(cx, cx.in(0), ConstEval.perm(cx)), cx.type(0)));
        r.register("Slice", ShapeMappers::slice);
        r.register("Gather", ShapeMappers::gather);
        r.register("GatherElements", ShapeMappers::gatherElements);
        r.register("GatherND", ShapeMappers::gatherND);
        r.register("ScatterElements", ShapeMappers::scatterElements);
        r.register("Scatter", 9, 10, ShapeMappers::scatterElements);
        r.register("ScatterND", ShapeMappers::scatterND);
        r.register("Concat", ShapeMappers::concat);
        r.register("Split", ShapeMappers::split);
        r.register("Expand", ShapeMappers::expand);
        r.register("Tile", ShapeMappers::tile);
        r.register("Pad", ShapeMappers::pad);
        r.register("DepthToSpace", ShapeMappers::depthToSpace);
        r.register("SpaceToDepth", ShapeMappers::spaceToDepth);
        r.register("Trilu", ShapeMappers::trilu);
        r.register("CumSum", ShapeMappers::cumSum);
    }

    private static void shape(NodeContext cx) {
        long[] s = cx.shape(0);
        int r = s.length;
        long start = cx.attrInt("start", 0), end = cx.attrInt("end", r);
        if (start < 0) start += r;
        if (end < 0) end += r;
        start = Math.max(0, Math.min(r, start));
        end = Math.max(0, Math.min(r, end));
        long[] out = end > start ? Arrays.copyOfRange(s, (int) start, (int) end) : new long[0];
        cx.outConst(0, OnnxTensor.int64s(out));
    }

    private static void eyeLike(NodeContext cx) {
        long[] s = cx.shape(0);
        if (s.length != 2) throw cx.unsupported("EyeLike needs a 2-D input");
        int code = (int) cx.attrInt("dtype", cx.type(0).onnxCode());
        ElementType t = ElementType.fromOnnx(code);
        if (t == null) throw cx.unsupported("EyeLike dtype %s", ElementType.describe(code));
        long k = cx.attrInt("k", 0);
        OnnxTensor out = OnnxTensor.zeros(t, s);
        for (long i = 0; i < s[0]; i++) {
            long j = i + k;
            if (j >= 0 && j < s[1]) out.setLong((int) (i * s[1] + j), 1);
        }
        cx.outConst(0, out);
    }

    private static void reshape(NodeContext cx) {
        long[] target = cx.opset() < 5 ? cx.attrInts("shape") : cx.constLongs(1);
        if (target == null) throw cx.unsupported("Reshape needs a shape");
        boolean allowZero = cx.attrInt("allowzero", 0) != 0;
        cx.ignore("consumed_inputs");
        long[] s = Shapes.reshape(cx.shape(0), target, allowZero);
        if (OnnxTensor.elementCount(s) == 0) {
            cx.outConst(0, OnnxTensor.zeros(cx.type(0), s));
            return;
        }
        cx.out(0, Ops.reshape(cx, cx.in(0), s), cx.type(0));
    }

    private static void slice(NodeContext cx) {
        Shapes.SliceAxis[] s = ConstEval.sliceParams(cx);
        long[] shape = cx.shape(0);
        long[] counts = Shapes.counts(s);
        if (OnnxTensor.elementCount(counts) == 0) {
            cx.outConst(0, OnnxTensor.zeros(cx.type(0), counts));
            return;
        }
        MLOperand x = cx.in(0);
        List<Integer> reversed = new ArrayList<>();
        int r = shape.length;
        int[] starts = new int[r], sizes = new int[r], strides = new int[r];
        boolean trivial = true;
        for (int d = 0; d < r; d++) {
            long start = s[d].start(), step = s[d].step();
            if (step < 0) {
                reversed.add(d);
                start = shape[d] - 1 - start;
                step = -step;
            }
            starts[d] = Math.toIntExact(start);
            // WebNN's sizes span the input window: count elements `step` apart cover (count - 1) * step + 1
            sizes[d] = Math.toIntExact((s[d].count() - 1) * step + 1);
            strides[d] = Math.toIntExact(step);
            trivial &= starts[d] == 0 && sizes[d] == shape[d] && strides[d] == 1;
        }
        if (!reversed.isEmpty()) {
            x = cx.b().reverse(x, new MLReverseOptions().withAxes(reversed.stream().mapToInt(Integer::intValue).toArray()));
        }
        if (!trivial) {
            MLSliceOptions o = new MLSliceOptions();
            boolean anyStride = false;
            for (int st : strides) anyStride |= st != 1;
            if (anyStride) o = o.withStrides(strides);
            x = cx.b().slice(x, starts, sizes, o);
        } else if (reversed.isEmpty()) {
            cx.outValue(0, cx.value(0));
            return;
        }
        cx.out(0, x, cx.type(0));
    }

    /** Indices with negative values wrapped by {@code dim} (in Java for constants, with where() otherwise). */
    static MLOperand normalizeIndices(NodeContext cx, int input, long dim) {
        if (cx.isConst(input)) {
            OnnxTensor t = cx.constIn(input);
            boolean negative = false;
            for (int i = 0; i < t.size(); i++) {
                long v = t.getLong(i);
                if (v < -dim || v >= dim) throw cx.unsupported("index %d is out of range for a dimension of size %d", v, dim);
                negative |= v < 0;
            }
            if (!negative) return cx.in(input);
            OnnxTensor fixed = OnnxTensor.zeros(t.type(), t.shape());
            for (int i = 0; i < t.size(); i++) {
                long v = t.getLong(i);
                fixed.setLong(i, v < 0 ? v + dim : v);
            }
            return cx.constant(fixed);
        }
        MLOperand idx = cx.in(input);
        if (!cx.type(input).isSigned()) return idx;
        MLGraphBuilder b = cx.b();
        MLOperandDataType t = idx.dataType();
        return b.where(b.lesser(idx, cx.scalar(t, 0)), b.add(idx, cx.scalar(t, dim)), idx);
    }

    private static void gather(NodeContext cx) {
        int r = cx.rank(0);
        int axis = cx.axis(cx.attrInt("axis", 0), r);
        MLOperand idx = normalizeIndices(cx, 1, cx.shape(0)[axis]);
        cx.out(0, cx.b().gather(cx.in(0), idx, new MLGatherOptions().withAxis(axis)), cx.type(0));
    }

    private static void gatherElements(NodeContext cx) {
        int r = cx.rank(0);
        int axis = cx.axis(cx.attrInt("axis", 0), r);
        MLOperand idx = normalizeIndices(cx, 1, cx.shape(0)[axis]);
        cx.out(0, cx.b().gatherElements(cx.in(0), idx, new MLGatherOptions().withAxis(axis)), cx.type(0));
    }

    private static void gatherND(NodeContext cx) {
        int batch = (int) cx.attrInt("batch_dims", 0);
        long[] ds = cx.shape(0), is = cx.shape(1);
        int k = (int) is[is.length - 1];
        MLOperand idx;
        if (k + batch > ds.length) throw cx.unsupported("GatherND index depth %d + batch_dims %d exceeds rank %d", k, batch, ds.length);
        if (cx.isConst(1)) {
            // wrap negatives per coordinate, and prepend the batch coordinates for batch_dims > 0
            OnnxTensor t = cx.constIn(1);
            int n = t.size() / Math.max(k, 1);
            long[] os = is.clone();
            os[os.length - 1] = k + batch;
            OnnxTensor fixed = OnnxTensor.zeros(t.type(), os);
            long perBatch = n / Math.max(1, Shapes.product(is, 0, batch));
            for (int j = 0; j < n; j++) {
                long rem = j / Math.max(perBatch, 1);
                long[] bcoord = new long[batch];
                for (int d = batch - 1; d >= 0; d--) {
                    bcoord[d] = rem % is[d];
                    rem /= is[d];
                }
                for (int d = 0; d < batch; d++) fixed.setLong(j * (k + batch) + d, bcoord[d]);
                for (int d = 0; d < k; d++) {
                    long v = t.getLong(j * k + d);
                    long dim = ds[batch + d];
                    if (v < -dim || v >= dim) throw cx.unsupported("GatherND index %d is out of range for size %d", v, dim);
                    fixed.setLong(j * (k + batch) + batch + d, v < 0 ? v + dim : v);
                }
            }
            idx = cx.constant(fixed);
        } else {
            idx = cx.in(1);
            MLGraphBuilder b = cx.b();
            if (cx.type(1).isSigned()) {
                long[] dims = Arrays.copyOfRange(ds, batch, batch + k);
                OnnxTensor dimT = OnnxTensor.ofLongs(cx.type(1), new long[] {k}, dims);
                idx = b.where(b.lesser(idx, cx.scalar(idx.dataType(), 0)), b.add(idx, cx.constant(dimT)), idx);
            }
            if (batch > 0) {
                // prepend each index tuple's batch coordinates (a constant grid) and gather with batch_dims = 0
                long[] gs = is.clone();
                gs[gs.length - 1] = batch;
                OnnxTensor grid = OnnxTensor.zeros(cx.type(1), gs);
                long tuples = OnnxTensor.elementCount(is) / Math.max(k, 1);
                long perBatch = tuples / Math.max(1, Shapes.product(is, 0, batch));
                for (long j = 0; j < tuples; j++) {
                    long rem = j / Math.max(perBatch, 1);
                    for (int d = batch - 1; d >= 0; d--) {
                        grid.setLong((int) (j * batch + d), rem % is[d]);
                        rem /= is[d];
                    }
                }
                idx = b.concat(java.util.List.of(cx.constant(grid), idx), is.length - 1);
            }
        }
        cx.out(0, cx.b().gatherND(cx.in(0), idx), cx.type(0));
    }

    private static void scatterElements(NodeContext cx) {
        int r = cx.rank(0);
        int axis = cx.axis(cx.attrInt("axis", 0), r);
        String reduction = cx.attrString("reduction", "none");
        if (reduction.equals("none")) {
            MLOperand idx = normalizeIndices(cx, 1, cx.shape(0)[axis]);
            cx.out(0, cx.b().scatterElements(cx.in(0), idx, cx.in(2), new MLScatterOptions().withAxis(axis)), cx.type(0));
            return;
        }
        // with a reduction: turn the element indices into full coordinates and use the ScatterND path
        OnnxTensor idx = cx.constIn(1);
        long[] is = idx.shape(), ds = cx.shape(0);
        int n = idx.size();
        OnnxTensor coords = OnnxTensor.zeros(ElementType.INT64, n, r);
        long[] pos = new long[r];
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < r; d++) {
                long v = d == axis ? idx.getLong(j) : pos[d];
                if (d == axis && v < 0) v += ds[axis];
                coords.setLong(j * r + d, v);
            }
            for (int d = r - 1; d >= 0; d--) {
                if (++pos[d] < is[d]) break;
                pos[d] = 0;
            }
        }
        MLOperand updates = Ops.reshape(cx, cx.in(2), n);
        cx.out(0, scatterReduce(cx, cx.in(0), coords, updates, reduction), cx.type(0));
    }

    private static void scatterND(NodeContext cx) {
        String reduction = cx.attrString("reduction", "none");
        long[] ds = cx.shape(0), is = cx.shape(1);
        int k = (int) is[is.length - 1];
        if (reduction.equals("none")) {
            MLOperand idx;
            if (cx.isConst(1)) {
                OnnxTensor t = cx.constIn(1);
                OnnxTensor fixed = OnnxTensor.zeros(t.type(), is);
                for (int j = 0; j < t.size(); j++) {
                    long v = t.getLong(j);
                    long dim = ds[j % k];
                    fixed.setLong(j, v < 0 ? v + dim : v);
                }
                idx = cx.constant(fixed);
            } else {
                idx = cx.in(1);
            }
            cx.out(0, cx.b().scatterND(cx.in(0), idx, cx.in(2)), cx.type(0));
            return;
        }
        OnnxTensor idx = cx.constIn(1);
        int n = idx.size() / k;
        OnnxTensor coords = OnnxTensor.zeros(ElementType.INT64, n, k);
        for (int j = 0; j < idx.size(); j++) {
            long v = idx.getLong(j);
            coords.setLong(j, v < 0 ? v + ds[j % k] : v);
        }
        long[] us = new long[1 + ds.length - k];
        us[0] = n;
        System.arraycopy(ds, k, us, 1, ds.length - k);
        MLOperand updates = Ops.reshape(cx, cx.in(2), us);
        cx.out(0, scatterReduce(cx, cx.in(0), coords, updates, reduction), cx.type(0));
    }

    /**
     * ScatterND with a reduction, for constant indices {@code coords} [n, k]: the updates are
     * applied in layers (the i-th occurrence of each index in layer i), each layer a plain
     * scatterND followed by the reduction where the layer writes.
     */
    private static MLOperand scatterReduce(NodeContext cx, MLOperand data, OnnxTensor coords, MLOperand updates, String reduction) {
        MLGraphBuilder b = cx.b();
        long[] ds = data.shape();
        int n = (int) coords.dim(0), k = (int) coords.dim(1);
        long[] st = Shapes.strides(ds);
        Map<Long, Integer> seen = new HashMap<>();
        List<List<Integer>> layers = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            long off = 0;
            for (int d = 0; d < k; d++) {
                long v = coords.getLong(j * k + d);
                if (v < 0 || v >= ds[d]) throw cx.unsupported("scatter index %d is out of range for size %d", v, ds[d]);
                off += v * st[d];
            }
            int layer = seen.merge(off, 1, Integer::sum) - 1;
            if (layers.size() <= layer) layers.add(new ArrayList<>());
            layers.get(layer).add(j);
        }
        MLOperand acc = data;
        long[] us = updates.shape();
        long inner = Shapes.product(ds, k, ds.length);
        for (List<Integer> layer : layers) {
            int m = layer.size();
            OnnxTensor sub = OnnxTensor.zeros(ElementType.INT64, m, k);
            OnnxTensor rows = OnnxTensor.zeros(ElementType.INT64, m);
            OnnxTensor mask = OnnxTensor.zeros(ElementType.BOOL, ds);
            for (int i = 0; i < m; i++) {
                int j = layer.get(i);
                rows.setLong(i, j);
                long off = 0;
                for (int d = 0; d < k; d++) {
                    long v = coords.getLong(j * k + d);
                    sub.setLong(i * k + d, v);
                    off += v * st[d];
                }
                for (long e = 0; e < inner; e++) mask.setLong((int) (off + e), 1);
            }
            MLOperand layerUpdates = m == us[0] ? updates : b.gather(updates, cx.constant(rows), new MLGatherOptions().withAxis(0));
            MLOperand scattered = b.scatterND(acc, cx.constant(sub), layerUpdates);
            MLOperand combined = switch (reduction) {
                case "add" -> b.add(acc, scattered);
                case "mul" -> b.mul(acc, scattered);
                case "max" -> b.max(acc, scattered);
                case "min" -> b.min(acc, scattered);
                default -> throw cx.unsupported("scatter reduction '%s'", reduction);
            };
            acc = b.where(cx.constant(mask), combined, acc);
        }
        return acc;
    }

    private static void concat(NodeContext cx) {
        List<Value> parts = new ArrayList<>();
        for (int i = 0; i < cx.inputCount(); i++) if (cx.has(i)) parts.add(cx.value(i));
        int r = parts.get(0).rank();
        long axisAttr = cx.attrInt("axis", cx.opset() < 4 ? 1 : Long.MIN_VALUE);
        if (axisAttr == Long.MIN_VALUE) throw cx.unsupported("Concat needs an axis");
        int axis = cx.axis(axisAttr, r);
        List<MLOperand> ops = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < cx.inputCount(); i++) {
            if (!cx.has(i)) continue;
            Value v = cx.value(i);
            total += v.shape[axis];
            if (v.size() == 0) continue;
            ops.add(cx.in(i));
        }
        if (ops.isEmpty()) {
            long[] s = parts.get(0).shape.clone();
            s[axis] = total;
            cx.outConst(0, OnnxTensor.zeros(cx.type(0), s));
            return;
        }
        if (ops.size() == 1) {
            cx.out(0, cx.b().identity(ops.get(0)), cx.type(0));
            return;
        }
        cx.out(0, cx.b().concat(ops, axis), cx.type(0));
    }

    private static void split(NodeContext cx) {
        int r = cx.rank(0);
        int axis = cx.axis(cx.attrInt("axis", 0), r);
        long[] shape = cx.shape(0);
        long[] sizes = ConstEval.splitSizes(cx, shape[axis]);
        List<Integer> nonEmpty = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == 0) {
                long[] s = shape.clone();
                s[axis] = 0;
                cx.outConst(i, OnnxTensor.zeros(cx.type(0), s));
            } else {
                nonEmpty.add(i);
            }
        }
        int[] parts = new int[nonEmpty.size()];
        for (int i = 0; i < parts.length; i++) parts[i] = Math.toIntExact(sizes[nonEmpty.get(i)]);
        if (parts.length == 1) {
            cx.out(nonEmpty.get(0), cx.b().identity(cx.in(0)), cx.type(0));
            return;
        }
        MLOperand[] outs = cx.b().split(cx.in(0), parts, new MLSplitOptions().withAxis(axis));
        for (int i = 0; i < parts.length; i++) cx.out(nonEmpty.get(i), outs[i], cx.type(0));
    }

    private static void expand(NodeContext cx) {
        long[] target = Shapes.broadcast(cx.shape(0), cx.constLongs(1));
        if (OnnxTensor.elementCount(target) == 0) {
            cx.outConst(0, OnnxTensor.zeros(cx.type(0), target));
            return;
        }
        if (cx.value(0).size() == 0) throw cx.unsupported("Expand of an empty tensor to a non-empty shape");
        if (Arrays.equals(target, cx.shape(0))) {
            cx.outValue(0, cx.value(0));
            return;
        }
        cx.out(0, cx.b().expand(cx.in(0), target), cx.type(0));
    }

    private static void tile(NodeContext cx) {
        long[] reps = cx.constLongs(1);
        long[] s = cx.shape(0);
        if (reps.length != s.length) throw cx.unsupported("Tile repeats %s do not match rank %d", Arrays.toString(reps), s.length);
        long[] os = new long[s.length];
        boolean same = true;
        for (int i = 0; i < s.length; i++) {
            os[i] = s[i] * reps[i];
            same &= reps[i] == 1;
        }
        if (OnnxTensor.elementCount(os) == 0) {
            cx.outConst(0, OnnxTensor.zeros(cx.type(0), os));
            return;
        }
        if (same) {
            cx.outValue(0, cx.value(0));
            return;
        }
        cx.out(0, cx.b().tile(cx.in(0), Shapes.toInts(reps, "Tile repeat")), cx.type(0));
    }

    private static void pad(NodeContext cx) {
        int r = cx.rank(0);
        String mode = cx.attrString("mode", "constant");
        long[] pads;
        double value = 0;
        if (cx.opset() < 11) {
            pads = cx.attrInts(cx.opset() < 2 ? "paddings" : "pads");
            value = cx.attrFloat("value", 0f);
        } else {
            pads = cx.constLongs(1);
            if (cx.has(2)) value = cx.constIn(2).getDouble(0);
        }
        if (pads == null) throw cx.unsupported("Pad needs pads");
        long[] axes = cx.opset() >= 18 && cx.has(3) ? cx.constLongs(3) : null;
        long[] begin = new long[r], end = new long[r];
        if (axes == null) {
            if (pads.length != 2L * r) throw cx.unsupported("Pad pads %s do not match rank %d", Arrays.toString(pads), r);
            for (int i = 0; i < r; i++) {
                begin[i] = pads[i];
                end[i] = pads[i + r];
            }
        } else {
            if (pads.length != 2L * axes.length) throw cx.unsupported("Pad pads %s do not match axes %s", Arrays.toString(pads), Arrays.toString(axes));
            for (int i = 0; i < axes.length; i++) {
                int a = cx.axis(axes[i], r);
                begin[a] = pads[i];
                end[a] = pads[i + axes.length];
            }
        }
        MLPaddingMode m = switch (mode) {
            case "constant" -> MLPaddingMode.CONSTANT;
            case "reflect" -> MLPaddingMode.REFLECTION;
            case "edge" -> MLPaddingMode.EDGE;
            default -> throw cx.unsupported("Pad mode '%s'", mode);
        };
        MLOperand x = cx.in(0);
        long[] shape = cx.shape(0);
        // negative pads crop
        boolean crop = false;
        int[] starts = new int[r], sizes = new int[r];
        for (int i = 0; i < r; i++) {
            long s = begin[i] < 0 ? -begin[i] : 0;
            long e = end[i] < 0 ? -end[i] : 0;
            crop |= s > 0 || e > 0;
            starts[i] = (int) s;
            sizes[i] = (int) (shape[i] - s - e);
            if (sizes[i] <= 0) throw cx.unsupported("Pad crops dimension %d to nothing", i);
            begin[i] = Math.max(begin[i], 0);
            end[i] = Math.max(end[i], 0);
        }
        if (crop) x = cx.b().slice(x, starts, sizes);
        boolean any = false;
        for (int i = 0; i < r; i++) any |= begin[i] != 0 || end[i] != 0;
        if (!any) {
            cx.out(0, crop ? x : cx.b().identity(x), cx.type(0));
            return;
        }
        MLPadOptions o = new MLPadOptions().withMode(m);
        if (m == MLPaddingMode.CONSTANT) o = o.withValue(value);
        cx.out(0, cx.b().pad(x, Shapes.toInts(begin, "pad"), Shapes.toInts(end, "pad"), o), cx.type(0));
    }

    private static void depthToSpace(NodeContext cx) {
        long bs = cx.attrInt("blocksize", 0);
        String mode = cx.attrString("mode", "DCR");
        long[] s = cx.shape(0);
        if (s.length != 4 || bs < 1 || s[1] % (bs * bs) != 0) throw cx.unsupported("DepthToSpace of %s with blocksize %d", Arrays.toString(s), bs);
        long n = s[0], c = s[1], h = s[2], w = s[3], oc = c / (bs * bs);
        MLOperand x = cx.in(0);
        MLOperand y;
        if (mode.equals("DCR")) {
            y = Ops.transpose(cx, Ops.reshape(cx, x, n, bs, bs, oc, h, w), 0, 3, 4, 1, 5, 2);
        } else if (mode.equals("CRD")) {
            y = Ops.transpose(cx, Ops.reshape(cx, x, n, oc, bs, bs, h, w), 0, 1, 4, 2, 5, 3);
        } else {
            throw cx.unsupported("DepthToSpace mode '%s'", mode);
        }
        cx.out(0, Ops.reshape(cx, y, n, oc, h * bs, w * bs), cx.type(0));
    }

    private static void spaceToDepth(NodeContext cx) {
        long bs = cx.attrInt("blocksize", 0);
        long[] s = cx.shape(0);
        if (s.length != 4 || bs < 1 || s[2] % bs != 0 || s[3] % bs != 0) {
            throw cx.unsupported("SpaceToDepth of %s with blocksize %d", Arrays.toString(s), bs);
        }
        long n = s[0], c = s[1], h = s[2], w = s[3];
        MLOperand y = Ops.transpose(cx, Ops.reshape(cx, cx.in(0), n, c, h / bs, bs, w / bs, bs), 0, 3, 5, 1, 2, 4);
        cx.out(0, Ops.reshape(cx, y, n, c * bs * bs, h / bs, w / bs), cx.type(0));
    }

    private static void trilu(NodeContext cx) {
        boolean upper = cx.attrInt("upper", 1) != 0;
        long k = cx.has(1) ? cx.constIn(1).getLong(0) : 0;
        if (k < Integer.MIN_VALUE || k > Integer.MAX_VALUE) throw cx.unsupported("Trilu k=%d", k);
        cx.out(0, cx.b().triangular(cx.in(0), new MLTriangularOptions().withUpper(upper).withDiagonal((int) k)), cx.type(0));
    }

    private static void cumSum(NodeContext cx) {
        int r = cx.rank(0);
        int axis = cx.axis(cx.constIn(1).getLong(0), r);
        boolean exclusive = cx.attrInt("exclusive", 0) != 0;
        boolean reverse = cx.attrInt("reverse", 0) != 0;
        cx.out(0, cx.b().cumulativeSum(cx.in(0), axis, new MLCumulativeSumOptions().withExclusive(exclusive).withReversed(reverse)),
                cx.type(0));
    }
}
