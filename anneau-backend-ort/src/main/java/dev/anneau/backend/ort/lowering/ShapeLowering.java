package dev.anneau.backend.ort.lowering;

import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPaddingMode;
import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.ShapeOps;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * ONNX lowerings of the shape family (see {@code dev.anneau.webnn.ShapeMethods}); {@code where}
 * is lowered with the elementwise family.
 *
 * <p>Mostly one ONNX node each. The differences from ONNX that matter:
 * <ul>
 * <li>gather/gatherElements/gatherND/scatterElements/scatterND: WebNN lets indices fall outside
 * the axis (implementation-defined, but never an out-of-bounds access); like the cpu backend,
 * a negative index counts from the end and the result is then clamped into [0, size - 1]. The
 * indices (int32, uint32 or int64) are cast to int64 and normalized before the ONNX node, which
 * would fail on them instead.</li>
 * <li>transpose with the identity permutation is an Identity (ORT's GemmTransposeFusion would treat it as a swap).</li>
 * <li>reverse is a Slice with step -1 over the reversed axes.</li>
 * <li>triangular is Trilu (upper, k = diagonal). ORT's CPU EP lacks Trilu for 8-bit and unsigned
 * types: those run on a wider type with the same values (8-bit: int32; uint32: int64) or the same
 * bits (uint64 as int64); Trilu only moves values.</li>
 * <li>pad: WebNN reflection is ONNX reflect, edge is edge; a constant Pad gets an explicit
 * {@code axes} input listing every axis, which stops ORT's PadFusion from folding a zero Pad into
 * a following MaxPool or AveragePool (whose padding, unlike WebNN's explicit zeros, is ignored or
 * not counted).</li>
 * </ul>
 */
public final class ShapeLowering {
    private ShapeLowering() {}

    private static final Set<MLOperandDataType> INDICES = EnumSet.of(MLOperandDataType.INT32, MLOperandDataType.UINT32,
            MLOperandDataType.INT64);

    public static void register(LoweringRegistry registry) {
        Set<MLOperandDataType> all = LoweringRegistry.ALL;
        registry.register("concat", all, (op, cx) -> {
            String[] inputs = new String[op.inputs().size()];
            for (int i = 0; i < inputs.length; i++) inputs[i] = cx.value(op.input(i));
            cx.op("Concat", inputs).attr("axis", (long) op.attributes(ShapeOps.ConcatAttributes.class).axis())
                    .out(cx.outputName(op.output(0)));
        });
        registry.register("expand", all, (op, cx) -> cx.op("Expand", cx.value(op.input(0)),
                cx.int64s(op.attributes(ShapeOps.ExpandAttributes.class).shape())).out(cx.outputName(op.output(0))));
        registry.register("reshape", all, (op, cx) -> cx.op("Reshape", cx.value(op.input(0)),
                cx.int64s(op.attributes(ShapeOps.ReshapeAttributes.class).shape())).out(cx.outputName(op.output(0))));
        registry.register("transpose", all, ShapeLowering::transpose);
        registry.register("tile", all, (op, cx) -> cx.op("Tile", cx.value(op.input(0)),
                cx.int64s(op.attributes(ShapeOps.TileAttributes.class).repetitions())).out(cx.outputName(op.output(0))));
        registry.register("slice", all, ShapeLowering::slice);
        registry.register("split", all, ShapeLowering::split);
        registry.register("reverse", all, ShapeLowering::reverse);
        registry.register("pad", all, ShapeLowering::pad);
        registry.register("triangular", all, ShapeLowering::triangular);
        registry.register("gather", all, Map.of("indices", INDICES), ShapeLowering::gather);
        registry.register("gatherElements", all, Map.of("indices", INDICES), ShapeLowering::gatherElements);
        registry.register("gatherND", all, Map.of("indices", INDICES), ShapeLowering::gatherND);
        registry.register("scatterElements", all, Map.of("indices", INDICES), ShapeLowering::scatterElements);
        registry.register("scatterND", all, Map.of("indices", INDICES), ShapeLowering::scatterND);
    }

    /**
     * transpose: ONNX Transpose, except that the identity permutation is an Identity: ORT's
     * GemmTransposeFusion folds any Transpose next to a Gemm into its transA/transB flags as if it
     * swapped the two axes, so an identity Transpose beside a Gemm gave a wrong shape or a rejected model.
     */
    private static void transpose(Operation op, LoweringContext cx) {
        int[] perm = op.attributes(ShapeOps.TransposeAttributes.class).permutation();
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) identity &= perm[i] == i;
        String x = cx.value(op.input(0));
        if (identity) cx.op("Identity", x).out(cx.outputName(op.output(0)));
        else cx.op("Transpose", x).attr("perm", perm).out(cx.outputName(op.output(0)));
    }

    // ------------------------------------------------------------------ slicing

    private static void slice(Operation op, LoweringContext cx) {
        ShapeOps.SliceAttributes a = op.attributes(ShapeOps.SliceAttributes.class);
        int rank = a.starts().length;
        if (rank == 0) {
            cx.bind(op.output(0), cx.value(op.input(0)));
            return;
        }
        long[] starts = new long[rank], ends = new long[rank], axes = new long[rank], steps = new long[rank];
        for (int i = 0; i < rank; i++) {
            starts[i] = Integer.toUnsignedLong(a.starts()[i]);
            ends[i] = starts[i] + Integer.toUnsignedLong(a.sizes()[i]);
            axes[i] = i;
            steps[i] = Integer.toUnsignedLong(a.strides()[i]);
        }
        cx.op("Slice", cx.value(op.input(0)), cx.int64s(starts), cx.int64s(ends), cx.int64s(axes), cx.int64s(steps))
                .out(cx.outputName(op.output(0)));
    }

    private static void split(Operation op, LoweringContext cx) {
        ShapeOps.SplitAttributes a = op.attributes(ShapeOps.SplitAttributes.class);
        String[] outs = new String[op.outputs().size()];
        for (int i = 0; i < outs.length; i++) outs[i] = cx.outputName(op.output(i));
        cx.op("Split", cx.value(op.input(0)), cx.int64s(a.sizes())).attr("axis", (long) a.axis()).out(outs);
    }

    private static void reverse(Operation op, LoweringContext cx) {
        int[] axes = op.attributes(ShapeOps.ReverseAttributes.class).axes();
        if (axes.length == 0) {
            cx.bind(op.output(0), cx.value(op.input(0)));
            return;
        }
        long[] starts = new long[axes.length], ends = new long[axes.length], steps = new long[axes.length];
        java.util.Arrays.fill(starts, -1);
        java.util.Arrays.fill(ends, Long.MIN_VALUE); // "before the first element" when stepping backwards
        java.util.Arrays.fill(steps, -1);
        cx.op("Slice", cx.value(op.input(0)), cx.int64s(starts), cx.int64s(ends), cx.int64s(axes), cx.int64s(steps))
                .out(cx.outputName(op.output(0)));
    }

    private static void pad(Operation op, LoweringContext cx) {
        ShapeOps.PadAttributes a = op.attributes(ShapeOps.PadAttributes.class);
        MLOperand input = op.input(0);
        int rank = input.rank();
        boolean none = true;
        long[] pads = new long[2 * rank];
        long[] axes = new long[rank];
        for (int i = 0; i < rank; i++) {
            pads[i] = Integer.toUnsignedLong(a.beginningPadding()[i]);
            pads[rank + i] = Integer.toUnsignedLong(a.endingPadding()[i]);
            axes[i] = i;
            none &= pads[i] == 0 && pads[rank + i] == 0;
        }
        if (none) {
            cx.bind(op.output(0), cx.value(input));
            return;
        }
        String out = cx.outputName(op.output(0));
        switch (a.mode()) {
            case CONSTANT -> {
                MLOperandDataType type = input.dataType();
                String value = type.isFloatingPoint() ? cx.scalar(type, a.value().doubleValue())
                        : cx.scalarBits(type, a.value().longValue());
                cx.op("Pad", cx.value(input), cx.int64s(pads), value, cx.int64s(axes)).attr("mode", "constant").out(out);
            }
            case EDGE -> cx.op("Pad", cx.value(input), cx.int64s(pads)).attr("mode", "edge").out(out);
            case REFLECTION -> cx.op("Pad", cx.value(input), cx.int64s(pads)).attr("mode", "reflect").out(out);
            default -> throw new IllegalStateException("pad mode " + a.mode());
        }
    }

    // ------------------------------------------------------------------ type widening for kernels ORT lacks

    /** The type a value-moving kernel runs on instead of {@code type} when ORT lacks it (null: none needed). */
    private static MLOperandDataType wider(MLOperandDataType type, Set<MLOperandDataType> supported) {
        if (supported.contains(type)) return null;
        return switch (type) {
            case INT8, UINT8 -> MLOperandDataType.INT32;
            case UINT32, UINT64 -> MLOperandDataType.INT64;
            default -> null;
        };
    }

    private static final Set<MLOperandDataType> TRILU = EnumSet.of(MLOperandDataType.FLOAT32, MLOperandDataType.FLOAT16,
            MLOperandDataType.INT32, MLOperandDataType.INT64);

    private static void triangular(Operation op, LoweringContext cx) {
        ShapeOps.TriangularAttributes a = op.attributes(ShapeOps.TriangularAttributes.class);
        MLOperandDataType type = op.input(0).dataType();
        MLOperandDataType via = wider(type, TRILU);
        String x = cx.value(op.input(0));
        if (via != null) x = cx.cast(x, via);
        LoweringContext.NodeBuilder node = cx.op("Trilu", x, cx.int64Scalar(a.diagonal())).attr("upper", a.upper() ? 1L : 0L);
        if (via == null) {
            node.out(cx.outputName(op.output(0)));
        } else {
            cx.op("Cast", node.out()).attr("to", OnnxTypes.of(type).getNumber()).out(cx.outputName(op.output(0)));
        }
    }

    // ------------------------------------------------------------------ gather / scatter

    /**
     * The indices as int64 positions: negative ones count from the end ({@code + size}), then
     * everything is clamped into [0, size - 1]. {@code size} is an int64 value that broadcasts
     * against the indices (a scalar, or one size per coordinate for the ND operators).
     */
    private static String positions(LoweringContext cx, MLOperand indices, String size, String sizeMinusOne) {
        String v = cx.value(indices);
        if (indices.dataType() != MLOperandDataType.INT64) v = cx.castTo(v, TensorProto.DataType.INT64);
        String negative = cx.apply("Less", v, cx.int64Scalar(0));
        v = cx.apply("Where", negative, cx.apply("Add", v, size), v);
        v = cx.apply("Max", v, cx.int64Scalar(0));
        return cx.apply("Min", v, sizeMinusOne);
    }

    private static String positions(LoweringContext cx, MLOperand indices, long size) {
        return positions(cx, indices, cx.int64Scalar(size), cx.int64Scalar(size - 1));
    }

    /** For gatherND/scatterND: per coordinate, the size of the input dimension it indexes. */
    private static String tuplePositions(LoweringContext cx, MLOperand input, MLOperand indices) {
        int[] in = input.type().dims(), idx = indices.type().dims();
        int k = idx[idx.length - 1];
        long[] sizes = new long[k], last = new long[k];
        for (int i = 0; i < k; i++) {
            sizes[i] = in[i];
            last[i] = in[i] - 1;
        }
        return positions(cx, indices, cx.int64s(sizes), cx.int64s(last));
    }

    private static void gather(Operation op, LoweringContext cx) {
        int axis = op.attributes(ShapeOps.AxisAttributes.class).axis();
        String idx = positions(cx, op.input(1), op.input(0).type().dim(axis));
        cx.op("Gather", cx.value(op.input(0)), idx).attr("axis", (long) axis).out(cx.outputName(op.output(0)));
    }

    private static void gatherElements(Operation op, LoweringContext cx) {
        int axis = op.attributes(ShapeOps.AxisAttributes.class).axis();
        String idx = positions(cx, op.input(1), op.input(0).type().dim(axis));
        cx.op("GatherElements", cx.value(op.input(0)), idx).attr("axis", (long) axis).out(cx.outputName(op.output(0)));
    }

    private static void gatherND(Operation op, LoweringContext cx) {
        String idx = tuplePositions(cx, op.input(0), op.input(1));
        cx.op("GatherND", cx.value(op.input(0)), idx).out(cx.outputName(op.output(0)));
    }

    private static void scatterElements(Operation op, LoweringContext cx) {
        int axis = op.attributes(ShapeOps.AxisAttributes.class).axis();
        String idx = positions(cx, op.input(1), op.input(0).type().dim(axis));
        cx.op("ScatterElements", cx.value(op.input(0)), idx, cx.value(op.input(2))).attr("axis", (long) axis)
                .out(cx.outputName(op.output(0)));
    }

    private static void scatterND(Operation op, LoweringContext cx) {
        String idx = tuplePositions(cx, op.input(0), op.input(1));
        cx.op("ScatterND", cx.value(op.input(0)), idx, cx.value(op.input(2))).out(cx.outputName(op.output(0)));
    }
}
