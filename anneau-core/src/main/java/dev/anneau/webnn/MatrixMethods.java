package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.ops.MatrixOps;
import java.util.Arrays;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface MatrixMethods {

    /** {@code matmul} */
    default MLOperand matmul(MLOperand a, MLOperand b, MLOperatorOptions options) {
        MLGraphBuilder builder = self();
        OpCheck check = builder.begin("matmul", options);
        TensorType ta = builder.use(check, "a", a);
        TensorType tb = builder.use(check, "b", b);
        MatrixOps.MatmulAttributes[] attributes = new MatrixOps.MatmulAttributes[1];
        TensorType out = MatrixOps.matmul(check, ta, tb, attributes);
        return builder.emit(check, attributes[0], List.of(a, b), out)[0];
    }

    default MLOperand matmul(MLOperand a, MLOperand b) { return matmul(a, b, null); }

    /** {@code gemm} */
    default MLOperand gemm(MLOperand a, MLOperand b, MLGemmOptions options) {
        MLGraphBuilder builder = self();
        OpCheck check = builder.begin("gemm", options);
        TensorType ta = builder.use(check, "a", a);
        TensorType tb = builder.use(check, "b", b);
        MLOperand c = options == null ? null : options.c();
        TensorType tc = builder.useOptional(check, "c", c);
        MatrixOps.GemmAttributes[] attributes = new MatrixOps.GemmAttributes[1];
        TensorType out = MatrixOps.gemm(check, ta, tb, tc, options, attributes);
        return builder.emit(check, attributes[0], Arrays.asList(a, b, c), out)[0];
    }

    default MLOperand gemm(MLOperand a, MLOperand b) { return gemm(a, b, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
