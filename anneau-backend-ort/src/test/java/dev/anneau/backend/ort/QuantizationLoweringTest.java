package dev.anneau.backend.ort;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT4;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT4;
import static dev.anneau.webnn.MLOperandDataType.UINT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.anneau.webnn.MLConv2dFilterOperandLayout;
import dev.anneau.webnn.MLConv2dOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** quantizeLinear and dequantizeLinear on ort against the cpu backend: per tensor, per axis, blocked, mixed. */
class QuantizationLoweringTest {
    private static final MLOperandDataType[] INTEGERS = {INT8, UINT8, INT32, UINT32, INT4, UINT4};

    /** {input shape, scale shape}: per tensor, lower rank, per axis, blocked, elementwise, two blocked axes. */
    private static final int[][][] LAYOUTS = {
        {{}, {}},
        {{3, 4}, {}},
        {{3, 4}, {1, 1}},
        {{2, 3, 4}, {4}},
        {{2, 3, 4}, {3, 1}},
        {{3, 4}, {1, 2}},
        {{6, 4}, {3, 4}},
        {{3, 4}, {3, 4}},
        {{2, 3, 4}, {2, 3, 4}},
        {{6, 4}, {2, 2}},
        {{4, 6, 2}, {2, 3, 1}},
    };

    private static double[] range(MLOperandDataType t) {
        return switch (t) {
            case INT8 -> new double[] {-128, 127};
            case UINT8 -> new double[] {0, 255};
            case INT32 -> new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case UINT32 -> new double[] {0, 4294967295.0};
            case INT4 -> new double[] {-8, 7};
            case UINT4 -> new double[] {0, 15};
            default -> throw new IllegalArgumentException();
        };
    }

    @Test
    void quantizeExactlyAsTheSpecForEveryLayoutAndType() {
        for (MLOperandDataType in : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLOperandDataType out : INTEGERS) {
                for (int[][] l : LAYOUTS) {
                    double[] r = range(out);
                    // scales small enough to saturate some values, zero points across the range
                    GraphDiff.compare("quantizeLinear " + in + " -> " + out + " " + Arrays.toString(l[0]) + " / "
                            + Arrays.toString(l[1]), 0, (b, ops) -> Map.of("y", b.quantizeLinear(
                                    ops.input("x", in, -300, 300, l[0]),
                                    ops.input("scale", in, out == INT32 || out == UINT32 ? 1e-7 : 0.5, 3, l[1]),
                                    ops.constant("zp", out, r[0] / 2, r[1] / 2, l[1]))));
                }
            }
        }
    }

    @Test
    void dequantizeExactlyAsTheSpecForEveryLayoutAndType() {
        for (MLOperandDataType out : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLOperandDataType in : INTEGERS) {
                for (int[][] l : LAYOUTS) {
                    double[] r = range(in);
                    GraphDiff.compare("dequantizeLinear " + in + " -> " + out + " " + Arrays.toString(l[0]) + " / "
                            + Arrays.toString(l[1]), 0, (b, ops) -> Map.of("y", b.dequantizeLinear(
                                    ops.input("x", in, r[0], r[1], l[0]),
                                    ops.input("scale", out, -2, 2, l[1]),
                                    ops.input("zp", in, r[0], r[1], l[1]))));
                }
            }
        }
    }

    @Test
    void quantizeRoundsHalvesToEvenAndSaturates() {
        GraphDiff.Run run = GraphDiff.compare("halves", 0, (b, ops) -> Map.of("y", b.quantizeLinear(
                ops.values(FLOAT32, new int[] {8}, 0.5, 1.5, 2.5, -0.5, -2.5, 1000, -1000, 7.5),
                ops.values(FLOAT32, new int[] {}, 1),
                ops.values(INT8, new int[] {}, 1))));
        assertArrayEquals(new double[] {1, 3, 3, 1, -1, 127, -128, 9}, run.values().get("y"));
    }

    @Test
    void quantizeNaNToZeroAndInfinitiesToTheBounds() {
        for (MLOperandDataType out : INTEGERS) {
            GraphDiff.Run run = GraphDiff.compare("NaN " + out, 0, (b, ops) -> Map.of("y", b.quantizeLinear(
                    ops.values(FLOAT32, new int[] {3}, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
                    ops.values(FLOAT32, new int[] {}, 0.5),
                    ops.values(out, new int[] {}, 3))));
            double[] r = range(out);
            // ConvertToInt: NaN gives +0, the infinities clamp to the type's range
            assertArrayEquals(new double[] {0, r[1], r[0]}, run.values().get("y"), out.toString());
        }
    }

    @Test
    void quantizedConvolutionLoadsAndMatches() {
        // the WPT "quantized conv2d" subgraph; with int8 activations ORT's QDQ rewriting used to break the model
        for (MLOperandDataType act : new MLOperandDataType[] {INT8, UINT8}) {
            double zero = act == INT8 ? -128 : 0;
            GraphDiff.compare("quantized conv2d " + act, 6, (b, in) -> {
                MLOperand x = in.input("x", FLOAT32, 0.0, 1.0, 1, 4, 4, 3);
                MLOperand scale = in.values(FLOAT32, new int[] {1}, 0.003921568859368563);
                MLOperand zp = in.values(act, new int[] {1}, zero);
                MLOperand filter = in.values(INT8, new int[] {2, 2, 2, 3}, 2, 3, 4, -1, 0, 5, 7, -3, 1, 2, 2, 2, -4, 6, 1, 0, 3, 3,
                        1, 1, -2, 5, 4, 0);
                MLOperand dx = b.dequantizeLinear(b.quantizeLinear(x, scale, zp), scale, zp);
                MLOperand df = b.dequantizeLinear(filter, in.values(FLOAT32, new int[] {1}, 0.023458752938762234),
                        in.values(INT8, new int[] {1}, 0));
                MLOperand db = b.dequantizeLinear(in.values(INT32, new int[] {2}, 1, -7), in.values(FLOAT32, new int[] {1}, 9.2e-05),
                        in.values(INT32, new int[] {1}, 0));
                MLOperand c = b.conv2d(dx, df, new MLConv2dOptions().withInputLayout(MLInputOperandLayout.NHWC)
                        .withFilterLayout(MLConv2dFilterOperandLayout.OHWI).withBias(db));
                MLOperand outScale = in.values(FLOAT32, new int[] {1}, 0.01);
                MLOperand outZp = in.values(act, new int[] {1}, act == INT8 ? 0 : 128);
                return Map.of("y", b.dequantizeLinear(b.quantizeLinear(c, outScale, outZp), outScale, outZp));
            });
        }
    }
}
