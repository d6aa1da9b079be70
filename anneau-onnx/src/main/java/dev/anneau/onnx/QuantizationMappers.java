package dev.anneau.onnx;

import dev.anneau.webnn.MLClampOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import java.util.Arrays;

/**
 * QuantizeLinear / DequantizeLinear (per tensor, per axis, blockwise) and DynamicQuantizeLinear
 * (min/max reductions, scale and zero point per the ONNX formula, then quantizeLinear).
 * Scales and zero points are reshaped to the input's rank so that WebNN's blockwise broadcast
 * gives ONNX's per-axis / block semantics.
 */
final class QuantizationMappers {
    private QuantizationMappers() {}

    static void register(MapperRegistry r) {
        r.register("QuantizeLinear", cx -> linear(cx, true));
        r.register("DequantizeLinear", cx -> linear(cx, false));
        r.register("DynamicQuantizeLinear", QuantizationMappers::dynamic);
    }

    /** The scale/zero-point shape at the input's rank: per tensor, per axis or blockwise along {@code axis}. */
    private static long[] paramShape(NodeContext cx, long[] in, long[] ps, int axis, long block) {
        int r = in.length;
        long[] t = new long[r];
        Arrays.fill(t, 1);
        long n = OnnxTensor.elementCount(ps);
        if (block > 0) {
            if (ps.length != r) throw cx.unsupported("blockwise scale rank %d must equal the input's %d", ps.length, r);
            return ps.clone();
        }
        if (ps.length == 0 || n == 1 && ps.length <= 1) return t;
        if (ps.length == 1) {
            if (ps[0] != in[axis]) throw cx.unsupported("per-axis scale of %d elements for axis %d of size %d", ps[0], axis, in[axis]);
            t[axis] = ps[0];
            return t;
        }
        throw cx.unsupported("scale of shape %s", Arrays.toString(ps));
    }

    private static void linear(NodeContext cx, boolean quantize) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        long[] in = x.shape();
        int r = in.length;
        long block = cx.attrInt("block_size", 0);
        long axisAttr = cx.attrInt("axis", 1);
        boolean perTensor = block == 0 && cx.value(1).size() == 1 && cx.rank(1) <= 1;
        int axis = r == 0 || perTensor ? 0 : cx.axis(axisAttr, r);
        cx.ignore("saturate");
        long precision = cx.attrInt("precision", 0);
        if (precision != 0 && ElementType.fromOnnx((int) precision) != cx.type(1)) {
            throw cx.unsupported("QuantizeLinear precision %s differs from the scale's type %s", ElementType.describe((int) precision), cx.type(1));
        }
        MLOperand scale = cx.in(1);
        long[] ps = scale.shape();
        long[] target = r == 0 ? new long[0] : paramShape(cx, in, ps, axis, block);
        scale = Ops.reshape(cx, scale, target);
        MLOperand zp;
        ElementType zpType;
        if (cx.has(2)) {
            zp = Ops.reshape(cx, cx.in(2), target);
            zpType = cx.type(2);
        } else {
            int code = (int) cx.attrInt("output_dtype", 0);
            zpType = quantize ? (code == 0 ? ElementType.UINT8 : ElementType.fromOnnx(code)) : cx.type(0);
            if (zpType == null || zpType.webnn() == null) throw cx.unsupported("output_dtype %s", ElementType.describe(code));
            zp = cx.constant(OnnxTensor.zeros(zpType, target));
        }
        if (!quantize && cx.hasAttr("output_dtype")) {
            int code = (int) cx.attrInt("output_dtype", 0);
            if (code != 0 && ElementType.fromOnnx(code) != cx.type(1)) throw cx.unsupported("DequantizeLinear output_dtype differs from the scale's");
        }
        if (quantize) {
            MLOperand input = x;
            if (x.dataType() != scale.dataType()) input = b.cast(x, scale.dataType());
            cx.out(0, b.quantizeLinear(input, scale, zp), zpType);
        } else {
            cx.out(0, b.dequantizeLinear(x, scale, zp), cx.type(1));
        }
    }

    private static void dynamic(NodeContext cx) {
        MLGraphBuilder b = cx.b();
        MLOperand x = cx.in(0);
        int r = x.rank();
        MLOperandDataType f = x.dataType();
        MLOperand zero = cx.scalar(f, 0);
        MLOperand lo = b.min(b.reduceMin(x), zero);
        MLOperand hi = b.max(b.reduceMax(x), zero);
        MLOperand scale = b.div(b.sub(hi, lo), cx.scalar(f, 255));
        MLOperand zpf = b.clamp(b.roundEven(b.sub(zero, b.div(lo, scale))), new MLClampOptions().withMinValue(0.0).withMaxValue(255.0));
        MLOperand zp = b.cast(zpf, MLOperandDataType.UINT8);
        long[] ones = new long[r];
        Arrays.fill(ones, 1);
        MLOperand y = b.quantizeLinear(x, Ops.reshape(cx, scale, ones), Ops.reshape(cx, zp, ones));
        cx.out(0, y, ElementType.UINT8);
        cx.out(1, scale, ElementType.FLOAT);
        cx.out(2, zp, ElementType.UINT8);
    }
}
