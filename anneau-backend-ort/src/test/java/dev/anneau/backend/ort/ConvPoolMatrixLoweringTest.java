package dev.anneau.backend.ort;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.MLConv2dFilterOperandLayout;
import dev.anneau.webnn.MLConv2dOptions;
import dev.anneau.webnn.MLConvTranspose2dFilterOperandLayout;
import dev.anneau.webnn.MLConvTranspose2dOptions;
import dev.anneau.webnn.MLGemmOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLInterpolationMode;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPool2dOptions;
import dev.anneau.webnn.MLResample2dOptions;
import dev.anneau.webnn.MLRoundingType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** conv2d, convTranspose2d, pooling, resample2d, matmul and gemm on ort against the cpu backend. */
class ConvPoolMatrixLoweringTest {
    private static final MLInputOperandLayout NHWC = MLInputOperandLayout.NHWC;

    // ------------------------------------------------------------------ conv2d

    /** Filter shape of [o, i, h, w] in a conv2d filter layout. */
    private static int[] conv2dFilter(MLConv2dFilterOperandLayout layout, int o, int i, int h, int w) {
        return switch (layout) {
            case OIHW -> new int[] {o, i, h, w};
            case HWIO -> new int[] {h, w, i, o};
            case OHWI -> new int[] {o, h, w, i};
            case IHWO -> new int[] {i, h, w, o};
        };
    }

    @Test
    void conv2dEveryLayoutWithGroupsPaddingStridesDilationsAndBias() {
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLInputOperandLayout inLayout : MLInputOperandLayout.values()) {
                for (MLConv2dFilterOperandLayout fLayout : MLConv2dFilterOperandLayout.values()) {
                    int groups = 2, cin = 4, cout = 6, kh = 3, kw = 2;
                    String label = "conv2d " + type + " " + inLayout + " " + fLayout;
                    GraphDiff.compare(label, 2.0 * kh * kw * cin / groups, atol(type, kh * kw * cin / groups), (b, in) -> {
                        MLOperand x = in.input("x", type, inLayout == NHWC ? new int[] {2, 7, 9, cin} : new int[] {2, cin, 7, 9});
                        MLOperand f = in.constant("f", type, conv2dFilter(fLayout, cout, cin / groups, kh, kw));
                        MLOperand bias = in.input("bias", type, cout);
                        return Map.of("y", b.conv2d(x, f, new MLConv2dOptions().withPadding(2, 1, 0, 3).withStrides(2, 1)
                                .withDilations(1, 2).withGroups(groups).withInputLayout(inLayout).withFilterLayout(fLayout)
                                .withBias(bias)));
                    });
                }
            }
        }
    }

    @Test
    void conv2dDepthwiseAndDefaults() {
        GraphDiff.compare("depthwise", 18, atol(FLOAT32, 27), (b, in) -> {
            MLOperand x = in.input("x", FLOAT32, 1, 3, 5, 5);
            MLOperand f = in.input("f", FLOAT32, 3, 1, 3, 3);
            return Map.of("y", b.conv2d(x, f, new MLConv2dOptions().withGroups(3).withPadding(1, 1, 1, 1)),
                    "z", b.conv2d(x, in.input("g", FLOAT32, 2, 3, 5, 5)));
        });
    }

    // ------------------------------------------------------------------ convTranspose2d

    private static int[] convTransposeFilter(MLConvTranspose2dFilterOperandLayout layout, int i, int o, int h, int w) {
        return switch (layout) {
            case IOHW -> new int[] {i, o, h, w};
            case HWOI -> new int[] {h, w, o, i};
            case OHWI -> new int[] {o, h, w, i};
        };
    }

    @Test
    void convTranspose2dEveryLayoutWithGroupsPaddingStridesDilationsOutputPaddingAndBias() {
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLInputOperandLayout inLayout : MLInputOperandLayout.values()) {
                for (MLConvTranspose2dFilterOperandLayout fLayout : MLConvTranspose2dFilterOperandLayout.values()) {
                    int groups = 2, cin = 4, coutPerGroup = 3, kh = 3, kw = 2;
                    String label = "convTranspose2d " + type + " " + inLayout + " " + fLayout;
                    GraphDiff.compare(label, 2.0 * kh * kw * cin / groups, atol(type, kh * kw * cin / groups), (b, in) -> {
                        MLOperand x = in.input("x", type, inLayout == NHWC ? new int[] {2, 4, 5, cin} : new int[] {2, cin, 4, 5});
                        MLOperand f = in.constant("f", type, convTransposeFilter(fLayout, cin, coutPerGroup, kh, kw));
                        MLOperand bias = in.input("bias", type, coutPerGroup * groups);
                        return Map.of("y", b.convTranspose2d(x, f, new MLConvTranspose2dOptions().withPadding(1, 0, 2, 1)
                                .withStrides(3, 2).withDilations(2, 1).withOutputPadding(2, 1).withGroups(groups)
                                .withInputLayout(inLayout).withFilterLayout(fLayout).withBias(bias)));
                    });
                }
            }
        }
    }

    @Test
    void convTranspose2dOutputSizes() {
        MLOperand[] shape = new MLOperand[1];
        GraphDiff.Run r = GraphDiff.compare("outputSizes", 18, atol(FLOAT32, 18), (b, in) -> {
            MLOperand x = in.input("x", FLOAT32, 1, 2, 3, 3);
            MLOperand f = in.input("f", FLOAT32, 2, 1, 3, 3);
            MLOperand y = b.convTranspose2d(x, f, new MLConvTranspose2dOptions().withStrides(3, 2).withOutputSizes(10, 8));
            shape[0] = y;
            return Map.of("y", y);
        });
        assertEquals(80, r.values().get("y").length);
    }

    // ------------------------------------------------------------------ pooling

    private static MLPool2dOptions pool() { return new MLPool2dOptions(); }

    /** An absolute tolerance for a sum of {@code terms} products of numbers in [-1, 1] (a few roundings each). */
    private static double atol(MLOperandDataType type, double terms) {
        return terms * (type == FLOAT16 ? 0x1p-9 : 0x1p-21);
    }

    private static double poolTolerance(int kh, int kw, MLOperandDataType type) {
        return kh * kw + 2 + (type == FLOAT16 ? 2 : 0);
    }

    @Test
    void poolingAllOperatorsWithPaddingStridesDilationsRoundingAndLayouts() {
        MLPool2dOptions[] cases = {
            pool(),
            pool().withWindowDimensions(3, 3),
            pool().withWindowDimensions(3, 2).withPadding(1, 0, 0, 1).withStrides(2, 2),
            pool().withWindowDimensions(3, 3).withPadding(1, 2, 2, 1).withStrides(2, 3).withOutputShapeRounding(MLRoundingType.CEIL),
            pool().withWindowDimensions(3, 3).withDilations(2, 2),
            pool().withWindowDimensions(3, 3).withDilations(2, 2).withPadding(2, 1, 1, 2),
            pool().withWindowDimensions(2, 3).withDilations(2, 1).withPadding(2, 1, 1, 2).withStrides(1, 2),
            pool().withWindowDimensions(3, 3).withPadding(1, 0, 0, 1).withStrides(2, 2).withOutputSizes(4, 4),
            // padding as large as the window, windows wholly in the padding
            pool().withWindowDimensions(2, 2).withPadding(3, 2, 2, 3).withStrides(1, 1),
            pool().withWindowDimensions(1, 1).withStrides(2, 2).withOutputShapeRounding(MLRoundingType.CEIL),
            pool().withWindowDimensions(2, 2).withDilations(4, 4).withPadding(3, 3, 3, 3).withStrides(3, 3),
        };
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLInputOperandLayout layout : MLInputOperandLayout.values()) {
                for (int c = 0; c < cases.length; c++) {
                    MLPool2dOptions o = cases[c].withLayout(layout);
                    for (String operator : new String[] {"averagePool2d", "l2Pool2d", "maxPool2d"}) {
                        int[] w = o.windowDimensions() == null ? new int[] {7, 8} : o.windowDimensions();
                        String label = operator + " " + type + " " + layout + " case " + c;
                        GraphDiff.compare(label, operator.equals("maxPool2d") ? 0 : poolTolerance(w[0], w[1], type),
                                operator.equals("maxPool2d") ? 0 : atol(type, 4), (b, in) -> {
                            MLOperand x = in.input("x", type, layout == NHWC ? new int[] {2, 7, 8, 3} : new int[] {2, 3, 7, 8});
                            return Map.of("y", switch (operator) {
                                case "averagePool2d" -> b.averagePool2d(x, o);
                                case "l2Pool2d" -> b.l2Pool2d(x, o);
                                default -> b.maxPool2d(x, o);
                            });
                        });
                    }
                }
            }
        }
    }

    @Test
    void float16AveragesOfLargeValuesDoNotOverflowInTheirSums() {
        // windows of 9 values near 30000 sum past the float16 range (65504); their means do not
        for (MLPool2dOptions o : new MLPool2dOptions[] {pool().withWindowDimensions(3, 3).withPadding(1, 1, 1, 1),
                pool().withWindowDimensions(3, 3).withPadding(3, 3, 3, 3)}) {
            GraphDiff.compare("large float16 average", 11, (b, in) ->
                    Map.of("y", b.averagePool2d(in.input("x", FLOAT16, 29000.0, 31000.0, 1, 2, 4, 4), o)));
        }
    }

    @Test
    void maxPoolIntegers() {
        for (MLOperandDataType type : new MLOperandDataType[] {MLOperandDataType.INT8, MLOperandDataType.UINT8,
                MLOperandDataType.INT32, MLOperandDataType.UINT32}) {
            double lo = type == MLOperandDataType.INT32 ? Integer.MIN_VALUE : type == MLOperandDataType.UINT32 ? 0 : -128;
            double hi = type == MLOperandDataType.INT32 ? Integer.MAX_VALUE : type == MLOperandDataType.UINT32 ? 4294967295.0 : 127;
            if (type == MLOperandDataType.UINT8) { lo = 0; hi = 255; }
            double l = lo, h = hi;
            for (MLPool2dOptions o : new MLPool2dOptions[] {pool().withWindowDimensions(3, 3).withPadding(1, 1, 1, 1),
                    pool().withWindowDimensions(2, 2).withPadding(3, 2, 2, 3)}) {
                GraphDiff.compare("maxPool2d " + type, 0, (b, in) ->
                        Map.of("y", b.maxPool2d(in.input("x", type, l, h, 1, 2, 5, 6), o)));
            }
        }
    }

    @Test
    void maxPool64BitIntegersExactly() {
        long[] values = {Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1, -1, 0, 1L << 53, (1L << 53) + 1, 5, -7,
                Long.MIN_VALUE + 1, 3, 9, (1L << 62) + 3, (1L << 62) + 1, 2, -2, 4, 8, 16, 32};
        for (MLOperandDataType type : new MLOperandDataType[] {MLOperandDataType.INT64, MLOperandDataType.UINT64}) {
            for (MLInputOperandLayout layout : MLInputOperandLayout.values()) {
                int[] shape = layout == NHWC ? new int[] {1, 4, 5, 1} : new int[] {1, 1, 4, 5};
                for (MLPool2dOptions o : new MLPool2dOptions[] {pool(), pool().withWindowDimensions(2, 2),
                        pool().withWindowDimensions(2, 3).withStrides(2, 1).withDilations(1, 2).withPadding(1, 0, 2, 1),
                        pool().withWindowDimensions(2, 2).withPadding(3, 2, 2, 3).withOutputShapeRounding(MLRoundingType.CEIL)
                                .withStrides(2, 2)}) {
                    GraphDiff.compare("maxPool2d " + type + " " + layout, 0, (b, in) ->
                            Map.of("y", b.maxPool2d(in.longs(type, shape, values), o.withLayout(layout))));
                }
            }
        }
    }

    @Test
    void maxPoolPropagatesNaNAndGivesMinusInfinityForPaddingOnlyWindows() {
        double nan = Double.NaN;
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (MLInputOperandLayout layout : MLInputOperandLayout.values()) {
                for (MLPool2dOptions o : new MLPool2dOptions[] {pool().withWindowDimensions(2, 2),
                        pool().withWindowDimensions(2, 2).withPadding(3, 2, 2, 3)}) {
                    int[] shape = layout == NHWC ? new int[] {1, 3, 3, 1} : new int[] {1, 1, 3, 3};
                    GraphDiff.Run r = GraphDiff.compare("maxPool2d NaN " + type + " " + layout, 0, (b, in) -> Map.of("y",
                            b.maxPool2d(in.values(type, shape, 1, nan, 3, 4, 5, 6, -7, 8, nan), o.withLayout(layout))));
                    boolean sawNaN = false;
                    for (double v : r.values().get("y")) sawNaN |= Double.isNaN(v);
                    assertTrue(sawNaN, "a window holding NaN must give NaN");
                }
            }
        }
    }

    // ------------------------------------------------------------------ resample2d

    @Test
    void resample2dModesScalesSizesAndAxes() {
        MLResample2dOptions[] cases = {
            new MLResample2dOptions(),
            new MLResample2dOptions().withScales(2f, 2f),
            new MLResample2dOptions().withScales(1.5f, 0.5f),
            new MLResample2dOptions().withScales(0.7f, 2.6f),
            new MLResample2dOptions().withSizes(5, 7),
            new MLResample2dOptions().withSizes(2, 11),
            new MLResample2dOptions().withSizes(5, 7).withAxes(1, 2),
            new MLResample2dOptions().withSizes(7, 5).withAxes(3, 2),
            new MLResample2dOptions().withSizes(3, 5).withAxes(0, 1),
            new MLResample2dOptions().withSizes(5, 3).withAxes(1, 0),
            new MLResample2dOptions().withScales(3f, 1.25f).withAxes(0, 3),
        };
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16, MLOperandDataType.INT8, MLOperandDataType.UINT8}) {
            for (MLInterpolationMode mode : MLInterpolationMode.values()) {
                for (int c = 0; c < cases.length; c++) {
                    MLResample2dOptions o = cases[c].withMode(mode);
                    double lo = type == MLOperandDataType.INT8 ? -128 : type == MLOperandDataType.UINT8 ? 0 : -1;
                    double hi = type == MLOperandDataType.INT8 ? 127 : type == MLOperandDataType.UINT8 ? 255 : 1;
                    double tol = mode == MLInterpolationMode.NEAREST_NEIGHBOR || !type.isFloatingPoint() ? 0
                            : type == FLOAT32 ? 84 : 10;
                    double atol = mode == MLInterpolationMode.NEAREST_NEIGHBOR || !type.isFloatingPoint() ? 0 : atol(type, 1);
                    GraphDiff.compare("resample2d " + type + " " + mode + " case " + c, tol, atol, (b, in) ->
                            Map.of("y", b.resample2d(in.input("x", type, lo, hi, 2, 3, 4, 5), o)));
                }
            }
        }
    }

    // ------------------------------------------------------------------ matmul, gemm

    @Test
    void matmulBroadcastsBatches() {
        int[][][] shapes = {{{3, 4}, {4, 5}}, {{2, 3, 4}, {4, 5}}, {{3, 4}, {2, 2, 4, 5}}, {{2, 1, 3, 4}, {3, 4, 2}},
                {{1, 3, 4}, {2, 4, 6}}};
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (int[][] s : shapes) {
                GraphDiff.compare("matmul " + type, 2 * s[0][s[0].length - 1] + 1, atol(type, 4), (b, in) ->
                        Map.of("y", b.matmul(in.input("a", type, s[0]), in.input("b", type, s[1]))));
            }
        }
    }

    @Test
    void gemmTransposesAlphaBetaAndBroadcastC() {
        int[][] cShapes = {null, {}, {1}, {5}, {3, 1}, {1, 5}, {3, 5}};
        for (MLOperandDataType type : new MLOperandDataType[] {FLOAT32, FLOAT16}) {
            for (int[] cs : cShapes) {
                for (boolean t : new boolean[] {false, true}) {
                    for (double beta : new double[] {1, 0, -2.5}) {
                        GraphDiff.compare("gemm " + type + " c " + java.util.Arrays.toString(cs) + " t " + t + " beta " + beta,
                                12, atol(type, 4 * 1.75 + 3), (b, in) -> {
                                    MLOperand a = in.input("a", type, t ? new int[] {4, 3} : new int[] {3, 4});
                                    MLOperand bb = in.input("b", type, t ? new int[] {5, 4} : new int[] {4, 5});
                                    MLGemmOptions o = new MLGemmOptions().withATranspose(t).withBTranspose(t).withAlpha(1.75)
                                            .withBeta(beta);
                                    if (cs != null) o = o.withC(in.input("c", type, cs));
                                    return Map.of("y", b.gemm(a, bb, o));
                                });
                    }
                }
            }
        }
    }

    @Test
    void gemmWithZeroBetaStillPropagatesInfinityFromC() {
        GraphDiff.Run r = GraphDiff.compare("gemm beta 0 inf c", 0, (b, in) -> {
            MLOperand a = in.values(FLOAT32, new int[] {1, 1}, 2);
            MLOperand bb = in.values(FLOAT32, new int[] {1, 2}, 3, 4);
            MLOperand c = in.values(FLOAT32, new int[] {2}, Double.POSITIVE_INFINITY, 1);
            return Map.of("y", b.gemm(a, bb, new MLGemmOptions().withC(c).withBeta(0.0)));
        });
        double[] y = r.values().get("y");
        assertTrue(Double.isNaN(y[0]), "0 * Infinity is NaN");
        assertEquals(8.0, y[1]);
    }
}
