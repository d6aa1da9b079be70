package dev.anneau.backend.ort;

import static dev.anneau.backend.ort.Differential.shape;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;

import dev.anneau.backend.ort.Differential.In;
import dev.anneau.webnn.MLBatchNormalizationOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLInstanceNormalizationOptions;
import dev.anneau.webnn.MLLayerNormalizationOptions;
import dev.anneau.webnn.MLOperandDataType;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The normalization lowerings against the CPU kernels (float32 and float16, every layout and axis choice). */
class NormalizationLoweringTest {
    static Differential d;
    static final List<MLOperandDataType> FLOATS = List.of(FLOAT32, FLOAT16);

    @BeforeAll
    static void open() { d = new Differential(); }

    @AfterAll
    static void close() { d.close(); }

    @AfterEach
    void noMismatches() { d.assertNoFailures(); }

    /**
     * float32 statistics against double ones: a few ULP, or 1e-4 absolute where a normalized value
     * times a scale of up to 10 and a bias cancel, or where a group of two close values has a
     * variance near epsilon (float32 rounding of x - mean is then amplified); float16 rounds once
     * from float32. Lowering mistakes (axes, layouts, scale order) give errors of order 1.
     */
    static int ulp(MLOperandDataType t) { return t == FLOAT16 ? 1 : 4; }

    static final double ATOL = 1e-4;

    static In positive(In x) {
        double[] v = x.floats().clone();
        for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]) + 0.1;
        return In.floats(x.name(), x.type(), x.shape(), v);
    }

    @Test
    void batchNormalization() {
        int[] dims = {2, 3, 4, 5};
        for (MLOperandDataType t : FLOATS) {
            for (int axis = 0; axis < 4; axis++) {
                int c = dims[axis];
                for (int mask = 0; mask < 4; mask++) {
                    boolean withScale = (mask & 1) != 0, withBias = (mask & 2) != 0;
                    int ax = axis;
                    In[] in = {d.random("x", t, dims, false), d.random("mean", t, shape(c), false).asConstant(),
                            positive(d.random("var", t, shape(c), false)).asConstant(), d.random("scale", t, shape(c), false),
                            d.random("bias", t, shape(c), false)};
                    d.check("batchNormalization " + t + " axis " + axis + " scale " + withScale + " bias " + withBias,
                            ulp(t), ATOL, (b, m) -> b.batchNormalization(m.get("x"), m.get("mean"), m.get("var"),
                                    new MLBatchNormalizationOptions(withScale ? m.get("scale") : null,
                                            withBias ? m.get("bias") : null, ax, 1e-3, null)), in);
                }
            }
            // rank 1 and the default options
            d.check("batchNormalization " + t + " rank 1", ulp(t), ATOL, (b, m) -> b.batchNormalization(m.get("x"), m.get("mean"),
                    m.get("var"), new MLBatchNormalizationOptions().withAxis(0)), d.random("x", t, shape(6), false),
                    d.random("mean", t, shape(6), false), positive(d.random("var", t, shape(6), false)));
            d.check("batchNormalization " + t + " defaults", ulp(t), ATOL, (b, m) -> b.batchNormalization(m.get("x"), m.get("mean"),
                    m.get("var")), d.random("x", t, shape(2, 3, 2), false),
                    d.random("mean", t, shape(3), false), positive(d.random("var", t, shape(3), false)));
        }
    }

    @Test
    void instanceNormalization() {
        for (MLOperandDataType t : FLOATS) {
            for (MLInputOperandLayout layout : MLInputOperandLayout.values()) {
                int[] dims = layout == MLInputOperandLayout.NHWC ? shape(2, 4, 5, 3) : shape(2, 3, 4, 5);
                for (int mask = 0; mask < 4; mask++) {
                    boolean withScale = (mask & 1) != 0, withBias = (mask & 2) != 0;
                    d.check("instanceNormalization " + t + " " + layout + " scale " + withScale + " bias " + withBias,
                            ulp(t), ATOL, (b, m) -> b.instanceNormalization(m.get("x"), new MLInstanceNormalizationOptions(
                                    withScale ? m.get("scale") : null, withBias ? m.get("bias") : null, 1e-4, layout, null)),
                            d.random("x", t, dims, false), d.random("scale", t, shape(3), false),
                            d.random("bias", t, shape(3), false).asConstant());
                }
            }
        }
    }

    /**
     * Groups whose mean dwarfs their spread: the double decomposition (layerNormalization over
     * leading axes) matches the CPU backend; ORT's own LayerNormalization/InstanceNormalization keep
     * float32 statistics and are only asked to stay within 5e-3 (a one-pass E[x^2] - E[x]^2 in
     * float32 would be off by far more, or NaN).
     */
    @Test
    void largeMeanSmallSpread() {
        double[] v = new double[40];
        for (int i = 0; i < v.length; i++) v[i] = 1000 + (i % 7) * 0.01;
        double[] w = new double[40];
        for (int i = 0; i < w.length; i++) w[i] = 10000 + (i % 7) * 0.5;
        for (double[] x : new double[][] {v, w}) {
            d.check("layerNormalization large mean, leading axis", 1,
                    (b, m) -> b.layerNormalization(m.get("x"), new MLLayerNormalizationOptions().withAxes(0)),
                    In.floats("x", FLOAT32, shape(2, 20), x));
            d.check("layerNormalization large mean, trailing axis", 4, 5e-3,
                    (b, m) -> b.layerNormalization(m.get("x"), new MLLayerNormalizationOptions().withAxes(1)),
                    In.floats("x", FLOAT32, shape(2, 20), x));
            d.check("layerNormalization large mean, default axes", 4, 5e-3, (b, m) -> b.layerNormalization(m.get("x")),
                    In.floats("x", FLOAT32, shape(1, 2, 4, 5), x));
            d.check("instanceNormalization large mean", 4, 5e-3, (b, m) -> b.instanceNormalization(m.get("x")),
                    In.floats("x", FLOAT32, shape(1, 2, 4, 5), x));
            d.check("batchNormalization large mean", 4, (b, m) -> b.batchNormalization(m.get("x"), m.get("mean"), m.get("var")),
                    In.floats("x", FLOAT32, shape(1, 2, 4, 5), x), In.floats("mean", FLOAT32, shape(2), x[0], x[0]),
                    In.floats("var", FLOAT32, shape(2), 1e-3, 2e-3));
        }
    }

    @Test
    void layerNormalization() {
        int[] dims = {2, 3, 4, 5};
        int[][] axesList = {null, {}, {3}, {2, 3}, {3, 2}, {1, 2, 3}, {3, 1, 2}, {0}, {1}, {0, 2}, {2, 0}, {1, 3}, {0, 1, 2, 3}};
        for (MLOperandDataType t : FLOATS) {
            for (int[] axes : axesList) {
                int[] sdims = axes == null ? shape(3, 4, 5) : new int[axes.length];
                if (axes != null) for (int i = 0; i < axes.length; i++) sdims[i] = dims[axes[i]];
                for (int mask = 0; mask < 4; mask++) {
                    boolean withScale = (mask & 1) != 0, withBias = (mask & 2) != 0;
                    d.check("layerNormalization " + t + " axes " + java.util.Arrays.toString(axes) + " scale " + withScale
                                    + " bias " + withBias, ulp(t), ATOL,
                            (b, m) -> b.layerNormalization(m.get("x"), new MLLayerNormalizationOptions(
                                    withScale ? m.get("scale") : null, withBias ? m.get("bias") : null, axes, null, null)),
                            d.random("x", t, dims, false), d.random("scale", t, sdims, false).asConstant(),
                            d.random("bias", t, sdims, false));
                }
            }
            d.check("layerNormalization " + t + " 0-D", ulp(t), ATOL, (b, m) -> b.layerNormalization(m.get("x")),
                    d.random("x", t, shape(), false));
        }
    }
}
