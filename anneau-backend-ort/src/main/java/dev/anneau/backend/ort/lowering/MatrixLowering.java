package dev.anneau.backend.ort.lowering;

import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.MatrixOps.GemmAttributes;

/**
 * ONNX lowerings of the matrix family (see {@code dev.anneau.webnn.MatrixMethods}).
 *
 * <p>matmul is ONNX MatMul (same batch broadcasting, ranks at least 2 on both sides). gemm is
 * ONNX Gemm, whose C is unidirectionally broadcast like WebNN's. One difference: ORT skips C
 * entirely when beta is 0, while WebNN computes {@code 0 * c} (NaN for an infinite or NaN c), so
 * that case adds {@code c * 0} after the product instead.
 */
public final class MatrixLowering {
    private MatrixLowering() {}

    public static void register(LoweringRegistry registry) {
        registry.register("matmul", LoweringRegistry.FLOATS, (op, cx) ->
                cx.op("MatMul", cx.value(op.input(0)), cx.value(op.input(1))).out(cx.outputName(op.output(0))));
        registry.register("gemm", LoweringRegistry.FLOATS, MatrixLowering::gemm);
    }

    private static void gemm(Operation op, LoweringContext cx) {
        GemmAttributes a = op.attributes(GemmAttributes.class);
        String out = cx.outputName(op.output(0));
        boolean zeroBeta = a.hasC() && a.beta() == 0;
        LoweringContext.NodeBuilder node = (a.hasC() && !zeroBeta
                ? cx.op("Gemm", cx.value(op.input(0)), cx.value(op.input(1)), cx.value(op.input(2)))
                : cx.op("Gemm", cx.value(op.input(0)), cx.value(op.input(1))))
                .attr("alpha", (float) a.alpha())
                .attr("beta", (float) a.beta())
                .attr("transA", a.aTranspose() ? 1L : 0L)
                .attr("transB", a.bTranspose() ? 1L : 0L);
        if (!zeroBeta) {
            node.out(out);
            return;
        }
        String product = node.out();
        String c = cx.value(op.input(2));
        String zeroC = cx.apply("Mul", c, cx.scalar(op.input(2).dataType(), 0));
        cx.op("Add", product, zeroC).out(out);
    }
}
