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
        MLGraphBuilder b = cx.b();
        MLOperand a = cx.in(0), w = cx.in(1);
        long[] as = a.shape(), ws = w.shape();
        MLOperand af = b.cast(a, MLOperandDataType.FLOAT32);
        MLOperand wf = b.cast(w, MLOperandDataType.FLOAT32);
        if (cx.has(2)) {
            MLOperand z = b.cast(cx.in(2), MLOperandDataType.FLOAT32);
            // per-row zero point [M] applies along the rows of A
            if (z.rank() == 1 && z.shape()[0] > 1) z = Ops.reshape(cx, z, z.shape()[0], 1);
            af = b.sub(af, z);
        }
        if (cx.has(3)) wf = b.sub(wf, b.cast(cx.in(3), MLOperandDataType.FLOAT32));
        long k = as[as.length - 1];
        long chunk = (1L << 24) / (255L * 255L);
        if (k <= chunk) {
            cx.out(0, b.cast(matmul(cx, af, wf), MLOperandDataType.INT32), ElementType.INT32);
            return;
        }
        MLOperand acc = null;
        for (long k0 = 0; k0 < k; k0 += chunk) {
            long kn = Math.min(chunk, k - k0);
            MLOperand ac = ConvMappers.sliceAxis(cx, af, as.length - 1, k0, kn);
            MLOperand wc = ConvMappers.sliceAxis(cx, wf, ws.length == 1 ? 0 : ws.length - 2, k0, kn);
            MLOperand y = b.cast(matmul(cx, ac, wc), MLOperandDataType.INT32);
            acc = acc == null ? y : b.add(acc, y);
        }
        cx.out(0, acc, ElementType.INT32);
    }
}
