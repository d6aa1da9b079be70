package dev.anneau.backend.cpu;

import static dev.anneau.backend.cpu.ConvPoolMatrixSupport.*;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.anneau.webnn.MLConv2dFilterOperandLayout;
import dev.anneau.webnn.MLConv2dOptions;
import dev.anneau.webnn.MLConvTranspose2dFilterOperandLayout;
import dev.anneau.webnn.MLConvTranspose2dOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLOperand;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * conv2d and convTranspose2d against a direct evaluation of their definitions (a sum over the
 * window, written naively in double in NCHW/OIHW), over every layout, groups, strides,
 * dilations, asymmetric padding and bias, with constant and non-constant filters.
 */
class ConvolutionKernelsTest {

    /** conv2d by its definition; x NCHW, w OIHW (per-group input channels). */
    static double[] conv2dReference(double[] x, int[] xd, double[] w, int[] wd, double[] bias, int groups,
                                    int[] pad, int[] stride, int[] dil, int outH, int outW) {
        int n = xd[0], c = xd[1], h = xd[2], wi = xd[3], oc = wd[0], cg = wd[1], kh = wd[2], kw = wd[3];
        int og = oc / groups;
        double[] out = new double[n * oc * outH * outW];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < oc; o++)
                for (int y = 0; y < outH; y++)
                    for (int z = 0; z < outW; z++) {
                        double s = bias == null ? 0 : bias[o];
                        int g = o / og;
                        for (int i = 0; i < cg; i++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++) {
                                    int iy = y * stride[0] + p * dil[0] - pad[0], iz = z * stride[1] + q * dil[1] - pad[2];
                                    if (iy < 0 || iy >= h || iz < 0 || iz >= wi) continue;
                                    s += x[((b * c + g * cg + i) * h + iy) * wi + iz] * w[((o * cg + i) * kh + p) * kw + q];
                                }
                        out[((b * oc + o) * outH + y) * outW + z] = s;
                    }
        return out;
    }

    /** convTranspose2d by its definition (each input element scatters filter * value); w IOHW (per-group output channels). */
    static double[] convTransposeReference(double[] x, int[] xd, double[] w, int[] wd, double[] bias, int groups,
                                           int[] pad, int[] stride, int[] dil, int outH, int outW) {
        int n = xd[0], c = xd[1], h = xd[2], wi = xd[3], og = wd[1], kh = wd[2], kw = wd[3];
        int oc = og * groups, cg = c / groups;
        double[] out = new double[n * oc * outH * outW];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < c; i++)
                for (int y = 0; y < h; y++)
                    for (int z = 0; z < wi; z++)
                        for (int o = 0; o < og; o++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++) {
                                    int oy = y * stride[0] + p * dil[0] - pad[0], oz = z * stride[1] + q * dil[1] - pad[2];
                                    if (oy < 0 || oy >= outH || oz < 0 || oz >= outW) continue;
                                    int go = (i / cg) * og + o;
                                    out[((b * oc + go) * outH + oy) * outW + oz] +=
                                            x[((b * c + i) * h + y) * wi + z] * w[((i * og + o) * kh + p) * kw + q];
                                }
        if (bias != null) {
            for (int k = 0; k < out.length; k++) out[k] += bias[(k / (outH * outW)) % oc];
        }
        return out;
    }

    @Test
    void conv2dSmallExampleByHand() {
        // 3x3 input 1..9, 2x2 filter [1, 2, 3, 4], no padding: out(0,0) = 1*1 + 2*2 + 4*3 + 5*4 = 37
        double[] y = run((b, o) -> b.conv2d(o[0], o[1]), 4,
                Data.f32(new int[] {1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                Data.f32(new int[] {1, 1, 2, 2}, 1, 2, 3, 4).asConstant());
        assertArrayEquals(new double[] {37, 47, 67, 77}, y);
    }

    @ParameterizedTest
    @EnumSource(MLConv2dFilterOperandLayout.class)
    void conv2dMatchesDefinitionForEveryLayout(MLConv2dFilterOperandLayout filterLayout) {
        Random r = new Random(7 + filterLayout.ordinal());
        int[] xd = {2, 4, 7, 6}, wd = {6, 2, 3, 2}; // groups 2: 4 input channels, 6 output channels
        int groups = 2;
        int[] pad = {1, 0, 2, 1}, stride = {2, 1}, dil = {1, 2};
        double[] x = random(r, size(xd)), w = random(r, size(wd)), bias = random(r, 6);
        int outH = 1 + (7 - 3 + 1) / 2, outW = 1 + (6 - 3 + 3) / 1;
        double[] expected = conv2dReference(x, xd, w, wd, bias, groups, pad, stride, dil, outH, outW);
        String fl = filterLayout.specName();
        double[] wl = permute(w, wd, "oihw", fl);
        int[] wld = permuteDims(wd, "oihw", fl);
        for (MLInputOperandLayout il : MLInputOperandLayout.values()) {
            String ils = il.specName();
            double[] xl = permute(x, xd, "nchw", ils);
            int[] xld = permuteDims(xd, "nchw", ils);
            MLConv2dOptions options = new MLConv2dOptions().withPadding(pad).withStrides(stride).withDilations(dil)
                    .withGroups(groups).withInputLayout(il).withFilterLayout(filterLayout);
            Op op = (b, o) -> b.conv2d(o[0], o[1], options.withBias(o[2]));
            int[] outDims = {2, 6, outH, outW};
            double[] want = permute(expected, outDims, "nchw", ils);
            for (boolean constant : new boolean[] {true, false}) {
                Data filter = Data.f32(wld, wl);
                double[] got = run(op, want.length, Data.f32(xld, xl),
                        constant ? filter.asConstant() : filter, Data.f32(new int[] {6}, bias).asConstant());
                assertClose(want, got, 1e-6);
            }
        }
    }

    @Test
    void depthwiseConv2dNhwcIhwo() {
        Random r = new Random(3);
        int[] xd = {1, 3, 5, 5}, wd = {3, 1, 3, 3};
        double[] x = random(r, size(xd)), w = random(r, size(wd));
        double[] expected = conv2dReference(x, xd, w, wd, null, 3, new int[] {1, 1, 1, 1}, new int[] {1, 1},
                new int[] {1, 1}, 5, 5);
        MLConv2dOptions options = new MLConv2dOptions().withGroups(3).withPadding(1, 1, 1, 1)
                .withInputLayout(MLInputOperandLayout.NHWC).withFilterLayout(MLConv2dFilterOperandLayout.IHWO);
        double[] got = run((b, o) -> b.conv2d(o[0], o[1], options), 75,
                Data.f32(permuteDims(xd, "nchw", "nhwc"), permute(x, xd, "nchw", "nhwc")),
                Data.f32(permuteDims(wd, "oihw", "ihwo"), permute(w, wd, "oihw", "ihwo")).asConstant());
        assertClose(permute(expected, new int[] {1, 3, 5, 5}, "nchw", "nhwc"), got, 1e-6);
    }

    @Test
    void conv2dFloat16RoundsOnceFromTheExactSum() {
        Random r = new Random(11);
        int[] xd = {1, 8, 4, 4}, wd = {2, 8, 3, 3};
        double[] x = halves(random(r, size(xd))), w = halves(random(r, size(wd)));
        double[] expected = conv2dReference(x, xd, w, wd, null, 1, new int[] {1, 1, 1, 1}, new int[] {1, 1},
                new int[] {1, 1}, 4, 4);
        double[] got = run((b, o) -> b.conv2d(o[0], o[1], new MLConv2dOptions().withPadding(1, 1, 1, 1)), 32,
                new Data(FLOAT16, xd, x, false), new Data(FLOAT16, wd, w, false));
        for (int i = 0; i < got.length; i++) {
            // the result may differ from the rounded exact sum by at most one float16 ulp (summation order)
            float want = Float.float16ToFloat(Float.floatToFloat16((float) expected[i]));
            double halfUlp = Math.ulp(want) * 8192;
            assertArrayEquals(new double[] {want}, new double[] {got[i]}, halfUlp, "element " + i);
        }
    }

    @Test
    void convTranspose2dSmallExampleByHand() {
        // stride 2, 2x2 filter of ones: each input value fills its own 2x2 output block
        double[] y = run((b, o) -> b.convTranspose2d(o[0], o[1], new MLConvTranspose2dOptions().withStrides(2, 2)),
                16, Data.f32(new int[] {1, 1, 2, 2}, 1, 2, 3, 4), Data.f32(new int[] {1, 1, 2, 2}, 1, 1, 1, 1).asConstant());
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y);
    }

    @ParameterizedTest
    @EnumSource(MLConvTranspose2dFilterOperandLayout.class)
    void convTranspose2dMatchesDefinitionForEveryLayout(MLConvTranspose2dFilterOperandLayout filterLayout) {
        Random r = new Random(17 + filterLayout.ordinal());
        int[] xd = {2, 4, 3, 4}, wd = {4, 3, 3, 2}; // iohw: 4 input channels, 3 outputs per group, groups 2
        int groups = 2;
        int[] pad = {1, 2, 0, 1}, stride = {2, 3}, dil = {2, 1};
        double[] x = random(r, size(xd)), w = random(r, size(wd)), bias = random(r, 6);
        // computed: (3-1)*2 + (3-1)*2+1 - 3 = 6; (4-1)*3 + 2 - 1 = 10; outputSizes one more in each
        int outH = 7, outW = 11;
        double[] expected = convTransposeReference(x, xd, w, wd, bias, groups, pad, stride, dil, outH, outW);
        String fl = filterLayout.specName();
        double[] wl = permute(w, wd, "iohw", fl);
        int[] wld = permuteDims(wd, "iohw", fl);
        for (MLInputOperandLayout il : MLInputOperandLayout.values()) {
            String ils = il.specName();
            MLConvTranspose2dOptions options = new MLConvTranspose2dOptions().withPadding(pad).withStrides(stride)
                    .withDilations(dil).withGroups(groups).withInputLayout(il).withFilterLayout(filterLayout)
                    .withOutputSizes(outH, outW);
            double[] want = permute(expected, new int[] {2, 6, outH, outW}, "nchw", ils);
            for (boolean constant : new boolean[] {true, false}) {
                Data filter = Data.f32(wld, wl);
                double[] got = run((b, o) -> b.convTranspose2d(o[0], o[1], options.withBias(o[2])), want.length,
                        Data.f32(permuteDims(xd, "nchw", ils), permute(x, xd, "nchw", ils)),
                        constant ? filter.asConstant() : filter, Data.f32(new int[] {6}, bias));
                assertClose(want, got, 1e-6);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void convTranspose2dOutputPaddingAddsRowsThatOnlyHoldTheBias(int outputPadding) {
        long[] shape = shapeOf((b, o) -> b.convTranspose2d(o[0], o[1],
                        new MLConvTranspose2dOptions().withStrides(2, 2).withOutputPadding(outputPadding, outputPadding)),
                Data.f32(new int[] {1, 1, 2, 2}), Data.f32(new int[] {1, 1, 3, 3}));
        assertArrayEquals(new long[] {1, 1, 5 + outputPadding, 5 + outputPadding}, shape);
        double[] y = run((b, o) -> b.convTranspose2d(o[0], o[1], new MLConvTranspose2dOptions().withStrides(2, 2)
                        .withOutputPadding(outputPadding, outputPadding).withBias(o[2])), (5 + outputPadding) * (5 + outputPadding),
                Data.f32(new int[] {1, 1, 2, 2}, 1, 1, 1, 1), Data.f32(new int[] {1, 1, 3, 3}, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                Data.f32(new int[] {1}, 0.5));
        int side = 5 + outputPadding;
        // corner (0,0) receives one tap; the centre (2,2) four; the padded last row only the bias
        assertArrayEquals(new double[] {1.5, 4.5}, new double[] {y[0], y[2 * side + 2]});
        if (outputPadding == 1) assertArrayEquals(new double[] {0.5, 0.5}, new double[] {y[5 * side], y[5 * side + 5]});
    }

    @Test
    void conv2dStrideBeyondIntRangeIsUnsignedAndDoesNotWrap() {
        // stride 3000000000 (the int -1294967296 read as unsigned long): one output row, the first input row
        int stride = (int) 3_000_000_000L;
        double[] y = run((b, o) -> b.conv2d(o[0], o[1], new MLConv2dOptions().withStrides(stride, 1)), 5,
                Data.f32(new int[] {1, 1, 5, 5}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                        21, 22, 23, 24), Data.f32(new int[] {1, 1, 1, 1}, 2).asConstant());
        assertArrayEquals(new double[] {0, 2, 4, 6, 8}, y);
    }

    @Test
    void conv2dValidationErrorsAreLabelledAndExplain() {
        Op tooBigFilter = (b, o) -> b.conv2d(o[0], o[1],
                new MLConv2dOptions().withDilations(4, 1).withPadding(1, 1, 1, 1).withStrides(2, 2).withLabel("c1"));
        assertTypeError("c1", tooBigFilter, shapes(FLOAT32, new int[] {1, 1, 5, 5}, new int[] {1, 1, 4, 2}),
                "output height");
        // 4294967295 arrives as the int -1 (WebIDL unsigned long): must be an overflow error, not a wrap
        assertTypeError("c2", (b, o) -> b.conv2d(o[0], o[1], new MLConv2dOptions().withDilations(-1, 1).withLabel("c2")),
                shapes(FLOAT32, new int[] {1, 1, 5, 5}, new int[] {1, 1, 3, 3}), "4294967295");
        assertTypeError("c3", (b, o) -> b.conv2d(o[0], o[1], new MLConv2dOptions().withGroups(2).withLabel("c3")),
                shapes(FLOAT32, new int[] {1, 4, 5, 5}, new int[] {1, 1, 2, 2}), "input channels / groups", "[1, 1, 2, 2]");
        assertTypeError("c4", (b, o) -> b.conv2d(o[0], o[1],
                        new MLConv2dOptions().withFilterLayout(MLConv2dFilterOperandLayout.HWIO).withBias(o[2]).withLabel("c4")),
                shapes(FLOAT32, new int[] {1, 1, 5, 5}, new int[] {2, 2, 1, 1}, new int[] {2}), "bias", "[1]");
        assertTypeError("c5", (b, o) -> b.conv2d(o[0], o[1], new MLConv2dOptions().withStrides(0, 1).withLabel("c5")),
                shapes(FLOAT32, new int[] {1, 1, 5, 5}, new int[] {1, 1, 2, 2}), "strides[0]");
        assertTypeError("c6", (b, o) -> b.conv2d(o[0], o[1], new MLConv2dOptions().withPadding(1, 1).withLabel("c6")),
                shapes(FLOAT32, new int[] {1, 1, 5, 5}, new int[] {1, 1, 2, 2}), "padding must have 4 values");
    }

    @Test
    void convTranspose2dValidationErrorsAreLabelledAndExplain() {
        assertTypeError("t1", (b, o) -> b.convTranspose2d(o[0], o[1],
                        new MLConvTranspose2dOptions().withStrides(2, 2).withOutputPadding(0, 2).withLabel("t1")),
                shapes(FLOAT32, new int[] {1, 1, 2, 2}, new int[] {1, 1, 3, 3}), "outputPadding", "smaller than strides");
        // computed 5x5 with stride 2: valid outputSizes are 5 and 6
        assertTypeError("t2", (b, o) -> b.convTranspose2d(o[0], o[1],
                        new MLConvTranspose2dOptions().withPadding(1, 1, 1, 1).withStrides(2, 2).withOutputSizes(7, 5).withLabel("t2")),
                shapes(FLOAT32, new int[] {1, 1, 3, 3}, new int[] {1, 1, 3, 3}), "outputSizes[0] (7)", "[5, 7)");
        assertTypeError("t3", (b, o) -> b.convTranspose2d(o[0], o[1],
                        new MLConvTranspose2dOptions().withGroups(-1).withLabel("t3")),
                shapes(FLOAT32, new int[] {1, 4, 5, 5}, new int[] {4, 2, 2, 2}), "output channels");
        assertTypeError("t4", (b, o) -> b.convTranspose2d(o[0], o[1],
                        new MLConvTranspose2dOptions().withPadding(4, 4, 0, 0).withStrides(2, 2).withLabel("t4")),
                shapes(FLOAT32, new int[] {1, 1, 2, 2}, new int[] {1, 1, 3, 3}), "output height");
    }

    private static double[] halves(double[] v) {
        double[] h = new double[v.length];
        for (int i = 0; i < v.length; i++) h[i] = Float.float16ToFloat(Float.floatToFloat16((float) v[i]));
        return h;
    }
}
