package dev.anneau.backend.ort;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;

import dev.anneau.webnn.MLGruCellOptions;
import dev.anneau.webnn.MLGruOptions;
import dev.anneau.webnn.MLGruWeightLayout;
import dev.anneau.webnn.MLLstmCellOptions;
import dev.anneau.webnn.MLLstmOptions;
import dev.anneau.webnn.MLLstmWeightLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLRecurrentNetworkActivation;
import dev.anneau.webnn.MLRecurrentNetworkDirection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** gru, gruCell, lstm, lstmCell on ort against the cpu backend. */
class RecurrentLoweringTest {
    private static final int STEPS = 3, BATCH = 2, INPUT = 3, HIDDEN = 4;
    private static final List<MLRecurrentNetworkActivation> RELU = List.of(MLRecurrentNetworkActivation.RELU,
            MLRecurrentNetworkActivation.RELU, MLRecurrentNetworkActivation.RELU);

    private static double atol(MLOperandDataType type) { return type == FLOAT16 ? 4e-3 : 2e-6; }

    @Test
    void gruEveryDirectionLayoutResetModeAndOptionalOperand() {
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLRecurrentNetworkDirection direction : MLRecurrentNetworkDirection.values()) {
                for (MLGruWeightLayout layout : MLGruWeightLayout.values()) {
                    for (boolean resetAfter : new boolean[] {true, false}) {
                        for (int variant = 0; variant < 4; variant++) {
                            int v = variant;
                            int dirs = direction == MLRecurrentNetworkDirection.BOTH ? 2 : 1;
                            String label = "gru " + type + " " + direction + " " + layout + " resetAfter " + resetAfter + " variant " + v;
                            GraphDiff.compare(label, 6, atol(type), (b, in) -> {
                                MLOperand x = in.input("x", type, STEPS, BATCH, INPUT);
                                MLOperand w = in.constant("w", type, dirs, 3 * HIDDEN, INPUT);
                                MLOperand r = in.input("r", type, dirs, 3 * HIDDEN, HIDDEN);
                                MLGruOptions o = new MLGruOptions().withDirection(direction).withLayout(layout)
                                        .withResetAfter(resetAfter).withReturnSequence(v != 1);
                                if (v != 2) o = o.withBias(in.input("b", type, dirs, 3 * HIDDEN));
                                if (v != 3) o = o.withRecurrentBias(in.input("rb", type, dirs, 3 * HIDDEN));
                                if (v >= 2) o = o.withInitialHiddenState(in.input("h0", type, dirs, BATCH, HIDDEN));
                                if (v == 1) o = o.withActivations(RELU.subList(0, 2));
                                if (v == 3) o = o.withActivations(List.of(MLRecurrentNetworkActivation.TANH,
                                        MLRecurrentNetworkActivation.SIGMOID));
                                MLOperand[] out = b.gru(x, w, r, STEPS, HIDDEN, o);
                                Map<String, MLOperand> m = new HashMap<>();
                                m.put("h", out[0]);
                                if (out.length > 1) m.put("seq", out[1]);
                                return m;
                            });
                        }
                    }
                }
            }
        }
    }

    @Test
    void gruCell() {
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLGruWeightLayout layout : MLGruWeightLayout.values()) {
                for (boolean resetAfter : new boolean[] {true, false}) {
                    for (boolean biases : new boolean[] {true, false}) {
                        GraphDiff.compare("gruCell " + type + " " + layout + " " + resetAfter + " " + biases, 3, atol(type), (b, in) -> {
                            MLGruCellOptions o = new MLGruCellOptions().withLayout(layout).withResetAfter(resetAfter);
                            if (biases) {
                                o = o.withBias(in.input("b", type, 3 * HIDDEN)).withRecurrentBias(in.input("rb", type, 3 * HIDDEN));
                            }
                            return Map.of("h", b.gruCell(in.input("x", type, BATCH, INPUT), in.input("w", type, 3 * HIDDEN, INPUT),
                                    in.input("r", type, 3 * HIDDEN, HIDDEN), in.input("h0", type, BATCH, HIDDEN), HIDDEN, o));
                        });
                    }
                }
            }
        }
    }

    @Test
    void lstmEveryDirectionLayoutWithAndWithoutPeepholes() {
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLRecurrentNetworkDirection direction : MLRecurrentNetworkDirection.values()) {
                for (MLLstmWeightLayout layout : MLLstmWeightLayout.values()) {
                    for (int variant = 0; variant < 5; variant++) {
                        int v = variant;
                        int dirs = direction == MLRecurrentNetworkDirection.BOTH ? 2 : 1;
                        String label = "lstm " + type + " " + direction + " " + layout + " variant " + v;
                        GraphDiff.compare(label, 3, atol(type), (b, in) -> {
                            MLOperand x = in.input("x", type, STEPS, BATCH, INPUT);
                            MLOperand w = in.constant("w", type, dirs, 4 * HIDDEN, INPUT);
                            MLOperand r = in.input("r", type, dirs, 4 * HIDDEN, HIDDEN);
                            MLLstmOptions o = new MLLstmOptions().withDirection(direction).withLayout(layout)
                                    .withReturnSequence(v != 1);
                            if (v != 2) o = o.withBias(in.input("b", type, dirs, 4 * HIDDEN));
                            if (v != 3) o = o.withRecurrentBias(in.input("rb", type, dirs, 4 * HIDDEN));
                            if (v >= 2) o = o.withPeepholeWeight(in.input("p", type, dirs, 3 * HIDDEN));
                            if (v >= 3) o = o.withInitialHiddenState(in.input("h0", type, dirs, BATCH, HIDDEN));
                            if (v != 3) o = o.withInitialCellState(in.input("c0", type, dirs, BATCH, HIDDEN));
                            if (v == 1 || v == 4) o = o.withActivations(RELU);
                            MLOperand[] out = b.lstm(x, w, r, STEPS, HIDDEN, o);
                            Map<String, MLOperand> m = new HashMap<>();
                            m.put("h", out[0]);
                            m.put("c", out[1]);
                            if (out.length > 2) m.put("seq", out[2]);
                            return m;
                        });
                    }
                }
            }
        }
    }

    @Test
    void lstmCell() {
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLLstmWeightLayout layout : MLLstmWeightLayout.values()) {
                for (boolean peephole : new boolean[] {true, false}) {
                    GraphDiff.compare("lstmCell " + type + " " + layout + " " + peephole, 1, atol(type), (b, in) -> {
                        MLLstmCellOptions o = new MLLstmCellOptions().withLayout(layout)
                                .withBias(in.input("b", type, 4 * HIDDEN)).withRecurrentBias(in.input("rb", type, 4 * HIDDEN));
                        if (peephole) o = o.withPeepholeWeight(in.input("p", type, 3 * HIDDEN));
                        MLOperand[] out = b.lstmCell(in.input("x", type, BATCH, INPUT), in.input("w", type, 4 * HIDDEN, INPUT),
                                in.input("r", type, 4 * HIDDEN, HIDDEN), in.input("h0", type, BATCH, HIDDEN),
                                in.input("c0", type, BATCH, HIDDEN), HIDDEN, o);
                        return Map.of("h", out[0], "c", out[1]);
                    });
                }
            }
        }
    }
}
