package dev.anneau.backend.ort;

import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.anneau.webnn.MLGatherOptions;
import dev.anneau.webnn.MLInputOperandLayout;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPadOptions;
import dev.anneau.webnn.MLPaddingMode;
import dev.anneau.webnn.MLPool2dOptions;
import dev.anneau.webnn.MLReverseOptions;
import dev.anneau.webnn.MLScatterOptions;
import dev.anneau.webnn.MLSliceOptions;
import dev.anneau.webnn.MLSplitOptions;
import dev.anneau.webnn.MLTransposeOptions;
import dev.anneau.webnn.MLTriangularOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape family and where on ort against the cpu backend, for every data type the backend claims. */
class ShapeLoweringTest {
    private static final MLOperandDataType[] TYPES = MLOperandDataType.values();

    /** The eight types of the spec ("any"); 4-bit types are not data-movement types. */
    private static boolean tested(MLOperandDataType t) {
        return t != MLOperandDataType.INT4 && t != MLOperandDataType.UINT4;
    }

    private static double lo(MLOperandDataType t) { return t == UINT8 || t == UINT32 || t == MLOperandDataType.UINT64 ? 0 : -100; }

    @Test
    void dataMovementOperatorsForEveryType() {
        for (MLOperandDataType t : TYPES) {
            if (!tested(t)) continue;
            double lo = lo(t);
            GraphDiff.compare("movement " + t, 0, (b, in) -> {
                MLOperand x = in.input("x", t, lo, 100, 2, 3, 4);
                MLOperand y = in.input("y", t, lo, 100, 2, 1, 4);
                Map<String, MLOperand> m = new HashMap<>();
                m.put("concat", b.concat(List.of(x, y, x), 1));
                m.put("expand", b.expand(y, new long[] {3, 2, 5, 4}));
                m.put("reshape", b.reshape(x, new long[] {4, 6}));
                m.put("reshape0", b.reshape(in.input("s", t, lo, 100, 1, 1), new long[0]));
                m.put("transpose", b.transpose(x, new MLTransposeOptions(new int[] {2, 0, 1}, null)));
                m.put("transposeDefault", b.transpose(x));
                m.put("tile", b.tile(x, new int[] {2, 1, 3}));
                m.put("slice", b.slice(x, new int[] {1, 0, 1}, new int[] {1, 3, 3}));
                m.put("sliceStrided", b.slice(x, new int[] {0, 0, 1}, new int[] {2, 3, 3}, new MLSliceOptions(new int[] {1, 2, 2}, null)));
                MLOperand[] parts = b.split(x, new int[] {1, 3}, new MLSplitOptions(2, null));
                m.put("split0", parts[0]);
                m.put("split1", parts[1]);
                MLOperand[] halves = b.split(x, 2);
                m.put("half0", halves[0]);
                m.put("half1", halves[1]);
                m.put("reverse", b.reverse(x));
                m.put("reverse02", b.reverse(x, new MLReverseOptions(new int[] {2, 0}, null)));
                m.put("reverseNone", b.reverse(x, new MLReverseOptions(new int[0], null)));
                m.put("upper", b.triangular(x));
                m.put("lower-1", b.triangular(x, new MLTriangularOptions(false, -1, null)));
                m.put("upper2", b.triangular(x, new MLTriangularOptions(true, 2, null)));
                m.put("where", b.where(in.input("c", UINT8, 0.0, 3.0, 3, 1), in.input("t", t, lo, 100, 2, 3, 4),
                        in.input("f", t, lo, 100, 4)));
                return m;
            });
        }
    }

    @Test
    void padEveryModeForEveryType() {
        for (MLOperandDataType t : TYPES) {
            if (!tested(t)) continue;
            double lo = lo(t);
            GraphDiff.compare("pad " + t, 0, (b, in) -> {
                MLOperand x = in.input("x", t, lo, 100, 2, 3, 4);
                return Map.of(
                        "constant", b.pad(x, new int[] {1, 0, 2}, new int[] {0, 2, 1}, new MLPadOptions(null, 7, null)),
                        "zero", b.pad(x, new int[] {0, 1, 0}, new int[] {1, 0, 3}),
                        "edge", b.pad(x, new int[] {1, 2, 3}, new int[] {2, 1, 0}, new MLPadOptions(MLPaddingMode.EDGE, null, null)),
                        "reflection", b.pad(x, new int[] {1, 2, 3}, new int[] {0, 1, 2},
                                new MLPadOptions(MLPaddingMode.REFLECTION, null, null)),
                        "none", b.pad(x, new int[3], new int[3]));
            });
        }
    }

    @Test
    void gatherAndScatterClampOutOfRangeIndicesForEveryIndexType() {
        for (MLOperandDataType t : TYPES) {
            if (!tested(t)) continue;
            for (MLOperandDataType it : new MLOperandDataType[] {INT32, UINT32, INT64}) {
                double ilo = it == UINT32 ? 0 : -9;
                double lo = lo(t);
                GraphDiff.compare("gather/scatter " + t + " indices " + it, 0, (b, in) -> {
                    MLOperand x = in.input("x", t, lo, 100, 3, 4, 5);
                    Map<String, MLOperand> m = new HashMap<>();
                    m.put("gather", b.gather(x, in.input("i", it, ilo, 9, 2, 3)));
                    m.put("gather1", b.gather(x, in.input("i1", it, ilo, 9, 4), new MLGatherOptions(1, null)));
                    m.put("gather0d", b.gather(x, in.input("i0", it, ilo, 9), new MLGatherOptions(2, null)));
                    m.put("gatherElements", b.gatherElements(x, in.input("e", it, ilo, 9, 3, 2, 5), new MLGatherOptions(1, null)));
                    m.put("gatherND", b.gatherND(x, in.input("n", it, ilo, 9, 2, 2, 2)));
                    m.put("gatherND3", b.gatherND(x, in.input("n3", it, ilo, 9, 4, 3)));
                    m.put("scatterElements", b.scatterElements(x, in.constant("se", it, ilo, 9, 3, 4, 2),
                            in.input("u", t, lo, 100, 3, 4, 2), new MLScatterOptions(2, null)));
                    m.put("scatterND", b.scatterND(x, in.constant("sn", it, ilo, 9, 2, 1), in.input("un", t, lo, 100, 2, 4, 5)));
                    return m;
                });
            }
        }
    }

    @Test
    void gatherClampsAsTheWptExpects() {
        // WPT quirk 9: index 10 and -10 on an axis of size 2 read element 1 and element 0
        GraphDiff.Run r = GraphDiff.compare("gather clamp", 0, (b, in) -> Map.of(
                "hi", b.gather(in.values(FLOAT32, new int[] {2, 2}, 1, 2, 3, 4), in.values(INT64, new int[] {}, 10)),
                "lo", b.gather(in.values(FLOAT32, new int[] {2, 2}, 1, 2, 3, 4), in.values(INT64, new int[] {}, -10))));
        assertArrayEquals(new double[] {3, 4}, r.values().get("hi"));
        assertArrayEquals(new double[] {1, 2}, r.values().get("lo"));
    }

    @Test
    void zeroPadBeforeAPoolIsNotFoldedIntoThePool() {
        // WebNN pads with zeros that a max or average must see; ORT's pools would ignore or not count their own padding
        for (MLInputOperandLayout layout : MLInputOperandLayout.values()) {
            boolean nhwc = layout == MLInputOperandLayout.NHWC;
            GraphDiff.compare("pad then pool " + layout, 11, 1e-6, (b, in) -> {
                MLOperand x = in.input("x", FLOAT32, -2, -1, nhwc ? new int[] {1, 4, 5, 2} : new int[] {1, 2, 4, 5});
                int[] begin = nhwc ? new int[] {0, 1, 1, 0} : new int[] {0, 0, 1, 1};
                MLOperand p = b.pad(x, begin, begin);
                MLPool2dOptions o = new MLPool2dOptions().withWindowDimensions(3, 3).withPadding(1, 1, 1, 1).withLayout(layout);
                return Map.of("max", b.maxPool2d(p, o), "avg", b.averagePool2d(b.pad(x, begin, begin), o));
            });
        }
    }
}
