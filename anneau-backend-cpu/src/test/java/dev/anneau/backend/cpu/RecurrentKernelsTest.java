package dev.anneau.backend.cpu;

import static dev.anneau.backend.cpu.RecurrentQuantTestGraphs.constant;
import static dev.anneau.backend.cpu.RecurrentQuantTestGraphs.run;
import static dev.anneau.backend.cpu.RecurrentQuantTestGraphs.shape;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLRecurrentNetworkActivation.RELU;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLGruCellOptions;
import dev.anneau.webnn.MLGruOptions;
import dev.anneau.webnn.MLGruWeightLayout;
import dev.anneau.webnn.MLLstmCellOptions;
import dev.anneau.webnn.MLLstmOptions;
import dev.anneau.webnn.MLLstmWeightLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperandDescriptor;
import dev.anneau.webnn.MLRecurrentNetworkActivation;
import dev.anneau.webnn.MLRecurrentNetworkDirection;
import dev.anneau.webnn.TypeError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * gru/gruCell/lstm/lstmCell on hand-worked cases: one hidden unit, ReLU activations and values
 * that are exact in binary, so the expected numbers follow from the spec's formulas by hand.
 */
class RecurrentKernelsTest {
    private static final List<MLRecurrentNetworkActivation> RELU2 = List.of(RELU, RELU);
    private static final List<MLRecurrentNetworkActivation> RELU3 = List.of(RELU, RELU, RELU);

    // gruCell, x = 1, h = 2, ReLU: z = 0.25 + 0.25*2 = 0.75, r = 0.25 + 0.5*2 = 1.25
    // resetAfter:  n = bn + (x*wn + r*(rbn + h*rn)) = 1 + (1 + 1.25*(2 + 2*0.5)) = 5.75; h' = z*h + n*(1-z) = 2.9375
    // resetBefore: n = (bn + rbn) + (x*wn + (r*h)*rn) = 3 + (1 + 2.5*0.5) = 5.25;         h' = 2.8125
    private static double gruCell(boolean resetAfter, MLGruWeightLayout layout) {
        boolean zrn = layout == MLGruWeightLayout.ZRN;
        double[] w = {0.25, 0.25, 1}; // z and r share their input weight
        double[] r = zrn ? new double[] {0.25, 0.5, 0.5} : new double[] {0.5, 0.25, 0.5};
        Map<String, double[]> out = run(b -> Map.of("h", b.gruCell(
                constant(b, FLOAT32, shape(1, 1), 1), constant(b, FLOAT32, shape(3, 1), w), constant(b, FLOAT32, shape(3, 1), r),
                constant(b, FLOAT32, shape(1, 1), 2), 1,
                new MLGruCellOptions().withBias(constant(b, FLOAT32, shape(3), 0, 0, 1))
                        .withRecurrentBias(constant(b, FLOAT32, shape(3), 0, 0, 2))
                        .withResetAfter(resetAfter).withLayout(layout).withActivations(RELU2))));
        return out.get("h")[0];
    }

    @Test
    void gruCellResetAfterAppliesTheResetGateToTheRecurrentProduct() {
        assertEquals(2.9375, gruCell(true, MLGruWeightLayout.ZRN));
        assertEquals(2.8125, gruCell(false, MLGruWeightLayout.ZRN));
    }

    @Test
    void gruCellRznLayoutSwapsTheUpdateAndResetRows() {
        // in the rzn case the recurrent rows are given swapped, so the result must not change
        assertEquals(2.9375, gruCell(true, MLGruWeightLayout.RZN));
        assertEquals(2.8125, gruCell(false, MLGruWeightLayout.RZN));
    }

    @Test
    void gruCellDefaultActivationsWithZeroWeightsHalveTheState() {
        // z = r = sigmoid(0) = 0.5, n = tanh(0) = 0, so h' = 0.5 * h; also exact in float16
        for (MLOperandDataType t : List.of(FLOAT32, FLOAT16)) {
            Map<String, double[]> out = run(b -> Map.of("h", b.gruCell(
                    constant(b, t, shape(2, 1), 3, -5), constant(b, t, shape(6, 1), new double[6]),
                    constant(b, t, shape(6, 2), new double[12]), constant(b, t, shape(2, 2), 1, -2, 6, 0.5), 2)));
            assertArrayEquals(new double[] {0.5, -1, 3, 0.25}, out.get("h"), t.toString());
        }
    }

    /**
     * A gru whose step is h_t = x_t + h_{t-1}: z = relu(0) = 0 (so h' = n), r = relu(br = 1) = 1,
     * n = relu(x*1 + (r*h)*1) with resetAfter false.
     */
    private static Map<String, double[]> summingGru(MLRecurrentNetworkDirection direction, double... h0) {
        int dirs = direction == MLRecurrentNetworkDirection.BOTH ? 2 : 1;
        double[] w = new double[3 * dirs], r = new double[3 * dirs], bias = new double[3 * dirs];
        for (int d = 0; d < dirs; d++) {
            w[3 * d + 2] = 1;
            r[3 * d + 2] = 1;
            bias[3 * d + 1] = 1;
        }
        return run(b -> {
            MLOperand[] out = b.gru(constant(b, FLOAT32, shape(3, 1, 1), 1, 2, 4), constant(b, FLOAT32, shape(dirs, 3, 1), w),
                    constant(b, FLOAT32, shape(dirs, 3, 1), r), 3, 1,
                    new MLGruOptions().withBias(constant(b, FLOAT32, shape(dirs, 3), bias))
                            .withInitialHiddenState(constant(b, FLOAT32, shape(dirs, 1, 1), h0))
                            .withResetAfter(false).withReturnSequence(true).withDirection(direction).withActivations(RELU2));
            assertEquals(2, out.length);
            assertArrayEquals(new long[] {3, dirs, 1, 1}, out[1].shape());
            return Map.of("hidden", out[0], "sequence", out[1]);
        });
    }

    @Test
    void gruSequenceIsIndexedByInputTimeInEachDirection() {
        // forward from 10: 11, 13, 17; backward from 100 over t = 2, 1, 0: 104, 106, 107
        Map<String, double[]> both = summingGru(MLRecurrentNetworkDirection.BOTH, 10, 100);
        assertArrayEquals(new double[] {17, 107}, both.get("hidden"));
        assertArrayEquals(new double[] {11, 107, 13, 106, 17, 104}, both.get("sequence"));
        Map<String, double[]> backward = summingGru(MLRecurrentNetworkDirection.BACKWARD, 100);
        assertArrayEquals(new double[] {107}, backward.get("hidden"));
        assertArrayEquals(new double[] {107, 106, 104}, backward.get("sequence"));
        Map<String, double[]> forward = summingGru(MLRecurrentNetworkDirection.FORWARD, 10);
        assertArrayEquals(new double[] {17}, forward.get("hidden"));
        assertArrayEquals(new double[] {11, 13, 17}, forward.get("sequence"));
    }

    @Test
    void gruWithoutReturnSequenceHasOneOutput() {
        run(b -> {
            MLOperand[] out = b.gru(constant(b, FLOAT32, shape(1, 2, 3), new double[6]), constant(b, FLOAT32, shape(1, 12, 3), new double[36]),
                    constant(b, FLOAT32, shape(1, 12, 4), new double[48]), 1, 4);
            assertEquals(1, out.length);
            assertArrayEquals(new long[] {1, 2, 4}, out[0].shape());
            return Map.of("h", out[0]);
        });
    }

    // lstmCell, x = 2, h = 1, c = 3, ReLU, weights per gate (i, f, g, o):
    // W = (0.5, 0.25, 1, 0.125), R = (1, 0.5, 2, 0.25), bias = (1, 0, 0.5, 0), recurrentBias = (0, 1, 0, 0.5),
    // peephole (i, o, f) = (0.25, 0.5, 0.125):
    // i = 0.75 + 1 + (1 + 1) = 3.75, f = 0.375 + 1 + (0.5 + 0.5) = 2.375, g = 0.5 + (2 + 2) = 4.5,
    // o = 1.5 + 0.5 + (0.25 + 0.25) = 2.5; c' = f*c + i*g = 24, h' = o * relu(c') = 60
    private static double[][] lstmCell(MLLstmWeightLayout layout) {
        double[][] byGate = {{0.5, 1, 1, 0}, {0.25, 0.5, 0, 1}, {1, 2, 0.5, 0}, {0.125, 0.25, 0, 0.5}}; // i, f, g, o: w, r, b, rb
        int[] order = layout == MLLstmWeightLayout.IFGO ? new int[] {0, 1, 2, 3} : new int[] {0, 3, 1, 2};
        double[][] cols = new double[4][4];
        for (int k = 0; k < 4; k++) for (int q = 0; q < 4; q++) cols[q][k] = byGate[order[k]][q];
        Map<String, double[]> out = run(b -> {
            MLOperand[] r = b.lstmCell(constant(b, FLOAT32, shape(1, 1), 2), constant(b, FLOAT32, shape(4, 1), cols[0]),
                    constant(b, FLOAT32, shape(4, 1), cols[1]), constant(b, FLOAT32, shape(1, 1), 1),
                    constant(b, FLOAT32, shape(1, 1), 3), 1,
                    new MLLstmCellOptions().withBias(constant(b, FLOAT32, shape(4), cols[2]))
                            .withRecurrentBias(constant(b, FLOAT32, shape(4), cols[3]))
                            .withPeepholeWeight(constant(b, FLOAT32, shape(3), 0.25, 0.5, 0.125))
                            .withLayout(layout).withActivations(RELU3));
            return Map.of("h", r[0], "c", r[1]);
        });
        return new double[][] {out.get("h"), out.get("c")};
    }

    @Test
    void lstmCellGatesPeepholesAndLayouts() {
        for (MLLstmWeightLayout layout : MLLstmWeightLayout.values()) {
            double[][] hc = lstmCell(layout);
            assertArrayEquals(new double[] {60}, hc[0], layout.toString());
            assertArrayEquals(new double[] {24}, hc[1], layout.toString());
        }
    }

    @Test
    void lstmCellDefaultActivations() {
        // zero weights: i = f = o = sigmoid(0) = 0.5, g = tanh(0) = 0; c' = 0.5 * c, h' = 0.5 * tanh(c')
        Map<String, double[]> out = run(b -> {
            MLOperand[] r = b.lstmCell(constant(b, FLOAT32, shape(1, 2), 7, 8), constant(b, FLOAT32, shape(4, 2), new double[8]),
                    constant(b, FLOAT32, shape(4, 1), new double[4]), constant(b, FLOAT32, shape(1, 1), 5),
                    constant(b, FLOAT32, shape(1, 1), 2), 1);
            return Map.of("h", r[0], "c", r[1]);
        });
        assertArrayEquals(new double[] {1}, out.get("c"));
        assertArrayEquals(new double[] {(float) (0.5 * Math.tanh(1))}, out.get("h"));
    }

    /** i = f = o = relu(bias 1) = 1, g = relu(x): the cell state sums the inputs and h = c. */
    @Test
    void lstmBackwardSequence() {
        Map<String, double[]> out = run(b -> {
            MLOperand[] r = b.lstm(constant(b, FLOAT32, shape(3, 1, 1), 1, 2, 4), constant(b, FLOAT32, shape(1, 4, 1), 0, 0, 0, 1),
                    constant(b, FLOAT32, shape(1, 4, 1), new double[4]), 3, 1,
                    new MLLstmOptions().withBias(constant(b, FLOAT32, shape(1, 4), 1, 1, 1, 0))
                            .withInitialCellState(constant(b, FLOAT32, shape(1, 1, 1), 100))
                            .withReturnSequence(true).withDirection(MLRecurrentNetworkDirection.BACKWARD)
                            .withLayout(MLLstmWeightLayout.IOFG).withActivations(RELU3));
            assertEquals(3, r.length);
            return Map.of("h", r[0], "c", r[1], "seq", r[2]);
        });
        assertArrayEquals(new double[] {107}, out.get("h"));
        assertArrayEquals(new double[] {107}, out.get("c"));
        assertArrayEquals(new double[] {107, 106, 104}, out.get("seq"));
    }

    // ------------------------------------------------------------------ validation

    private static TypeError typeError(java.util.function.Consumer<MLGraphBuilder> call) {
        MLContext ctx = RecurrentQuantTestGraphs.context();
        try {
            return assertThrows(TypeError.class, () -> call.accept(new MLGraphBuilder(ctx)));
        } finally {
            ctx.destroy();
        }
    }

    private static MLOperand in(MLGraphBuilder b, String name, int... shape) {
        return b.input(name, new MLOperandDescriptor(FLOAT32, shape));
    }

    @Test
    void hiddenSizeIsUnsignedAndBounded() {
        // -1 is how Java spells the unsigned long 4294967295
        TypeError e = typeError(b -> b.gru(in(b, "x", 2, 3, 4), in(b, "w", 1, 15, 4), in(b, "r", 1, 15, 5), 2, -1,
                new MLGruOptions().withLabel("g1")));
        assertTrue(e.getMessage().startsWith("[g1] gru: hiddenSize (4294967295) is too large"), e.getMessage());
        // 6 * 357913942 > 2^31 - 1 although 3 * hiddenSize fits
        e = typeError(b -> b.gruCell(in(b, "x", 3, 4), in(b, "w", 15, 4), in(b, "r", 15, 5), in(b, "h", 3, 5), 357913942));
        assertTrue(e.getMessage().contains("hiddenSize (357913942) is too large"), e.getMessage());
        e = typeError(b -> b.lstmCell(in(b, "x", 3, 4), in(b, "w", 20, 4), in(b, "r", 20, 5), in(b, "h", 3, 5), in(b, "c", 3, 5), 0));
        assertTrue(e.getMessage().contains("hiddenSize must be greater than 0"), e.getMessage());
    }

    @Test
    void stepsMustMatchTheInput() {
        TypeError e = typeError(b -> b.lstm(in(b, "x", 10, 5, 3), in(b, "w", 1, 32, 3), in(b, "r", 1, 32, 8), 9, 8,
                new MLLstmOptions().withLabel("l")));
        assertTrue(e.getMessage().startsWith("[l] lstm: input.shape[0] (10) must equal steps (9)"), e.getMessage());
        e = typeError(b -> b.gru(in(b, "x", 2, 3, 4), in(b, "w", 1, 15, 4), in(b, "r", 1, 15, 5), 0, 5));
        assertTrue(e.getMessage().contains("steps must be greater than 0"), e.getMessage());
    }

    @Test
    void directionBothNeedsTwoDirectionsOfWeights() {
        TypeError e = typeError(b -> b.gru(in(b, "x", 2, 3, 4), in(b, "w", 1, 15, 4), in(b, "r", 1, 15, 5), 2, 5,
                new MLGruOptions().withDirection(MLRecurrentNetworkDirection.BOTH)));
        assertTrue(e.getMessage().contains("weight: shape must be [numDirections, 3 * hiddenSize, inputSize] = [2, 15, 4], got [1, 15, 4]"),
                e.getMessage());
        e = typeError(b -> b.lstm(in(b, "x", 2, 3, 4), in(b, "w", 2, 20, 4), in(b, "r", 2, 20, 5), 2, 5,
                new MLLstmOptions().withDirection(MLRecurrentNetworkDirection.BOTH).withPeepholeWeight(in(b, "p", 2, 20))));
        assertTrue(e.getMessage().contains("peepholeWeight: shape must be [numDirections, 3 * hiddenSize] = [2, 15], got [2, 20]"),
                e.getMessage());
    }

    @Test
    void activationsMustHaveTheRightLength() {
        TypeError e = typeError(b -> b.lstmCell(in(b, "x", 3, 4), in(b, "w", 20, 4), in(b, "r", 20, 5), in(b, "h", 3, 5),
                in(b, "c", 3, 5), 5, new MLLstmCellOptions().withActivations(List.of(RELU, RELU)).withLabel("cell")));
        assertTrue(e.getMessage().startsWith("[cell] lstmCell: activations must list exactly 3 functions"), e.getMessage());
        e = typeError(b -> b.gruCell(in(b, "x", 3, 4), in(b, "w", 15, 4), in(b, "r", 15, 5), in(b, "h", 3, 5), 5,
                new MLGruCellOptions().withActivations(java.util.Arrays.asList(RELU, null))));
        assertTrue(e.getMessage().contains("activations[1] is missing"), e.getMessage());
    }
}
