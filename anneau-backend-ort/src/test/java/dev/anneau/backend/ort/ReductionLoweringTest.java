package dev.anneau.backend.ort;

import static dev.anneau.backend.ort.Differential.shape;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;

import dev.anneau.backend.ort.Differential.In;
import dev.anneau.webnn.MLArgMinMaxOptions;
import dev.anneau.webnn.MLCumulativeSumOptions;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLReduceOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reduction lowerings against the CPU kernels, for every data type the ort backend claims. */
class ReductionLoweringTest {
    static Differential d;
    static final List<MLOperandDataType> FLOATS = List.of(FLOAT32, FLOAT16);
    static final List<MLOperandDataType> WRAPPING = List.of(FLOAT32, FLOAT16, INT32, UINT32, INT64, UINT64);
    static final List<MLOperandDataType> ORDERED = List.of(FLOAT32, FLOAT16, INT32, UINT32, INT64, UINT64, INT8, UINT8);

    @BeforeAll
    static void open() { d = new Differential(); }

    @AfterAll
    static void close() { d.close(); }

    @AfterEach
    void noMismatches() { d.assertNoFailures(); }

    interface Reduce { MLOperand apply(MLGraphBuilder b, MLOperand x, MLReduceOptions o); }

    static final int[][] AXES = {null, {}, {0}, {1}, {2}, {0, 2}, {2, 1}, {0, 1, 2}};

    /**
     * Float inputs are positive without {@code edges}: ORT accumulates in float32 and the CPU
     * backend in double, so sums that cancel would differ by far more than a few ULP.
     */
    void reduce(String name, Reduce f, List<MLOperandDataType> types, int ulp, boolean edges) {
        for (MLOperandDataType t : types) {
            for (int[] axes : AXES) {
                for (boolean keep : new boolean[] {false, true}) {
                    MLReduceOptions o = new MLReduceOptions(axes, keep, null);
                    d.check(name + " " + t + " axes " + java.util.Arrays.toString(axes) + " keep " + keep, ulp,
                            (b, in) -> f.apply(b, in.get("x"), o), input(t, shape(3, 4, 5), edges));
                }
            }
            d.check(name + " " + t + " 0-D", ulp, (b, in) -> f.apply(b, in.get("x"), null), input(t, shape(), edges));
        }
    }

    static In input(MLOperandDataType t, int[] shape, boolean edges) {
        In x = d.random("x", t, shape, edges);
        if (!t.isFloatingPoint() || edges) return x;
        double[] v = x.floats().clone();
        for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]) / 4 + 0.5;
        return In.floats("x", t, shape, v);
    }

    /** Up to 60 elements are reduced: float32 accumulation may be that many half-ULPs off the double result (WPT allows N ULP). */
    @Test
    void sums() {
        reduce("reduceSum", MLGraphBuilder::reduceSum, WRAPPING, 60, false);
        reduce("reduceL1", MLGraphBuilder::reduceL1, WRAPPING, 60, false);
        reduce("reduceSumSquare", MLGraphBuilder::reduceSumSquare, WRAPPING, 60, false);
        reduce("reduceProduct", MLGraphBuilder::reduceProduct, WRAPPING, 60, false);
        reduce("reduceMean", MLGraphBuilder::reduceMean, FLOATS, 60, false);
        reduce("reduceL2", MLGraphBuilder::reduceL2, FLOATS, 60, false);
        reduce("reduceLogSum", MLGraphBuilder::reduceLogSum, FLOATS, 60, false);
        reduce("reduceLogSumExp", MLGraphBuilder::reduceLogSumExp, FLOATS, 60, false);
    }

    @Test
    void integerSumsWrap() {
        // edge values (MIN, MAX, -1 ...) make every integer reduction overflow somewhere
        reduce("reduceSum", MLGraphBuilder::reduceSum, List.of(INT32, UINT32, INT64, UINT64), 0, true);
        reduce("reduceL1", MLGraphBuilder::reduceL1, List.of(INT32, UINT32, INT64, UINT64), 0, true);
        reduce("reduceSumSquare", MLGraphBuilder::reduceSumSquare, List.of(INT32, UINT32, INT64, UINT64), 0, true);
        reduce("reduceProduct", MLGraphBuilder::reduceProduct, List.of(INT32, UINT32, INT64, UINT64), 0, true);
    }

    @Test
    void floatExtremesPropagateNaN() {
        d.check("reduceMax NaN", 0, (b, in) -> b.reduceMax(in.get("x"), new MLReduceOptions().withAxes(1)),
                In.floats("x", FLOAT32, shape(3, 3), 1, Double.NaN, 2, Double.NaN, 1, 0, 5, 7, Double.POSITIVE_INFINITY));
        d.check("reduceMin NaN", 0, (b, in) -> b.reduceMin(in.get("x"), new MLReduceOptions().withAxes(0)),
                In.floats("x", FLOAT16, shape(3, 3), 1, Double.NaN, 2, Double.NaN, 1, 0, 5, 7, Double.NEGATIVE_INFINITY));
    }

    @Test
    void extremes() {
        reduce("reduceMax", MLGraphBuilder::reduceMax, ORDERED, 0, true);
        reduce("reduceMin", MLGraphBuilder::reduceMin, ORDERED, 0, true);
    }

    @Test
    void logSumExpOfLargeValuesDoesNotOverflow() {
        d.check("reduceLogSumExp large", 4, (b, in) -> b.reduceLogSumExp(in.get("x"), new MLReduceOptions().withAxes(1)),
                In.floats("x", FLOAT32, shape(2, 3), 100, 101, 102, -100, -101, -1e5));
    }

    @Test
    void argMinMax() {
        for (MLOperandDataType t : ORDERED) {
            for (int axis = 0; axis < 3; axis++) {
                for (boolean keep : new boolean[] {false, true}) {
                    for (MLOperandDataType out : List.of(INT32, INT64)) {
                        MLArgMinMaxOptions o = new MLArgMinMaxOptions(keep, out, null);
                        int ax = axis;
                        // few distinct values: ties must go to the first index
                        In x = t.isFloatingPoint() ? d.random("x", t, shape(3, 4, 5), true)
                                : In.ints("x", t, shape(3, 4, 5), d.randomInts(t, 60, true));
                        d.check("argMin " + t + " axis " + axis + " keep " + keep + " " + out, 0,
                                (b, in) -> b.argMin(in.get("x"), ax, o), x);
                        d.check("argMax " + t + " axis " + axis + " keep " + keep + " " + out, 0,
                                (b, in) -> b.argMax(in.get("x"), ax, o), x);
                    }
                }
            }
        }
        d.check("argMax ties", 0, (b, in) -> b.argMax(in.get("x"), 1),
                In.floats("x", FLOAT32, shape(3, 4), 1, 3, 3, 2, 5, 5, 5, 5, 1, Double.NaN, 7, Double.NaN));
        d.check("argMin ties", 0, (b, in) -> b.argMin(in.get("x"), 1),
                In.floats("x", FLOAT32, shape(3, 4), 3, 1, 1, 2, Double.NaN, 5, 5, 5, -1, -1, Double.NaN, -7));
    }

    @Test
    void cumulativeSum() {
        for (MLOperandDataType t : WRAPPING) {
            for (int axis = 0; axis < 3; axis++) {
                for (boolean exclusive : new boolean[] {false, true}) {
                    for (boolean reversed : new boolean[] {false, true}) {
                        MLCumulativeSumOptions o = new MLCumulativeSumOptions(exclusive, reversed, null);
                        int ax = axis;
                        d.check("cumulativeSum " + t + " axis " + axis + " exclusive " + exclusive + " reversed " + reversed,
                                t == FLOAT16 ? 1 : 4, (b, in) -> b.cumulativeSum(in.get("x"), ax, o),
                                input(t, shape(3, 4, 5), !t.isFloatingPoint()));
                    }
                }
            }
        }
    }
}
