package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface MatrixMethods {

    /** {@code matmul} */
    default MLOperand matmul(MLOperand a, MLOperand b, MLOperatorOptions options) {
        throw new NotSupportedError("matmul is not implemented yet");
    }

    default MLOperand matmul(MLOperand a, MLOperand b) { return matmul(a, b, null); }

    /** {@code gemm} */
    default MLOperand gemm(MLOperand a, MLOperand b, MLGemmOptions options) {
        throw new NotSupportedError("gemm is not implemented yet");
    }

    default MLOperand gemm(MLOperand a, MLOperand b) { return gemm(a, b, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
