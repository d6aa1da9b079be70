package dev.anneau.backend.cpu;

import static dev.anneau.backend.cpu.ConvPoolMatrixSupport.*;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLInterpolationMode;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPool2dOptions;
import dev.anneau.webnn.MLResample2dOptions;
import dev.anneau.webnn.MLRoundingType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pooling and resample2d: window edge cases, exactness of maxPool2d for integer types, the spec's resample examples. */
class PoolingKernelsTest {

    @Test
    void averagePoolCountsOnlyRealElements() {
        // 2x2 input, 2x2 window, padding 1 everywhere: the corner windows hold one element each
        double[] y = run((b, o) -> b.averagePool2d(o[0], new MLPool2dOptions().withWindowDimensions(2, 2).withPadding(1, 1, 1, 1)),
                9, Data.f32(new int[] {1, 1, 2, 2}, 1, 2, 3, 4));
        assertArrayEquals(new double[] {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4}, y);
    }

    @Test
    void l2PoolIsTheEuclideanNormOfTheWindow() {
        double[] y = run((b, o) -> b.l2Pool2d(o[0]), 2, Data.f32(new int[] {1, 2, 1, 2}, 3, -4, -5, 12));
        assertArrayEquals(new double[] {5, 13}, y);
    }

    @Test
    void ceilRoundingKeepsThePartialLastWindow() {
        Data x = Data.f32(new int[] {1, 1, 4, 4}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        MLPool2dOptions o = new MLPool2dOptions().withWindowDimensions(3, 3).withStrides(2, 2)
                .withOutputShapeRounding(MLRoundingType.CEIL);
        assertArrayEquals(new double[] {11, 12, 15, 16}, run((b, ops) -> b.maxPool2d(ops[0], o), 4, x));
        // last window: rows 2-3, columns 2-3 = 11, 12, 15, 16
        assertEquals(13.5, run((b, ops) -> b.averagePool2d(ops[0], o), 4, x)[3]);
        // the same window sizes selected through outputSizes instead of the rounding
        assertArrayEquals(new double[] {11, 12, 15, 16}, run((b, ops) -> b.maxPool2d(ops[0],
                new MLPool2dOptions().withWindowDimensions(3, 3).withStrides(2, 2).withOutputSizes(2, 2)), 4, x));
    }

    @Test
    void maxPoolIsExactForUnsignedAndWideIntegers() {
        assertArrayEquals(new double[] {255}, run((b, o) -> b.maxPool2d(o[0]), 1,
                new Data(MLOperandDataType.UINT8, new int[] {1, 1, 2, 2}, new double[] {1, 255, 128, 0}, false)));
        assertArrayEquals(new double[] {-3}, run((b, o) -> b.maxPool2d(o[0]), 1,
                new Data(MLOperandDataType.INT8, new int[] {1, 1, 2, 2}, new double[] {-128, -3, -100, -4}, false)));
        assertArrayEquals(new double[] {4e9}, run((b, o) -> b.maxPool2d(o[0]), 1,
                new Data(MLOperandDataType.UINT32, new int[] {1, 1, 2, 2}, new double[] {1, 4e9, 3e9, 2}, false)));
        double big = Math.scalb(1.0, 63);
        assertArrayEquals(new double[] {big + 2048}, run((b, o) -> b.maxPool2d(o[0]), 1,
                new Data(MLOperandDataType.UINT64, new int[] {1, 1, 2, 2}, new double[] {big, 1, big + 2048, 0}, false)));
    }

    /** Pooling by its definition over NCHW, only real elements in each window. */
    static double[] poolReference(double[] x, int[] d, int[] win, int[] pad, int[] stride, int[] dil, int outH, int outW,
                                  String kind) {
        double[] out = new double[d[0] * d[1] * outH * outW];
        int o = 0;
        for (int n = 0; n < d[0]; n++)
            for (int c = 0; c < d[1]; c++)
                for (int y = 0; y < outH; y++)
                    for (int z = 0; z < outW; z++) {
                        double s = kind.equals("max") ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        for (int p = 0; p < win[0]; p++)
                            for (int q = 0; q < win[1]; q++) {
                                int iy = y * stride[0] + p * dil[0] - pad[0], iz = z * stride[1] + q * dil[1] - pad[2];
                                if (iy < 0 || iy >= d[2] || iz < 0 || iz >= d[3]) continue;
                                double v = x[((n * d[1] + c) * d[2] + iy) * d[3] + iz];
                                count++;
                                s = switch (kind) {
                                    case "max" -> Math.max(s, v);
                                    case "l2" -> s + v * v;
                                    default -> s + v;
                                };
                            }
                        out[o++] = kind.equals("l2") ? Math.sqrt(s) : kind.equals("avg") ? s / count : s;
                    }
        return out;
    }

    @Test
    void poolingMatchesDefinitionInBothLayouts() {
        Random r = new Random(5);
        int[] d = {2, 3, 7, 8}, win = {3, 2}, pad = {2, 1, 0, 2}, stride = {2, 3}, dil = {2, 1};
        double[] x = random(r, size(d));
        int outH = 1 + (7 - 5 + 3) / 2, outW = 1 + (8 - 2 + 2) / 3; // floor rounding: 3, 3
        for (String kind : new String[] {"avg", "l2", "max"}) {
            double[] expected = poolReference(x, d, win, pad, stride, dil, outH, outW, kind);
            for (MLInputOperandLayout layout : MLInputOperandLayout.values()) {
                String l = layout.specName();
                MLPool2dOptions o = new MLPool2dOptions().withWindowDimensions(win).withPadding(pad).withStrides(stride)
                        .withDilations(dil).withLayout(layout);
                Op op = switch (kind) {
                    case "avg" -> (b, ops) -> b.averagePool2d(ops[0], o);
                    case "l2" -> (b, ops) -> b.l2Pool2d(ops[0], o);
                    default -> (b, ops) -> b.maxPool2d(ops[0], o);
                };
                double[] got = run(op, expected.length, Data.f32(permuteDims(d, "nchw", l), permute(x, d, "nchw", l)));
                assertClose(permute(expected, new int[] {2, 3, outH, outW}, "nchw", l), got, 1e-6);
            }
        }
    }

    @Test
    void hugePaddingAndStrideStayExactAndAllPaddingWindowsAreDefined() {
        // padding-top and stride-height 3000000000: two output rows; the first window lies entirely in the padding
        int big = (int) 3_000_000_000L;
        MLPool2dOptions o = new MLPool2dOptions().withPadding(big, 0, 0, 0).withStrides(big, 1).withWindowDimensions(2, 2);
        Data x = Data.f32(new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
        double[] avg = run((b, ops) -> b.averagePool2d(ops[0], o), 2, x);
        assertArrayEquals(new double[] {Double.NaN, 2.5}, avg); // mean of no elements is undefined
        assertArrayEquals(new double[] {0, Math.sqrt(30)}, run((b, ops) -> b.l2Pool2d(ops[0], o), 2, x), 1e-6);
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, 4}, run((b, ops) -> b.maxPool2d(ops[0], o), 2, x));
    }

    @Test
    void poolingValidationErrorsAreLabelled() {
        // floor/ceil sizes are 4 and 5 here (1 + (5 - 2 + 4) / 2 = 4.5)
        assertTypeError("p1", (b, o) -> b.averagePool2d(o[0], new MLPool2dOptions().withWindowDimensions(2, 2)
                        .withPadding(2, 2, 2, 2).withStrides(2, 2).withOutputSizes(3, 3).withLabel("p1")),
                shapes(FLOAT32, new int[] {1, 2, 5, 5}), "[4, 4]", "[5, 5]");
        assertTypeError("p2", (b, o) -> b.maxPool2d(o[0], new MLPool2dOptions().withWindowDimensions(6, 3).withLabel("p2")),
                shapes(FLOAT32, new int[] {1, 2, 5, 5}), "output height (0)");
        assertTypeError("p3", (b, o) -> b.l2Pool2d(o[0], new MLPool2dOptions().withPadding(-1, -1, 0, 0).withLabel("p3")),
                shapes(FLOAT32, new int[] {1, 3, 5, 5}), "output height", "4294967295");
        assertTypeError("p4", (b, o) -> b.l2Pool2d(o[0], new MLPool2dOptions().withLabel("p4")),
                shapes(MLOperandDataType.UINT8, new int[] {1, 2, 4, 4}), "uint8");
    }

    @Test
    void resampleLinearReproducesTheSpecExample() {
        // the note under resample2d in the spec: a 4x4 input upsampled to 8x8
        double[] in = {0, 1, 2, 3, 0, 1, 2, 3, 12, 13, 14, 15, 12, 13, 14, 15};
        double[] row0 = {0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3};
        double[] rowOffsets = {0, 0, 0, 3, 9, 12, 12, 12};
        double[] expected = new double[64];
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) expected[y * 8 + x] = row0[x] + rowOffsets[y];
        for (MLResample2dOptions o : new MLResample2dOptions[] {new MLResample2dOptions().withSizes(8, 8),
                new MLResample2dOptions().withScales(2, 2)}) {
            double[] got = run((b, ops) -> b.resample2d(ops[0], o.withMode(MLInterpolationMode.LINEAR)), 64,
                    Data.f32(new int[] {1, 1, 4, 4}, in));
            assertClose(expected, got, 1e-7);
        }
    }

    @Test
    void resampleNearestOnHeightAndWidthOfNhwc() {
        double[] got = run((b, o) -> b.resample2d(o[0], new MLResample2dOptions().withScales(2, 2).withAxes(1, 2)), 16,
                Data.f32(new int[] {1, 2, 2, 1}, 1, 2, 3, 4));
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, got);
    }

    @Test
    void resampleWithScalesUsesTheGivenScaleInTheTransform() {
        // scale 0.5 on 5 elements gives 2; coordinates (o + 0.5) / 0.5 - 0.5 = 0.5, 2.5 -> nearest ceil(c - 0.5) = 0, 2
        // (the reference implementation's choice; floor(5 * 0.5) / 5 would give 1 and 3)
        double[] got = run((b, o) -> b.resample2d(o[0], new MLResample2dOptions().withScales(1, 0.5f)), 2,
                Data.f32(new int[] {1, 1, 1, 5}, 10, 11, 12, 13, 14));
        assertArrayEquals(new double[] {10, 12}, got);
    }

    @Test
    void resampleLinearOnIntegersRoundsToNearest() {
        // coordinates -0.25 -> 0, 0.25, 0.75, 1.25 -> 1: 0, 63.75, 191.25, 255
        double[] got = run((b, o) -> b.resample2d(o[0], new MLResample2dOptions().withSizes(1, 4)
                        .withMode(MLInterpolationMode.LINEAR)), 4,
                new Data(MLOperandDataType.UINT8, new int[] {1, 1, 1, 2}, new double[] {0, 255}, false));
        assertArrayEquals(new double[] {0, 64, 191, 255}, got);
    }

    @Test
    void resampleValidationErrorsAreLabelled() {
        assertTypeError("r1", (b, o) -> b.resample2d(o[0], new MLResample2dOptions().withScales(0.02f, 0.8f).withLabel("r1")),
                shapes(FLOAT32, new int[] {1, 1, 2, 4}), "axis 2", "larger scale");
        assertTypeError("r2", (b, o) -> b.resample2d(o[0], new MLResample2dOptions().withAxes(0, 0).withLabel("r2")),
                shapes(FLOAT32, new int[] {1, 1, 2, 4}), "axes");
        assertTypeError("r3", (b, o) -> b.resample2d(o[0], new MLResample2dOptions().withScales(1, -2).withLabel("r3")),
                shapes(FLOAT32, new int[] {1, 1, 2, 4}), "scales[1]");
        assertArrayEquals(new long[] {1, 1, 2, 4}, shapeOf((b, o) -> b.resample2d(o[0], new MLResample2dOptions().withAxes(0, 2)),
                shapes(FLOAT32, new int[] {1, 1, 2, 4})));
    }
}
