package dev.anneau.backend.ort.lowering;

import dev.anneau.onnx.proto.Onnx.TensorProto;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.graph.Operation;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * ONNX lowerings of the quantization family (see {@code dev.anneau.webnn.QuantizationMethods};
 * inputs are input, scale, zeroPoint).
 *
 * <p>WebNN's scale and zero point are blockwise broadcast: each of their dimensions (aligned to
 * the input's trailing ones) divides the input's, one element covering a block of
 * {@code input.dim / scale.dim} along each axis. ONNX QuantizeLinear/DequantizeLinear (opset 21)
 * express the cases with at most one blocked axis: per tensor (all dimensions 1), per axis (one
 * dimension equal to the input's) and blocked ({@code axis}/{@code block_size}, the other
 * dimensions expanded to the input's). Those run as the ONNX operators, which compute exactly
 * the spec's values for 8- and 4-bit integers with float32 (quantize: only to uint8/uint4, where
 * ORT's NaN result, the type's minimum, is the spec's 0) or float32/float16 (dequantize) scales.
 * Everything else is decomposed with the scale expanded to the input's shape:
 * <ul>
 * <li>quantizeLinear: {@code x / scale} in the input's float type (the spec rounds the quotient to
 * it, ONNX would divide float16 in float32), then in double {@code round-half-even + zeroPoint},
 * clamped to the output type (NaN gives 0, as the cpu backend), cast;</li>
 * <li>dequantizeLinear: {@code (x - zeroPoint) * scale} in double, rounded once to the output
 * (int32/uint32 differences need more bits than float32 has).</li>
 * </ul>
 * dequantizeLinear of a non-constant int8 input is always decomposed (see {@link #dequantize}).
 */
public final class QuantizationLowering {
    private QuantizationLowering() {}

    private static final Set<MLOperandDataType> INTEGERS = EnumSet.of(MLOperandDataType.INT8, MLOperandDataType.UINT8,
            MLOperandDataType.INT32, MLOperandDataType.UINT32, MLOperandDataType.INT4, MLOperandDataType.UINT4);
    private static final Set<MLOperandDataType> ONNX_QUANTIZED = EnumSet.of(MLOperandDataType.INT8, MLOperandDataType.UINT8,
            MLOperandDataType.INT4, MLOperandDataType.UINT4);

    public static void register(LoweringRegistry registry) {
        registry.register("quantizeLinear", LoweringRegistry.FLOATS, Map.of("zeroPoint", INTEGERS),
                QuantizationLowering::quantize);
        registry.register("dequantizeLinear", INTEGERS, Map.of("scale", LoweringRegistry.FLOATS),
                QuantizationLowering::dequantize);
    }

    // ------------------------------------------------------------------ block layouts

    /** The scale's dimensions aligned to the input's rank (leading 1s). */
    static int[] aligned(int[] scale, int rank) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, 1);
        System.arraycopy(scale, 0, s, rank - scale.length, scale.length);
        return s;
    }

    /**
     * How ONNX's operators take a scale of aligned shape {@code s} for input dims {@code d}:
     * {@code axis} (-1: per tensor), {@code blockSize} (0: not blocked) and the shape the scale is
     * reshaped ({@code shape}) and then expanded ({@code expand}, or null) to. Null when more than
     * one axis is blocked.
     */
    record OnnxForm(int axis, int blockSize, int[] shape, int[] expand) {
        static OnnxForm of(int[] d, int[] s) {
            int rank = d.length, blocked = -1, blockedCount = 0, full = -1, fullCount = 0;
            for (int i = 0; i < rank; i++) {
                if (s[i] == d[i] && d[i] > 1) {
                    if (full < 0) full = i;
                    fullCount++;
                } else if (s[i] != 1) {
                    blocked = i;
                    blockedCount++;
                }
            }
            if (blockedCount > 1) return null;
            if (blockedCount == 0 && fullCount == 0) return new OnnxForm(-1, 0, new int[0], null);
            if (blockedCount == 0 && fullCount == 1) return new OnnxForm(full, 0, new int[] {d[full]}, null);
            // blocked along one axis (or elementwise: block size 1 along the first full axis), the rest the input's
            int axis = blockedCount == 1 ? blocked : full;
            int[] target = d.clone();
            target[axis] = s[axis];
            return new OnnxForm(axis, d[axis] / s[axis], s, java.util.Arrays.equals(s, target) ? null : target);
        }

        String apply(LoweringContext cx, String value, MLOperandDataType type) {
            // ORT has no Reshape/Expand for 4-bit types: those go through int32
            boolean nibbles = nibbles(type);
            String v = cx.apply("Reshape", nibbles ? cx.cast(value, MLOperandDataType.INT32) : value, cx.int64s(shape));
            if (expand != null) v = cx.apply("Expand", v, cx.int64s(expand));
            return nibbles ? cx.cast(v, type) : v;
        }

        LoweringContext.NodeBuilder attributes(LoweringContext.NodeBuilder node) {
            if (axis >= 0) node.attr("axis", (long) axis);
            if (blockSize > 0) node.attr("block_size", (long) blockSize);
            return node;
        }
    }

    /**
     * {@code value} (aligned shape {@code s}) repeated blockwise to the input dims {@code d}:
     * reshaped to [s0, 1, s1, 1, ...], expanded to [s0, d0/s0, s1, d1/s1, ...], reshaped to d.
     */
    static String blockExpand(LoweringContext cx, String value, int[] s, int[] d) {
        int rank = d.length;
        if (java.util.Arrays.equals(s, d)) return cx.apply("Reshape", value, cx.int64s(d));
        long[] split = new long[2 * rank], expanded = new long[2 * rank];
        for (int i = 0; i < rank; i++) {
            split[2 * i] = s[i];
            split[2 * i + 1] = 1;
            expanded[2 * i] = s[i];
            expanded[2 * i + 1] = d[i] / s[i];
        }
        String v = cx.apply("Reshape", value, cx.int64s(split));
        v = cx.apply("Expand", v, cx.int64s(expanded));
        return cx.apply("Reshape", v, cx.int64s(d));
    }

    private static boolean nibbles(MLOperandDataType t) {
        return t == MLOperandDataType.INT4 || t == MLOperandDataType.UINT4;
    }

    private static String toDouble(LoweringContext cx, String value, MLOperandDataType type) {
        // 4-bit integers go through int32: ORT 1.29 computes int8 -> int4 -> int8 -> float/double Cast chains wrongly
        if (nibbles(type)) value = cx.cast(value, MLOperandDataType.INT32);
        return cx.castTo(value, TensorProto.DataType.DOUBLE);
    }

    private static String doubleScalar(LoweringContext cx, double v) {
        return cx.initializer(TensorProto.newBuilder().setDataType(TensorProto.DataType.DOUBLE.getNumber()).addDoubleData(v));
    }

    // ------------------------------------------------------------------ operators

    private static void dequantize(Operation op, LoweringContext cx) {
        MLOperand input = op.input(0), scale = op.input(1), zeroPoint = op.input(2);
        MLOperandDataType inType = input.dataType(), outType = scale.dataType();
        int[] d = input.type().dims();
        int[] s = aligned(scale.type().dims(), d.length);
        String out = cx.outputName(op.output(0));
        // a non-constant int8 input is decomposed: ORT 1.29's QDQ transformers rewrite a DequantizeLinear of int8
        // activations in front of a Conv into a uint8 QuantizeLinear that fails type inference ("output_dtype INT8
        // does not match y_zero_point type UINT8"), so the model would not load; int8 weights (constants) are fine
        boolean onnx = ONNX_QUANTIZED.contains(inType)
                && (inType != MLOperandDataType.INT8 || input.kind() == MLOperand.Kind.CONSTANT);
        OnnxForm form = onnx ? OnnxForm.of(d, s) : null;
        if (form != null) {
            form.attributes(cx.op("DequantizeLinear", cx.value(input), form.apply(cx, cx.value(scale), scale.dataType()),
                    form.apply(cx, cx.value(zeroPoint), zeroPoint.dataType()))).out(out);
            return;
        }
        String x = toDouble(cx, cx.value(input), inType);
        String zp = blockExpand(cx, toDouble(cx, cx.value(zeroPoint), inType), s, d);
        String sc = blockExpand(cx, cx.castTo(cx.value(scale), TensorProto.DataType.DOUBLE), s, d);
        String y = cx.apply("Mul", cx.apply("Sub", x, zp), sc);
        cx.op("Cast", y).attr("to", OnnxTypes.of(outType).getNumber()).out(out);
    }

    private static void quantize(Operation op, LoweringContext cx) {
        MLOperand input = op.input(0), scale = op.input(1), zeroPoint = op.input(2);
        MLOperandDataType inType = input.dataType(), outType = zeroPoint.dataType();
        int[] d = input.type().dims();
        int[] s = aligned(scale.type().dims(), d.length);
        String out = cx.outputName(op.output(0));
        // only to unsigned types: ORT quantizes NaN to the type's minimum, the spec (ConvertToInt) to 0
        OnnxForm form = inType == MLOperandDataType.FLOAT32
                && (outType == MLOperandDataType.UINT8 || outType == MLOperandDataType.UINT4) ? OnnxForm.of(d, s) : null;
        if (form != null) {
            form.attributes(cx.op("QuantizeLinear", cx.value(input), form.apply(cx, cx.value(scale), scale.dataType()),
                    form.apply(cx, cx.value(zeroPoint), zeroPoint.dataType()))).out(out);
            return;
        }
        String q = cx.apply("Div", cx.value(input), blockExpand(cx, cx.value(scale), s, d));
        String zp = blockExpand(cx, toDouble(cx, cx.value(zeroPoint), outType), s, d);
        if (inType == MLOperandDataType.FLOAT16) {
            // ORT runs the float16 Div in float32 between inserted Casts, and its RemoveDuplicateCastTransformer
            // would merge the Cast back to float16 with a following Cast to double, dropping the rounding of the
            // quotient to float16 that the spec asks for; a Reshape (which has a float16 kernel) in between keeps it
            q = cx.apply("Reshape", q, cx.int64s(-1));
            zp = cx.apply("Reshape", zp, cx.int64s(-1));
        }
        String v = cx.apply("Add", cx.apply("Round", cx.castTo(q, TensorProto.DataType.DOUBLE)), zp);
        if (inType == MLOperandDataType.FLOAT16) v = cx.apply("Reshape", v, cx.int64s(d));
        double lo, hi;
        switch (outType) {
            case INT8 -> { lo = Byte.MIN_VALUE; hi = Byte.MAX_VALUE; }
            case UINT8 -> { lo = 0; hi = 255; }
            case INT32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
            case UINT32 -> { lo = 0; hi = 4294967295.0; }
            case INT4 -> { lo = -8; hi = 7; }
            case UINT4 -> { lo = 0; hi = 15; }
            default -> throw new IllegalStateException("quantizeLinear to " + outType);
        }
        v = cx.apply("Clip", v, doubleScalar(cx, lo), doubleScalar(cx, hi));
        v = cx.apply("Where", cx.apply("IsNaN", v), doubleScalar(cx, 0), v);
        if (nibbles(outType)) v = cx.cast(v, MLOperandDataType.INT32);
        cx.op("Cast", v).attr("to", OnnxTypes.of(outType).getNumber()).out(out);
    }
}
