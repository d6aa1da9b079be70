package dev.anneau.backend.cpu;

import static dev.anneau.backend.cpu.RecurrentQuantTestGraphs.constant;
import static dev.anneau.backend.cpu.RecurrentQuantTestGraphs.run;
import static dev.anneau.backend.cpu.RecurrentQuantTestGraphs.shape;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT4;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT4;
import static dev.anneau.webnn.MLOperandDataType.UINT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLOperatorOptions;
import dev.anneau.webnn.TypeError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantizationKernelsTest {

    private static double[] quantize(MLOperandDataType in, int[] inShape, double[] x, int[] sShape, double[] scale,
                                     MLOperandDataType zpType, double[] zp) {
        return run(b -> Map.of("y", b.quantizeLinear(constant(b, in, inShape, x), constant(b, in, sShape, scale),
                constant(b, zpType, sShape, zp)))).get("y");
    }

    private static double[] dequantize(MLOperandDataType in, int[] inShape, double[] x, MLOperandDataType scaleType, int[] sShape,
                                       double[] scale, double[] zp) {
        return run(b -> Map.of("y", b.dequantizeLinear(constant(b, in, inShape, x), constant(b, scaleType, sShape, scale),
                constant(b, in, sShape, zp)))).get("y");
    }

    @Test
    void quantizeRoundsHalfToEven() {
        double[] x = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6};
        assertArrayEquals(new double[] {0, 2, 2, 0, -2, -2, 2, -3},
                quantize(FLOAT32, shape(8), x, shape(), new double[] {1}, INT8, new double[] {0}));
        assertArrayEquals(new double[] {0, 2, 2, 0, -2, -2, 2, -3},
                quantize(FLOAT16, shape(8), x, shape(), new double[] {1}, INT8, new double[] {0}));
    }

    @Test
    void quantizeAddsTheZeroPointAndSaturates() {
        // 3 / 0.5 = 6 -> 6 + 250 saturates to 255; -1000 / 0.5 + 250 -> 0; 20 + 250 = 270 -> 255
        assertArrayEquals(new double[] {255, 0, 255, 251},
                quantize(FLOAT32, shape(4), new double[] {3, -1000, 10, 0.5}, shape(1), new double[] {0.5}, UINT8, new double[] {250}));
        assertArrayEquals(new double[] {127, -128, -126},
                quantize(FLOAT32, shape(3), new double[] {1e9, -1e9, 4}, shape(1), new double[] {2}, INT8, new double[] {-128}));
        assertArrayEquals(new double[] {7, -8, 1},
                quantize(FLOAT32, shape(3), new double[] {100, -100, 2}, shape(), new double[] {1}, INT4, new double[] {-1}));
        assertArrayEquals(new double[] {15, 0},
                quantize(FLOAT32, shape(2), new double[] {100, -100}, shape(), new double[] {1}, UINT4, new double[] {3}));
        assertArrayEquals(new double[] {4294967295.0, 0, 4000000003.0},
                quantize(FLOAT32, shape(3), new double[] {1e12, -1e12, 3}, shape(), new double[] {1}, UINT32, new double[] {4e9}));
    }

    @Test
    void scaleIsBroadcastBlockwise() {
        // input [2, 4], scale [1, 2]: blocks of [2, 2]; columns 0-1 use scale 1, columns 2-3 use scale 10
        double[] x = {10, 20, 30, 40, 50, 60, 70, 80};
        assertArrayEquals(new double[] {10, 20, 3, 4, 50, 60, 7, 8},
                quantize(FLOAT32, shape(2, 4), x, shape(1, 2), new double[] {1, 10}, INT32, new double[] {0, 0}));
        // input [4, 2], scale [2, 1]: rows 0-1 scale 1 zp 0, rows 2-3 scale 10 zp 100
        assertArrayEquals(new double[] {10, 20, 30, 40, 105, 106, 107, 108},
                quantize(FLOAT32, shape(4, 2), x, shape(2, 1), new double[] {1, 10}, INT32, new double[] {0, 100}));
        // a scale of lower rank aligns to the trailing dimensions: [2] on [2, 4] means blocks of [2, 2]
        assertArrayEquals(new double[] {10, 20, 3, 4, 50, 60, 7, 8},
                quantize(FLOAT32, shape(2, 4), x, shape(2), new double[] {1, 10}, INT32, new double[] {0, 0}));
    }

    @Test
    void dequantizeSubtractsExactlyThenScalesOnce() {
        // 16777217 - 1 = 16777216 exactly (converting the operands to float32 first would give 16777215)
        assertArrayEquals(new double[] {16777216},
                dequantize(INT32, shape(1), new double[] {16777217}, FLOAT32, shape(1), new double[] {1}, new double[] {1}));
        assertArrayEquals(new double[] {(float) (4294967295.0 * 0.5)},
                dequantize(UINT32, shape(1), new double[] {4294967295.0}, FLOAT32, shape(), new double[] {0.5}, new double[] {0}));
        assertArrayEquals(new double[] {-15 * 0.25, 0, 15 * 0.25},
                dequantize(INT4, shape(3), new double[] {-8, 7, 7}, FLOAT32, shape(3), new double[] {0.25, 1, 0.25}, new double[] {7, 7, -8}));
        assertArrayEquals(new double[] {(255 - 0) * 2.0, (0 - 128) * 2.0},
                dequantize(UINT8, shape(2), new double[] {255, 0}, FLOAT16, shape(2), new double[] {2, 2}, new double[] {0, 128}));
        // float16 output rounds once: 1001 * 1 = 1001 is exact in float16 (integers up to 2048 are)
        assertArrayEquals(new double[] {1001},
                dequantize(INT32, shape(1), new double[] {1000}, FLOAT16, shape(), new double[] {1}, new double[] {-1}));
    }

    @Test
    void dequantizeBlockwiseOverThreeAxes() {
        // input [2, 2, 2], scale [1, 2, 1]: axis 1 split in two blocks of one
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        assertArrayEquals(new double[] {1, 2, 30, 40, 5, 6, 70, 80},
                dequantize(INT8, shape(2, 2, 2), x, FLOAT32, shape(1, 2, 1), new double[] {1, 10}, new double[] {0, 0}));
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

    private static MLOperand in(MLGraphBuilder b, MLOperandDataType t, int... shape) {
        return constant(b, t, shape, new double[java.util.Arrays.stream(shape).reduce(1, (p, q) -> p * q)]);
    }

    @Test
    void validationErrorsAreLabelledAndSayWhy() {
        MLOperatorOptions label = new MLOperatorOptions("q");
        TypeError e = typeError(b -> b.quantizeLinear(in(b, FLOAT32, 3, 2, 5), in(b, FLOAT32, 2, 1, 5), in(b, INT8, 2, 1, 5), label));
        assertTrue(e.getMessage().startsWith("[q] quantizeLinear: scale: shape [2, 1, 5] is not blockwise broadcastable to input shape [3, 2, 5]"),
                e.getMessage());
        e = typeError(b -> b.dequantizeLinear(in(b, UINT8, 3, 2, 5), in(b, FLOAT32, 5), in(b, UINT8, 1, 5), label));
        assertTrue(e.getMessage().startsWith("[q] dequantizeLinear: zeroPoint: shape [1, 5] must equal scale's shape [5]"), e.getMessage());
        e = typeError(b -> b.dequantizeLinear(in(b, UINT8, 5), in(b, FLOAT32, 1, 5), in(b, UINT8, 1, 5), label));
        assertTrue(e.getMessage().contains("scale: rank 2 must be the same as input's rank (1)"), e.getMessage());
        e = typeError(b -> b.dequantizeLinear(in(b, INT8, 5), in(b, FLOAT32, 5), in(b, UINT8, 5)));
        assertTrue(e.getMessage().contains("zeroPoint: data type uint8 must be the same as input's (int8)"), e.getMessage());
    }

    @Test
    void outputTypesFollowTheZeroPointAndTheScale() {
        run(b -> {
            MLOperand q = b.quantizeLinear(in(b, FLOAT16, 2, 3), in(b, FLOAT16, 3), in(b, UINT4, 3));
            assertEquals(UINT4, q.dataType());
            assertArrayEquals(new long[] {2, 3}, q.shape());
            MLOperand d = b.dequantizeLinear(q, in(b, FLOAT16, 1, 1), in(b, UINT4, 1, 1));
            assertEquals(FLOAT16, d.dataType());
            return Map.of("d", d);
        });
    }
}
