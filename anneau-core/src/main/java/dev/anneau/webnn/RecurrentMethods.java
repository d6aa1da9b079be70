package dev.anneau.webnn;

import dev.anneau.webnn.ops.OpCheck;
import dev.anneau.webnn.ops.RecurrentOps;
import dev.anneau.webnn.ops.TensorType;
import java.util.Arrays;
import java.util.List;

/**
 * WebNN builder methods of one operator family; implemented by {@link MLGraphBuilder}.
 * Each method validates and infers synchronously (see the matching {@code dev.anneau.webnn.ops} class).
 */
public interface RecurrentMethods {

    /** {@code gru}: Returns [output hidden state] or, with returnSequence, [hidden state, sequence]. */
    default MLOperand[] gru(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize, MLGruOptions options) {
        MLGraphBuilder b = self();
        MLGruOptions o = options == null ? new MLGruOptions() : options;
        OpCheck check = b.begin("gru", o);
        b.requireMember(check, "input", input);
        b.requireMember(check, "weight", weight);
        b.requireMember(check, "recurrentWeight", recurrentWeight);
        if (o.bias() != null) b.requireMember(check, "bias", o.bias());
        if (o.recurrentBias() != null) b.requireMember(check, "recurrentBias", o.recurrentBias());
        if (o.initialHiddenState() != null) b.requireMember(check, "initialHiddenState", o.initialHiddenState());
        TensorType in = b.use(check, "input", input);
        TensorType w = b.use(check, "weight", weight);
        TensorType rw = b.use(check, "recurrentWeight", recurrentWeight);
        int numSteps = RecurrentOps.steps(check, steps, in);
        int hidden = RecurrentOps.hiddenSize(check, hiddenSize, 3);
        MLRecurrentNetworkDirection direction = o.direction() == null ? MLRecurrentNetworkDirection.FORWARD : o.direction();
        int dirs = RecurrentOps.numDirections(direction);
        long batchSize = in.dim(1), inputSize = in.dim(2), gates = 3L * hidden;
        RecurrentOps.requireShape(check, "weight", w, "[numDirections, 3 * hiddenSize, inputSize]", dirs, gates, inputSize);
        RecurrentOps.requireShape(check, "recurrentWeight", rw, "[numDirections, 3 * hiddenSize, hiddenSize]", dirs, gates, hidden);
        TensorType bias = b.useOptional(check, "bias", o.bias());
        RecurrentOps.requireShape(check, "bias", bias, "[numDirections, 3 * hiddenSize]", dirs, gates);
        TensorType rbias = b.useOptional(check, "recurrentBias", o.recurrentBias());
        RecurrentOps.requireShape(check, "recurrentBias", rbias, "[numDirections, 3 * hiddenSize]", dirs, gates);
        TensorType h0 = b.useOptional(check, "initialHiddenState", o.initialHiddenState());
        RecurrentOps.requireShape(check, "initialHiddenState", h0, "[numDirections, batchSize, hiddenSize]", dirs, batchSize, hidden);
        List<MLRecurrentNetworkActivation> activations =
                RecurrentOps.activations(check, o.activations(), RecurrentOps.GRU_DEFAULT_ACTIVATIONS);
        boolean returnSequence = Boolean.TRUE.equals(o.returnSequence());
        RecurrentOps.GruAttributes attrs = new RecurrentOps.GruAttributes(numSteps, hidden, direction,
                o.resetAfter() == null || o.resetAfter(), returnSequence,
                o.layout() == null ? MLGruWeightLayout.ZRN : o.layout(), activations);
        TensorType out0 = RecurrentOps.stateOutput(check, in, dirs, hidden);
        List<MLOperand> inputs = Arrays.asList(input, weight, recurrentWeight, o.bias(), o.recurrentBias(), o.initialHiddenState());
        return returnSequence
                ? b.emit(check, attrs, inputs, out0, RecurrentOps.sequenceOutput(check, in, numSteps, dirs, hidden))
                : b.emit(check, attrs, inputs, out0);
    }

    default MLOperand[] gru(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize) { return gru(input, weight, recurrentWeight, steps, hiddenSize, null); }

    /** {@code gruCell} */
    default MLOperand gruCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, int hiddenSize, MLGruCellOptions options) {
        MLGraphBuilder b = self();
        MLGruCellOptions o = options == null ? new MLGruCellOptions() : options;
        OpCheck check = b.begin("gruCell", o);
        b.requireMember(check, "input", input);
        b.requireMember(check, "weight", weight);
        b.requireMember(check, "recurrentWeight", recurrentWeight);
        b.requireMember(check, "hiddenState", hiddenState);
        if (o.bias() != null) b.requireMember(check, "bias", o.bias());
        if (o.recurrentBias() != null) b.requireMember(check, "recurrentBias", o.recurrentBias());
        TensorType in = b.use(check, "input", input);
        TensorType w = b.use(check, "weight", weight);
        TensorType rw = b.use(check, "recurrentWeight", recurrentWeight);
        TensorType h = b.use(check, "hiddenState", hiddenState);
        int hidden = RecurrentOps.hiddenSize(check, hiddenSize, 3);
        long batchSize = in.dim(0), inputSize = in.dim(1), gates = 3L * hidden;
        RecurrentOps.requireShape(check, "weight", w, "[3 * hiddenSize, inputSize]", gates, inputSize);
        RecurrentOps.requireShape(check, "recurrentWeight", rw, "[3 * hiddenSize, hiddenSize]", gates, hidden);
        RecurrentOps.requireShape(check, "hiddenState", h, "[batchSize, hiddenSize]", batchSize, hidden);
        TensorType bias = b.useOptional(check, "bias", o.bias());
        RecurrentOps.requireShape(check, "bias", bias, "[3 * hiddenSize]", gates);
        TensorType rbias = b.useOptional(check, "recurrentBias", o.recurrentBias());
        RecurrentOps.requireShape(check, "recurrentBias", rbias, "[3 * hiddenSize]", gates);
        List<MLRecurrentNetworkActivation> activations =
                RecurrentOps.activations(check, o.activations(), RecurrentOps.GRU_DEFAULT_ACTIVATIONS);
        RecurrentOps.GruAttributes attrs = new RecurrentOps.GruAttributes(1, hidden, MLRecurrentNetworkDirection.FORWARD,
                o.resetAfter() == null || o.resetAfter(), false,
                o.layout() == null ? MLGruWeightLayout.ZRN : o.layout(), activations);
        TensorType out = check.output(in.dataType(), batchSize, hidden);
        return b.emit(check, attrs, Arrays.asList(input, weight, recurrentWeight, hiddenState, o.bias(), o.recurrentBias()), out)[0];
    }

    default MLOperand gruCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, int hiddenSize) { return gruCell(input, weight, recurrentWeight, hiddenState, hiddenSize, null); }

    /** {@code lstm}: Returns [hidden state, cell state] and, with returnSequence, the sequence as a third. */
    default MLOperand[] lstm(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize, MLLstmOptions options) {
        MLGraphBuilder b = self();
        MLLstmOptions o = options == null ? new MLLstmOptions() : options;
        OpCheck check = b.begin("lstm", o);
        b.requireMember(check, "input", input);
        b.requireMember(check, "weight", weight);
        b.requireMember(check, "recurrentWeight", recurrentWeight);
        if (o.bias() != null) b.requireMember(check, "bias", o.bias());
        if (o.recurrentBias() != null) b.requireMember(check, "recurrentBias", o.recurrentBias());
        if (o.peepholeWeight() != null) b.requireMember(check, "peepholeWeight", o.peepholeWeight());
        if (o.initialHiddenState() != null) b.requireMember(check, "initialHiddenState", o.initialHiddenState());
        if (o.initialCellState() != null) b.requireMember(check, "initialCellState", o.initialCellState());
        MLRecurrentNetworkDirection direction = o.direction() == null ? MLRecurrentNetworkDirection.FORWARD : o.direction();
        int dirs = RecurrentOps.numDirections(direction);
        TensorType in = b.use(check, "input", input);
        TensorType w = b.use(check, "weight", weight);
        TensorType rw = b.use(check, "recurrentWeight", recurrentWeight);
        int numSteps = RecurrentOps.steps(check, steps, in);
        int hidden = RecurrentOps.hiddenSize(check, hiddenSize, 4);
        long batchSize = in.dim(1), inputSize = in.dim(2), gates = 4L * hidden;
        RecurrentOps.requireShape(check, "weight", w, "[numDirections, 4 * hiddenSize, inputSize]", dirs, gates, inputSize);
        RecurrentOps.requireShape(check, "recurrentWeight", rw, "[numDirections, 4 * hiddenSize, hiddenSize]", dirs, gates, hidden);
        TensorType bias = b.useOptional(check, "bias", o.bias());
        RecurrentOps.requireShape(check, "bias", bias, "[numDirections, 4 * hiddenSize]", dirs, gates);
        TensorType rbias = b.useOptional(check, "recurrentBias", o.recurrentBias());
        RecurrentOps.requireShape(check, "recurrentBias", rbias, "[numDirections, 4 * hiddenSize]", dirs, gates);
        TensorType peephole = b.useOptional(check, "peepholeWeight", o.peepholeWeight());
        RecurrentOps.requireShape(check, "peepholeWeight", peephole, "[numDirections, 3 * hiddenSize]", dirs, 3L * hidden);
        TensorType h0 = b.useOptional(check, "initialHiddenState", o.initialHiddenState());
        RecurrentOps.requireShape(check, "initialHiddenState", h0, "[numDirections, batchSize, hiddenSize]", dirs, batchSize, hidden);
        TensorType c0 = b.useOptional(check, "initialCellState", o.initialCellState());
        RecurrentOps.requireShape(check, "initialCellState", c0, "[numDirections, batchSize, hiddenSize]", dirs, batchSize, hidden);
        List<MLRecurrentNetworkActivation> activations =
                RecurrentOps.activations(check, o.activations(), RecurrentOps.LSTM_DEFAULT_ACTIVATIONS);
        boolean returnSequence = Boolean.TRUE.equals(o.returnSequence());
        RecurrentOps.LstmAttributes attrs = new RecurrentOps.LstmAttributes(numSteps, hidden, direction, returnSequence,
                o.layout() == null ? MLLstmWeightLayout.IOFG : o.layout(), activations);
        TensorType state = RecurrentOps.stateOutput(check, in, dirs, hidden);
        List<MLOperand> inputs = Arrays.asList(input, weight, recurrentWeight, o.bias(), o.recurrentBias(), o.peepholeWeight(),
                o.initialHiddenState(), o.initialCellState());
        return returnSequence
                ? b.emit(check, attrs, inputs, state, state, RecurrentOps.sequenceOutput(check, in, numSteps, dirs, hidden))
                : b.emit(check, attrs, inputs, state, state);
    }

    default MLOperand[] lstm(MLOperand input, MLOperand weight, MLOperand recurrentWeight, int steps, int hiddenSize) { return lstm(input, weight, recurrentWeight, steps, hiddenSize, null); }

    /** {@code lstmCell}: Returns [hidden state, cell state]. */
    default MLOperand[] lstmCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, MLOperand cellState, int hiddenSize, MLLstmCellOptions options) {
        MLGraphBuilder b = self();
        MLLstmCellOptions o = options == null ? new MLLstmCellOptions() : options;
        OpCheck check = b.begin("lstmCell", o);
        b.requireMember(check, "input", input);
        b.requireMember(check, "weight", weight);
        b.requireMember(check, "recurrentWeight", recurrentWeight);
        b.requireMember(check, "hiddenState", hiddenState);
        b.requireMember(check, "cellState", cellState);
        if (o.bias() != null) b.requireMember(check, "bias", o.bias());
        if (o.recurrentBias() != null) b.requireMember(check, "recurrentBias", o.recurrentBias());
        if (o.peepholeWeight() != null) b.requireMember(check, "peepholeWeight", o.peepholeWeight());
        TensorType in = b.use(check, "input", input);
        TensorType w = b.use(check, "weight", weight);
        TensorType rw = b.use(check, "recurrentWeight", recurrentWeight);
        TensorType h = b.use(check, "hiddenState", hiddenState);
        TensorType c = b.use(check, "cellState", cellState);
        int hidden = RecurrentOps.hiddenSize(check, hiddenSize, 4);
        long batchSize = in.dim(0), inputSize = in.dim(1), gates = 4L * hidden;
        RecurrentOps.requireShape(check, "weight", w, "[4 * hiddenSize, inputSize]", gates, inputSize);
        RecurrentOps.requireShape(check, "recurrentWeight", rw, "[4 * hiddenSize, hiddenSize]", gates, hidden);
        RecurrentOps.requireShape(check, "hiddenState", h, "[batchSize, hiddenSize]", batchSize, hidden);
        RecurrentOps.requireShape(check, "cellState", c, "[batchSize, hiddenSize]", batchSize, hidden);
        TensorType bias = b.useOptional(check, "bias", o.bias());
        RecurrentOps.requireShape(check, "bias", bias, "[4 * hiddenSize]", gates);
        TensorType rbias = b.useOptional(check, "recurrentBias", o.recurrentBias());
        RecurrentOps.requireShape(check, "recurrentBias", rbias, "[4 * hiddenSize]", gates);
        TensorType peephole = b.useOptional(check, "peepholeWeight", o.peepholeWeight());
        RecurrentOps.requireShape(check, "peepholeWeight", peephole, "[3 * hiddenSize]", 3L * hidden);
        List<MLRecurrentNetworkActivation> activations =
                RecurrentOps.activations(check, o.activations(), RecurrentOps.LSTM_DEFAULT_ACTIVATIONS);
        RecurrentOps.LstmAttributes attrs = new RecurrentOps.LstmAttributes(1, hidden, MLRecurrentNetworkDirection.FORWARD, false,
                o.layout() == null ? MLLstmWeightLayout.IOFG : o.layout(), activations);
        TensorType state = check.output(in.dataType(), batchSize, hidden);
        return b.emit(check, attrs, Arrays.asList(input, weight, recurrentWeight, hiddenState, cellState, o.bias(),
                o.recurrentBias(), o.peepholeWeight()), state, state);
    }

    default MLOperand[] lstmCell(MLOperand input, MLOperand weight, MLOperand recurrentWeight, MLOperand hiddenState, MLOperand cellState, int hiddenSize) { return lstmCell(input, weight, recurrentWeight, hiddenState, cellState, hiddenSize, null); }

    private MLGraphBuilder self() { return (MLGraphBuilder) this; }
}
