package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.TensorType;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface RecurrentMethods {

    /** {@code gru}: Returns [output hidden state] or, with returnSequence, [hidden state, sequence]. */
    default MLOperand[] gru(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize, MLGruOptions options) {
        throw new NotSupportedError("gru is not implemented yet");
    }

    default MLOperand[] gru(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize) { return gru(input, weight, recurrentWeight, steps, hiddenSize, null); }

    /** {@code gruCell} */
    default MLOperand gruCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, int hiddenSize, MLGruCellOptions options) {
        throw new NotSupportedError("gruCell is not implemented yet");
    }

    default MLOperand gruCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, int hiddenSize) { return gruCell(input, weight, recurrentWeight, hiddenState, hiddenSize, null); }

    /** {@code lstm}: Returns [hidden state, cell state] and, with returnSequence, the sequence as a third. */
    default MLOperand[] lstm(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize, MLLstmOptions options) {
        throw new NotSupportedError("lstm is not implemented yet");
    }

    default MLOperand[] lstm(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize) { return lstm(input, weight, recurrentWeight, steps, hiddenSize, null); }

    /** {@code lstmCell}: Returns [hidden state, cell state]. */
    default MLOperand[] lstmCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, MLOperand cellState, int hiddenSize, MLLstmCellOptions options) {
        throw new NotSupportedError("lstmCell is not implemented yet");
    }

    default MLOperand[] lstmCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, MLOperand cellState, int hiddenSize) { return lstmCell(input, weight, recurrentWeight, hiddenState, cellState, hiddenSize, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
