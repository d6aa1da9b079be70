package dev.anneau.backend.cpu;

import static dev.anneau.webnn.MLOperandDataType.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anneau.webnn.*;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Builder-time validation of the shape family: labelled TypeErrors that name the broken rule. */
class ShapeValidationTest {
    private static MLContext ctx;
    private MLGraphBuilder b;

    @BeforeAll
    static void open() { ctx = ML.createContext(new MLContextOptions().withBackend("cpu")).join(); }

    @AfterAll
    static void close() { ctx.destroy(); }

    @BeforeEach
    void builder() { b = new MLGraphBuilder(ctx); }

    private int inputs;

    private MLOperand in(MLOperandDataType t, long... shape) { return b.input("x" + inputs++, new MLOperandDescriptor(t, shape)); }

    private static final MLOperatorOptions L = new MLOperatorOptions("lbl");

    /** Asserts a TypeError whose message carries the label and mentions {@code fragment}. */
    private static void rejects(String fragment, Executable call) {
        TypeError e = assertThrows(TypeError.class, call);
        assertTrue(e.getMessage().startsWith("[lbl] "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void concat() {
        MLOperand a = in(FLOAT32, 2, 3);
        rejects("must not be empty", () -> b.concat(List.of(), 0, L));
        rejects("axis (2)", () -> b.concat(List.of(a, in(FLOAT32, 2, 3)), 2, L));
        rejects("data type", () -> b.concat(List.of(a, in(INT32, 2, 3)), 0, L));
        rejects("rank", () -> b.concat(List.of(a, in(FLOAT32, 2, 3, 1)), 0, L));
        rejects("dimension 1", () -> b.concat(List.of(a, in(FLOAT32, 2, 4)), 0, L));
        rejects("rank", () -> b.concat(List.of(in(FLOAT32), in(FLOAT32)), 0, L));
        rejects("axis (4294967295)", () -> b.concat(List.of(a, a), -1, L));
        MLOperand other = new MLGraphBuilder(ctx).input("o", new MLOperandDescriptor(FLOAT32, 2, 3));
        rejects("inputs[1]", () -> b.concat(List.of(a, other), 0, L));
        // three inputs of 2^31 - 1 elements along the axis: the sum exceeds 2^32 - 1
        MLOperand huge = in(INT8, Integer.MAX_VALUE);
        rejects("2^32-1", () -> b.concat(List.of(huge, huge, huge), 0, L));
        assertArrayEquals(new long[] {2, 7}, b.concat(List.of(a, in(FLOAT32, 2, 4)), 1).shape());
    }

    @Test
    void expandIsUnidirectional() {
        rejects("broadcastable", () -> b.expand(in(FLOAT32, 3, 1), new long[] {3, 2, 4}, L));
        rejects("at least the input's rank", () -> b.expand(in(FLOAT32, 1, 4), new long[] {4}, L));
        // [2,1] with [1,3] would broadcast both ways to [2,3], but expand broadcasts the input only
        rejects("must be 1 or 1", () -> b.expand(in(FLOAT32, 2, 1), new long[] {1, 3}, L));
        rejects("greater than 0", () -> b.expand(in(FLOAT32, 1), new long[] {0}, L));
        rejects("too large", () -> b.expand(in(FLOAT32, 1, 2, 1, 1), new long[] {1, 2, 0xFFFF_FFFFL, 0xFFFF_FFFFL}, L));
        assertArrayEquals(new long[] {3, 2, 4}, b.expand(in(FLOAT32, 2, 1), new long[] {3, 2, 4}).shape());
    }

    @Test
    void reshape() {
        rejects("greater than 0", () -> b.reshape(in(FLOAT32, 2, 4), new long[] {2, 4, 0}, L));
        rejects("element count", () -> b.reshape(in(FLOAT32, 2, 3, 4), new long[] {3, 9}, L));
        rejects("element count", () -> b.reshape(in(FLOAT32, 2, 3, 4), new long[] {}, L));
        rejects("2^32-1", () -> b.reshape(in(FLOAT32, 2), new long[] {1L << 32, 2}, L));
        rejects("too many elements", () -> b.reshape(in(FLOAT32, 2), new long[] {0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL}, L));
        assertArrayEquals(new long[] {}, b.reshape(in(FLOAT32, 1, 1), new long[] {}).shape());
    }

    @Test
    void gatherFamily() {
        MLGatherOptions axis3 = new MLGatherOptions(3, "lbl");
        rejects("options.axis (3)", () -> b.gather(in(FLOAT32, 2, 3, 4), in(INT32, 2), axis3));
        rejects("indices: data type float32", () -> b.gather(in(FLOAT32, 2), in(FLOAT32, 2), new MLGatherOptions(null, "lbl")));
        rejects("rank", () -> b.gather(in(FLOAT32), in(INT32, 1), new MLGatherOptions(null, "lbl")));
        assertArrayEquals(new long[] {2, 5, 6, 4}, b.gather(in(FLOAT32, 2, 3, 4), in(UINT32, 5, 6), new MLGatherOptions().withAxis(1)).shape());

        rejects("dimension 0 differs", () -> b.gatherElements(in(FLOAT32, 2, 3), in(INT32, 3, 2), new MLGatherOptions(1, "lbl")));
        rejects("rank", () -> b.gatherElements(in(FLOAT32, 2, 3), in(INT32, 2), new MLGatherOptions(null, "lbl")));
        assertArrayEquals(new long[] {2, 7}, b.gatherElements(in(FLOAT32, 2, 3), in(INT64, 2, 7), new MLGatherOptions().withAxis(1)).shape());

        rejects("coordinate length", () -> b.gatherND(in(FLOAT32, 2, 3), in(INT32, 4, 3), L));
        assertArrayEquals(new long[] {}, b.gatherND(in(FLOAT32, 2, 3), in(INT32, 2)).shape());
        assertArrayEquals(new long[] {5, 3}, b.gatherND(in(FLOAT32, 2, 3), in(INT32, 5, 1)).shape());
    }

    @Test
    void scatterFamily() {
        MLScatterOptions s = new MLScatterOptions(null, "lbl");
        rejects("updates: data type", () -> b.scatterElements(in(FLOAT32, 3, 3), in(INT32, 2, 3), in(FLOAT16, 2, 3), s));
        rejects("updates: shape", () -> b.scatterElements(in(FLOAT32, 3, 3), in(INT32, 2, 3), in(FLOAT32, 3, 3), s));
        rejects("dimension 1 differs", () -> b.scatterElements(in(FLOAT32, 3, 3), in(INT32, 2, 4), in(FLOAT32, 2, 4), s));
        rejects("options.axis (2)", () -> b.scatterElements(in(FLOAT32, 3, 3), in(INT32, 2, 3), in(FLOAT32, 2, 3),
                new MLScatterOptions(2, "lbl")));
        rejects("coordinate length", () -> b.scatterND(in(FLOAT32, 4, 4), in(INT32, 2, 3), in(FLOAT32, 2), L));
        rejects("updates: shape [2, 3, 4] must be [2, 4, 4]", () -> b.scatterND(in(FLOAT32, 4, 4, 4), in(INT32, 2, 1), in(FLOAT32, 2, 3, 4), L));
        assertArrayEquals(new long[] {4, 4, 4}, b.scatterND(in(FLOAT32, 4, 4, 4), in(INT32, 2, 2), in(FLOAT32, 2, 4)).shape());
    }

    @Test
    void pad() {
        MLPadOptions reflect = new MLPadOptions(MLPaddingMode.REFLECTION, null, "lbl");
        rejects("must both have the input's rank", () -> b.pad(in(FLOAT32, 2, 3), new int[] {1}, new int[] {1, 2}, reflect));
        rejects("smaller than the input dimension", () -> b.pad(in(FLOAT32, 2, 3), new int[] {0, 3}, new int[] {0, 0}, reflect));
        rejects("smaller than the input dimension", () -> b.pad(in(FLOAT32, 2, 3), new int[] {0, 0}, new int[] {2, 0}, reflect));
        // ints are read as unsigned: -1 is 2^32-1
        rejects("padded by 4294967295 and 0", () -> b.pad(in(FLOAT32, 2, 3), new int[] {-1, 0}, new int[] {0, 0}, new MLPadOptions(null, null, "lbl")));
        rejects("paddings are 2294967295 and 3294967295", () -> b.pad(in(FLOAT32, 2, 3), new int[] {(int) 2294967295L, 0}, new int[] {(int) 3294967295L, 2}, reflect));
        rejects("byte length", () -> b.pad(in(FLOAT32, 1, 536870911), new int[] {0, 1}, new int[] {0, 1}, new MLPadOptions(null, null, "lbl")));
        // edge mode may pad by more than the dimension
        assertArrayEquals(new long[] {2, 13}, b.pad(in(FLOAT32, 2, 3), new int[] {0, 5}, new int[] {0, 5},
                new MLPadOptions().withMode(MLPaddingMode.EDGE)).shape());
        // the current spec allows a 0-D input (both paddings empty)
        assertArrayEquals(new long[] {}, b.pad(in(FLOAT32), new int[0], new int[0]).shape());
    }

    @Test
    void slice() {
        MLSliceOptions st = new MLSliceOptions(new int[] {1, 1, 1, 1}, "lbl");
        rejects("options.strides (length 4)", () -> b.slice(in(FLOAT32, 3, 4, 5), new int[] {0, 0, 0}, new int[] {1, 1, 1}, st));
        rejects("strides must be at least 1", () -> b.slice(in(FLOAT32, 3, 4, 5), new int[] {0, 0, 0}, new int[] {1, 1, 1},
                new MLSliceOptions(new int[] {1, 0, 1}, "lbl")));
        rejects("greater than 0", () -> b.slice(in(FLOAT32, 3, 4, 5), new int[] {0, 0, 0}, new int[] {1, 0, 1}, new MLSliceOptions(null, "lbl")));
        rejects("starts[1] (4)", () -> b.slice(in(FLOAT32, 3, 4, 5), new int[] {0, 4, 0}, new int[] {1, 1, 1}, new MLSliceOptions(null, "lbl")));
        rejects("exceeds", () -> b.slice(in(FLOAT32, 3, 4, 5), new int[] {0, 1, 2}, new int[] {3, 4, 1}, new MLSliceOptions(null, "lbl")));
        rejects("must both have the input's rank", () -> b.slice(in(FLOAT32), new int[] {0}, new int[] {1}, new MLSliceOptions(null, "lbl")));
        rejects("starts[0] (4294967295)", () -> b.slice(in(FLOAT32, 3), new int[] {-1}, new int[] {1}, new MLSliceOptions(null, "lbl")));
        // a stride of 2^32-1 (passed as -1) selects only the start
        assertArrayEquals(new long[] {1}, b.slice(in(FLOAT32, 5), new int[] {1}, new int[] {4}, new MLSliceOptions().withStrides(-1)).shape());
        // output size is ceil(size / stride)
        assertArrayEquals(new long[] {3, 2}, b.slice(in(FLOAT32, 7, 5), new int[] {1, 0}, new int[] {6, 5},
                new MLSliceOptions().withStrides(2, 3)).shape());
    }

    @Test
    void split() {
        MLSplitOptions ax1 = new MLSplitOptions(1, "lbl");
        rejects("evenly divide", () -> b.split(in(FLOAT32, 2, 5), 2, ax1));
        rejects("add up to 6", () -> b.split(in(FLOAT32, 2, 5), new int[] {2, 4}, ax1));
        rejects("splits (0)", () -> b.split(in(FLOAT32, 2, 6), 0, ax1));
        rejects("splits[0] is 0", () -> b.split(in(FLOAT32, 2, 6), new int[] {0, 6}, ax1));
        rejects("between 1 and 8192", () -> b.split(in(FLOAT32, 2, 6), new int[0], ax1));
        rejects("options.axis (2)", () -> b.split(in(FLOAT32, 2, 6), 2, new MLSplitOptions(2, "lbl")));
        rejects("options.axis (4294967295)", () -> b.split(in(FLOAT32, 2, 6), 2, new MLSplitOptions(-1, "lbl")));
        rejects("splits (4294967295)", () -> b.split(in(FLOAT32, 2, 6), -1, ax1));
        rejects("add up to 4294967297", () -> b.split(in(FLOAT32, 2, 6), new int[] {2, -1}, ax1));
        rejects("rank", () -> b.split(in(FLOAT32), 1, new MLSplitOptions(null, "lbl")));
        MLOperand[] parts = b.split(in(FLOAT32, 2, 6), new int[] {1, 2, 3}, new MLSplitOptions().withAxis(1));
        assertEquals(3, parts.length);
        assertArrayEquals(new long[] {2, 3}, parts[2].shape());
    }

    @Test
    void transposeReverseTile() {
        rejects("has 3 values", () -> b.transpose(in(INT32, 1, 2, 3, 4), new MLTransposeOptions(new int[] {0, 2, 1}, "lbl")));
        rejects("listed twice", () -> b.transpose(in(INT32, 1, 2, 3, 4), new MLTransposeOptions(new int[] {0, 2, 3, 2}, "lbl")));
        rejects("axis 4", () -> b.transpose(in(INT32, 1, 2, 3, 4), new MLTransposeOptions(new int[] {0, 1, 2, 4}, "lbl")));
        rejects("axis 4294967295", () -> b.transpose(in(INT32, 1, 2, 3, 4), new MLTransposeOptions(new int[] {0, -1, 2, 3}, "lbl")));
        assertArrayEquals(new long[] {1, 3, 4, 2}, b.transpose(in(INT32, 1, 2, 3, 4), new MLTransposeOptions().withPermutation(0, 2, 3, 1)).shape());

        rejects("listed twice", () -> b.reverse(in(FLOAT32, 1, 2, 3, 4), new MLReverseOptions(new int[] {2, 2, 3}, "lbl")));
        rejects("axis 3", () -> b.reverse(in(FLOAT32, 3, 3), new MLReverseOptions(new int[] {3}, "lbl")));

        rejects("has 4 values", () -> b.tile(in(INT32, 1, 2, 4), new int[] {1, 2, 3, 4}, L));
        rejects("repetitions[0] is 0", () -> b.tile(in(INT32, 1, 2, 3, 4), new int[] {0, 1, 2, 3}, L));
        rejects("byte length", () -> b.tile(in(INT32, 1, 2, 3, 4), new int[] {-1, 1, 2, 3}, L)); // -1 reads as 2^32-1
        rejects("repeated 4294967295 times", () -> b.tile(in(INT32, 2, 1), new int[] {-1, 1}, L));
        rejects("2^32-1", () -> b.tile(in(INT32, 1, 2, 3, 4), new int[] {1, 1, Integer.MAX_VALUE, 3}, L));
        assertArrayEquals(new long[] {1, 4, 9, 16}, b.tile(in(UINT32, 1, 2, 3, 4), new int[] {1, 2, 3, 4}).shape());
    }

    @Test
    void triangular() {
        rejects("rank", () -> b.triangular(in(FLOAT32, 4), new MLTriangularOptions(null, null, "lbl")));
        assertArrayEquals(new long[] {2, 3, 4}, b.triangular(in(FLOAT16, 2, 3, 4), new MLTriangularOptions().withDiagonal(-7)).shape());
    }
}
