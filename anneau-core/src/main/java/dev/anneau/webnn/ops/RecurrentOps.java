package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLGruWeightLayout;
import dev.anneau.webnn.MLLstmWeightLayout;
import dev.anneau.webnn.MLRecurrentNetworkActivation;
import dev.anneau.webnn.MLRecurrentNetworkDirection;
import java.util.Arrays;
import java.util.List;

/**
 * Validation and shape inference of the recurrent family: {@code gru}, {@code gruCell},
 * {@code lstm}, {@code lstmCell} (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-gru and the
 * three sections after it). Data types and ranks were checked against the spec table by
 * {@link OpCheck#operand} before these run; here are the shape rules of the method steps.
 *
 * <p>{@code steps} and {@code hiddenSize} are WebIDL {@code unsigned long}s; Java passes them as
 * {@code int} bit patterns, so they are read as unsigned here (4294967295 arrives as -1).
 */
public final class RecurrentOps {
    private RecurrentOps() {}

    /** The largest "valid dimension" of the spec: in the range of WebIDL {@code long}. */
    private static final long MAX_VALID_DIMENSION = Integer.MAX_VALUE;

    /**
     * What the gru/gruCell kernels read. A cell is a one-step, one-direction network: it uses
     * {@code steps = 1}, {@code FORWARD} and {@code returnSequence = false}.
     */
    public record GruAttributes(int steps, int hiddenSize, MLRecurrentNetworkDirection direction, boolean resetAfter,
                                boolean returnSequence, MLGruWeightLayout layout, List<MLRecurrentNetworkActivation> activations) {
        public GruAttributes {
            activations = List.copyOf(activations);
        }

        public int numDirections() { return direction == MLRecurrentNetworkDirection.BOTH ? 2 : 1; }
    }

    /** What the lstm/lstmCell kernels read; a cell as for {@link GruAttributes}. */
    public record LstmAttributes(int steps, int hiddenSize, MLRecurrentNetworkDirection direction, boolean returnSequence,
                                 MLLstmWeightLayout layout, List<MLRecurrentNetworkActivation> activations) {
        public LstmAttributes {
            activations = List.copyOf(activations);
        }

        public int numDirections() { return direction == MLRecurrentNetworkDirection.BOTH ? 2 : 1; }
    }

    public static final List<MLRecurrentNetworkActivation> GRU_DEFAULT_ACTIVATIONS =
            List.of(MLRecurrentNetworkActivation.SIGMOID, MLRecurrentNetworkActivation.TANH);

    public static final List<MLRecurrentNetworkActivation> LSTM_DEFAULT_ACTIVATIONS =
            List.of(MLRecurrentNetworkActivation.SIGMOID, MLRecurrentNetworkActivation.TANH, MLRecurrentNetworkActivation.TANH);

    /** Checks {@code steps} (unsigned) against {@code input.shape[0]}; returns it. */
    public static int steps(OpCheck check, int stepsBits, TensorType input) {
        long steps = Integer.toUnsignedLong(stepsBits);
        check.require(steps > 0, "steps must be greater than 0, got %d", steps);
        check.require(input.dim(0) == steps,
                "input.shape[0] (%d) must equal steps (%d); input shape is [steps, batchSize, inputSize] = %s",
                input.dim(0), steps, Arrays.toString(input.dims()));
        return (int) steps;
    }

    /**
     * Checks {@code hiddenSize} (unsigned): positive and {@code gates * hiddenSize} and
     * {@code 2 * gates * hiddenSize} (the concatenated biases some platforms use) valid dimensions.
     */
    public static int hiddenSize(OpCheck check, int hiddenSizeBits, int gates) {
        long hiddenSize = Integer.toUnsignedLong(hiddenSizeBits);
        check.require(hiddenSize > 0, "hiddenSize must be greater than 0, got %d", hiddenSize);
        check.require(hiddenSize * 2 * gates <= MAX_VALID_DIMENSION,
                "hiddenSize (%d) is too large: %d * hiddenSize must be at most %d", hiddenSize, 2 * gates, MAX_VALID_DIMENSION);
        return (int) hiddenSize;
    }

    public static int numDirections(MLRecurrentNetworkDirection direction) {
        return direction == MLRecurrentNetworkDirection.BOTH ? 2 : 1;
    }

    /** Requires {@code t}'s shape to equal {@code expected}, naming what each dimension means. */
    public static void requireShape(OpCheck check, String name, TensorType t, String meaning, long... expected) {
        if (t == null) return;
        int[] d = t.dims();
        boolean ok = d.length == expected.length;
        for (int i = 0; ok && i < d.length; i++) ok = d[i] == expected[i];
        check.require(ok, "%s: shape must be %s = %s, got %s", name, meaning, Arrays.toString(expected), Arrays.toString(d));
    }

    /** Resolves {@code activations}: the default when absent, else exactly {@code count} non-null functions. */
    public static List<MLRecurrentNetworkActivation> activations(OpCheck check, List<MLRecurrentNetworkActivation> given,
                                                                 List<MLRecurrentNetworkActivation> defaults) {
        if (given == null) return defaults;
        check.require(given.size() == defaults.size(), "activations must list exactly %d functions (%s), got %d: %s",
                defaults.size(), defaults.size() == 2 ? "gates, new gate" : "gates, cell gate, cell state filter",
                given.size(), given);
        for (int i = 0; i < given.size(); i++) {
            check.require(given.get(i) != null, "activations[%d] is missing", i);
        }
        return List.copyOf(given);
    }

    /** The output type of the hidden (and cell) state of gru/lstm: [numDirections, batchSize, hiddenSize]. */
    public static TensorType stateOutput(OpCheck check, TensorType input, int numDirections, int hiddenSize) {
        return check.output(input.dataType(), (long) numDirections, input.dim(1), hiddenSize);
    }

    /** The sequence output of gru/lstm: [steps, numDirections, batchSize, hiddenSize]. */
    public static TensorType sequenceOutput(OpCheck check, TensorType input, int steps, int numDirections, int hiddenSize) {
        return check.output(input.dataType(), (long) steps, numDirections, input.dim(1), hiddenSize);
    }
}
