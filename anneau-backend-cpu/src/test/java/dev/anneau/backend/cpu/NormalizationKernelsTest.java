package dev.anneau.backend.cpu;

import static dev.anneau.backend.cpu.ReductionTestSupport.*;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anneau.webnn.MLBatchNormalizationOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLInstanceNormalizationOptions;
import dev.anneau.webnn.MLLayerNormalizationOptions;
import org.junit.jupiter.api.Test;

/** batchNormalization, instanceNormalization and layerNormalization: cases the WPT graph tests do not pin down. */
class NormalizationKernelsTest {

    // ------------------------------------------------------------------ batchNormalization

    @Test
    void batchNormalizationOnAnyAxis() {
        // shape [2, 3], axis 0: row r uses mean[r], variance[r], scale[r], bias[r]; epsilon 0
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] y = runF32(b -> b.batchNormalization(f32(b, shape(2, 3), x), f32(b, shape(2), 2, 5),
                f32(b, shape(2), 4, 16), new MLBatchNormalizationOptions().withAxis(0).withEpsilon(0.0)
                        .withScale(f32(b, shape(2), 2, 8)).withBias(f32(b, shape(2), 1, -1))));
        // row 0: 2 * (x - 2) / 2 + 1 = x - 1; row 1: 8 * (x - 5) / 4 - 1 = 2x - 11
        assertArrayEquals(new float[] {0, 1, 2, -3, -1, 1}, y);
    }

    @Test
    void batchNormalizationValidation() {
        assertTypeError("bn", b -> b.batchNormalization(f32(b, shape(1, 2, 5, 5), new float[50]), f32(b, shape(3), 0, 0, 0),
                f32(b, shape(2), 1, 1), new MLBatchNormalizationOptions().withLabel("bn")), "mean", "[2]", "[3]");
        assertTypeError("bn", b -> b.batchNormalization(f32(b, shape(1, 2, 5, 5), new float[50]), f32(b, shape(5), new float[5]),
                f32(b, shape(5), new float[5]), new MLBatchNormalizationOptions().withAxis(4).withLabel("bn")), "axis (4)");
        assertTypeError("bn", b -> b.batchNormalization(f32(b, shape(1, 2, 5, 5), new float[50]), f32(b, shape(2), 0, 0),
                f32(b, shape(2, 1), 1, 1), new MLBatchNormalizationOptions().withLabel("bn")), "variance");
        assertTypeError("bn", b -> b.batchNormalization(f16(b, shape(1, 2, 5, 5), new float[50]), f16(b, shape(2), 0, 0),
                f16(b, shape(2), 1, 1), new MLBatchNormalizationOptions().withScale(f32(b, shape(2), 1, 1)).withLabel("bn")),
                "scale", "float32");
        assertTypeError("bn", b -> b.batchNormalization(f32(b, shape(1, 2, 5, 5), new float[50]), f32(b, shape(5), new float[5]),
                f32(b, shape(5), new float[5]), new MLBatchNormalizationOptions().withAxis(2).withBias(f32(b, shape(2), 1, 1))
                        .withLabel("bn")), "bias", "[5]");
    }

    // ------------------------------------------------------------------ instanceNormalization

    @Test
    void instanceNormalizationNhwcMatchesNchw() {
        // N=1, C=2, H=2, W=3 in nchw; the same data transposed to nhwc must give the transposed result
        float[] nchw = {1, 4, 2, 8, 5, 7, -3, 0, 9, 2, 2, 6};
        float[] nhwc = new float[12];
        for (int c = 0; c < 2; c++) for (int h = 0; h < 2; h++) for (int w = 0; w < 3; w++) nhwc[(h * 3 + w) * 2 + c] = nchw[c * 6 + h * 3 + w];
        float[] a = runF32(b -> b.instanceNormalization(f32(b, shape(1, 2, 2, 3), nchw),
                new MLInstanceNormalizationOptions().withScale(f32(b, shape(2), 2, 3)).withBias(f32(b, shape(2), 1, -1))));
        float[] c = runF32(b -> b.instanceNormalization(f32(b, shape(1, 2, 3, 2), nhwc),
                new MLInstanceNormalizationOptions().withLayout(MLInputOperandLayout.NHWC)
                        .withScale(f32(b, shape(2), 2, 3)).withBias(f32(b, shape(2), 1, -1))));
        for (int ch = 0; ch < 2; ch++) {
            for (int s = 0; s < 6; s++) assertEquals(a[ch * 6 + s], c[s * 2 + ch], 0f);
        }
        // each channel of the result has mean = bias and, with epsilon tiny against the variance, stddev ≈ scale
        for (int ch = 0; ch < 2; ch++) {
            double m = 0, v = 0;
            for (int s = 0; s < 6; s++) m += a[ch * 6 + s];
            m /= 6;
            for (int s = 0; s < 6; s++) v += (a[ch * 6 + s] - m) * (a[ch * 6 + s] - m);
            assertEquals(ch == 0 ? 1 : -1, m, 1e-5);
            assertEquals(ch == 0 ? 2 : 3, Math.sqrt(v / 6), 1e-4);
        }
    }

    @Test
    void instanceNormalizationValidation() {
        assertTypeError("in", b -> b.instanceNormalization(f32(b, shape(1, 2, 5, 5), new float[50]),
                new MLInstanceNormalizationOptions().withLayout(MLInputOperandLayout.NHWC).withScale(f32(b, shape(2), 1, 1))
                        .withLabel("in")), "scale", "[5]", "nhwc");
        assertTypeError("in", b -> b.instanceNormalization(f32(b, shape(1, 2, 5), new float[10]),
                new MLInstanceNormalizationOptions().withLabel("in")), "input", "rank");
    }

    // ------------------------------------------------------------------ layerNormalization

    @Test
    void layerNormalizationScaleFollowsTheAxesOrder() {
        // input [1, 2, 3], axes [2, 1]: scale/bias have shape [3, 2] and scale[j][i] applies to x[0][i][j]
        float[] x = {1, 2, 3, 4, 6, 8};
        float[] scale = {1, 10, 2, 20, 3, 30};
        float[] bias = {0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f};
        float[] y = runF32(b -> b.layerNormalization(f32(b, shape(1, 2, 3), x), new MLLayerNormalizationOptions()
                .withAxes(2, 1).withEpsilon(0.0).withScale(f32(b, shape(3, 2), scale)).withBias(f32(b, shape(3, 2), bias))));
        double mean = (1 + 2 + 3 + 4 + 6 + 8) / 6.0;
        double var = 0;
        for (float v : x) var += (v - mean) * (v - mean);
        double sd = Math.sqrt(var / 6);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double expected = (x[i * 3 + j] - mean) / sd * scale[j * 2 + i] + bias[j * 2 + i];
                assertEquals((float) expected, y[i * 3 + j], 1e-5f, "element " + i + "," + j);
            }
        }
    }

    @Test
    void layerNormalizationDefaultAxesSkipTheFirstDimension() {
        // [2, 2]: each row normalized on its own: (a, b) -> (-1, 1) for a < b (epsilon 0)
        float[] y = runF32(b -> b.layerNormalization(f32(b, shape(2, 2), 1, 3, 10, 30),
                new MLLayerNormalizationOptions().withEpsilon(0.0)));
        assertArrayEquals(new float[] {-1, 1, -1, 1}, y);
    }

    @Test
    void layerNormalizationWithoutAxesGivesTheBias() {
        // nothing reduced: every element is its own mean, so the output is the bias (0 without one)
        float[] y = runF32(b -> b.layerNormalization(f32(b, shape(3), 5, -2, 7),
                new MLLayerNormalizationOptions().withAxes()));
        assertArrayEquals(new float[] {0, 0, 0}, y);
        // the default axes of a 1-D input are empty too
        y = runF32(b -> b.layerNormalization(f32(b, shape(3), 5, -2, 7)));
        assertArrayEquals(new float[] {0, 0, 0}, y);
        y = runF32(b -> b.layerNormalization(f32(b, shape(), 5f),
                new MLLayerNormalizationOptions().withBias(f32(b, shape(), 0.25f))));
        assertArrayEquals(new float[] {0.25f}, y);
    }

    @Test
    void layerNormalizationFloat16() {
        float[] y = runF16(b -> b.layerNormalization(f16(b, shape(1, 4), 1, 2, 3, 4)));
        assertShape(build(b -> b.layerNormalization(f16(b, shape(1, 4), 1, 2, 3, 4))), FLOAT16, 1, 4);
        // mean 2.5, variance 1.25: (x - 2.5) / sqrt(1.25 + eps16)
        double sd = Math.sqrt(1.25 + Float.float16ToFloat(Float.floatToFloat16(1e-5f)));
        for (int i = 0; i < 4; i++) assertEquals(Float.float16ToFloat(Float.floatToFloat16((float) ((i + 1 - 2.5) / sd))), y[i]);
    }

    @Test
    void layerNormalizationValidation() {
        assertTypeError("ln", b -> b.layerNormalization(f32(b, shape(1, 2, 3, 4), new float[24]),
                new MLLayerNormalizationOptions().withAxes(1, 2, 4).withLabel("ln")), "axis 4");
        assertTypeError("ln", b -> b.layerNormalization(f32(b, shape(1, 2, 3, 4), new float[24]),
                new MLLayerNormalizationOptions().withAxes(3, 3).withLabel("ln")), "twice");
        assertTypeError("ln", b -> b.layerNormalization(f32(b, shape(1, 2, 3, 4), new float[24]),
                new MLLayerNormalizationOptions().withScale(f32(b, shape(3, 3, 4), new float[36])).withLabel("ln")),
                "scale", "[2, 3, 4]", "[3, 3, 4]");
        assertTypeError("ln", b -> b.layerNormalization(f32(b, shape(1, 2, 3, 4), new float[24]),
                new MLLayerNormalizationOptions().withBias(f32(b, shape(1, 2, 3, 4), new float[24])).withLabel("ln")),
                "bias", "rank must be 3");
        assertTypeError("ln", b -> b.layerNormalization(f32(b, shape(1, 2, 3, 4), new float[24]),
                new MLLayerNormalizationOptions().withAxes(2, 3).withScale(f32(b, shape(3, 4), new float[12]))
                        .withBias(f16(b, shape(3, 4), new float[12])).withLabel("ln")), "bias", "float16");
        assertShape(build(b -> b.layerNormalization(f32(b, shape(1, 2, 3, 4, 5, 6), new float[720]),
                new MLLayerNormalizationOptions().withAxes(5, 4, 3, 2, 1).withScale(f32(b, shape(6, 5, 4, 3, 2), new float[720])))),
                FLOAT32, 1, 2, 3, 4, 5, 6);
    }
}
