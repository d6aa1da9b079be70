package dev.anneau.onnx;

import dev.anneau.webnn.MLGemmOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import java.util.Arrays;

/**
 * Gemm, MatMul (NumPy semantics: 1-D operands are promoted and the added axis removed) and
 * MatMulInteger (exact: float32 products over K chunks small enough that every partial sum is an
 * exactly representable integer, then summed in int32).
 */
final class MatrixMappers {
    private MatrixMappers() {}

    static void register(MapperRegistry r) {
        r.register("Gemm", MatrixMappers::gemm);
        r.register("MatMul", cx -> cx.out(0, matmul(cx, cx.in(0), cx.in(1)), cx.type(0)));
        r.register("MatMulInteger", MatrixMappers::matMulInteger);
        r.register("QLinearMatMul", 10, MapperRegistry.MAX_OPSET, MatrixMappers::qlinearMatMul);
    }

    private static void gemm(NodeContext cx) {
        double alpha = cx.attrFloat("alpha", 1f), beta = cx.attrFloat("beta", 1f);
        boolean ta = cx.attrInt("transA", 0) != 0, tb = cx.attrInt("transB", 0) != 0;
        cx.ignore("broadcast");
        MLGemmOptions o = new MLGemmOptions().withAlpha(alpha).withBeta(beta).withATranspose(ta).withBTranspose(tb);
        if (cx.has(2)) o = o.withC(cx.in(2));
        cx.out(0, cx.b().gemm(cx.in(0), cx.in(1), o), cx.type(0));
    }

    static MLOperand matmul(NodeContext cx, MLOperand a, MLOperand b) {
        long[] as = a.shape(), bs = b.shape();
        boolean aVec = as.length == 1, bVec = bs.length == 1;
        if (aVec) a = Ops.reshape(cx, a, 1, as[0]);
        if (bVec) b = Ops.reshape(cx, b, bs[0], 1);
        MLOperand y = cx.b().matmul(a, b);
        if (aVec || bVec) {
            long[] ys = y.shape();
            int r = ys.length;
            long[] t;
            if (aVec && bVec) t = new long[0];
            else if (aVec) {
                t = new long[r - 1];
                System.arraycopy(ys, 0, t, 0, r - 2);
                t[r - 2] = ys[r - 1];
            } else {
                t = Arrays.copyOf(ys, r - 1);
            }
            y = Ops.reshape(cx, y, t);
        }
        return y;
    }

    private static void matMulInteger(NodeContext cx) {
        MLOperand y = intMatmul(cx, cx.in(0), cx.has(2) ? cx.in(2) : null, cx.in(1), cx.has(3) ? cx.in(3) : null);
        cx.out(0, y, ElementType.INT32);
    }

    /** The exact int32 product (a - aZero) x (w - wZero) of 8-bit operands (zero points per tensor, per row of a, per column of w). */
    static MLOperand intMatmul(NodeContext cx, MLOperand a, MLOperand aZero, MLOperand w, MLOperand wZero) {
        MLGraphBuilder b = cx.b();
        long[] as = a.shape(), ws = w.shape();
        MLOperand af = b.cast(a, MLOperandDataType.FLOAT32);
        MLOperand wf = b.cast(w, MLOperandDataType.FLOAT32);
        if (aZero != null) {
            MLOperand z = b.cast(aZero, MLOperandDataType.FLOAT32);
            // a per-row zero point [M] applies along the rows of A
            if (z.rank() == 1 && z.shape()[0] > 1) z = Ops.reshape(cx, z, z.shape()[0], 1);
            af = b.sub(af, z);
        }
        if (wZero != null) wf = b.sub(wf, b.cast(wZero, MLOperandDataType.FLOAT32));
        long k = as[as.length - 1];
        // |a - za| <= 255 and |w - zw| <= 255: chunks of K keep every float32 partial sum an exact integer
        long chunk = (1L << 24) / (255L * 255L);
        if (k <= chunk) return b.cast(matmul(cx, af, wf), MLOperandDataType.INT32);
        MLOperand acc = null;
        for (long k0 = 0; k0 < k; k0 += chunk) {
            long kn = Math.min(chunk, k - k0);
            MLOperand ac = ConvMappers.sliceAxis(cx, af, as.length - 1, k0, kn);
            MLOperand wc = ConvMappers.sliceAxis(cx, wf, ws.length == 1 ? 0 : ws.length - 2, k0, kn);
            MLOperand y = b.cast(matmul(cx, ac, wc), MLOperandDataType.INT32);
            acc = acc == null ? y : b.add(acc, y);
        }
        return acc;
    }

    /**
     * Requantizes an exact int32 accumulator as the QLinear operators do: round-half-even of
     * acc * (aScale * bScale / yScale) + yZero, saturated to the output type (of yZero, else {@code dflt}).
     */
    static MLOperand requantize(NodeContext cx, MLOperand acc, MLOperand aScale, MLOperand bScale, MLOperand yScale, MLOperand yZero,
                                ElementType outType) {
        MLGraphBuilder b = cx.b();
        MLOperandDataType f = MLOperandDataType.FLOAT32;
        MLOperand m = b.div(b.mul(Ops.cast(cx, aScale, f), Ops.cast(cx, bScale, f)), Ops.cast(cx, yScale, f));
        MLOperand r = b.mul(b.cast(acc, f), m);
        if (yZero != null) r = b.add(r, b.cast(yZero, f));
        double lo = outType == ElementType.INT8 ? -128 : 0, hi = outType == ElementType.INT8 ? 127 : 255;
        r = b.clamp(b.roundEven(r), new dev.anneau.webnn.MLClampOptions().withMinValue(lo).withMaxValue(hi));
        return b.cast(r, outType.webnn());
    }

    private static void qlinearMatMul(NodeContext cx) {
        MLOperand acc = intMatmul(cx, cx.in(0), cx.has(2) ? cx.in(2) : null, cx.in(3), cx.has(5) ? cx.in(5) : null);
        MLOperand aScale = cx.in(1);
        if (aScale.rank() == 1 && aScale.shape()[0] > 1) aScale = Ops.reshape(cx, aScale, aScale.shape()[0], 1);
        ElementType out = cx.has(7) ? cx.type(7) : cx.type(0);
        cx.out(0, requantize(cx, acc, aScale, cx.in(4), cx.in(6), cx.has(7) ? cx.in(7) : null, out), out);
    }
}
