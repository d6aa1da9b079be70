package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLInputOperandLayout;
import java.util.Arrays;

/**
 * Window arithmetic shared by conv2d, convTranspose2d and the pooling operators: option lists of
 * WebIDL {@code unsigned long} (a Java {@code int} is read as unsigned, so 2^32-1 arrives as -1),
 * effective window sizes, output sizes, and the 4-D layout helpers. Everything is computed in
 * {@code long} so that overflow shows up as a TypeError, never as a wrapped value.
 */
public final class Spatial2d {
    private Spatial2d() {}

    /** Largest valid dimension (the spec's "valid dimension": 1 to 2^32-1). */
    public static final long MAX_DIMENSION = 0xFFFF_FFFFL;

    /** An {@code unsigned long} carried in a Java int. */
    public static long unsigned(int v) { return Integer.toUnsignedLong(v); }

    /**
     * Reads an optional list option: the defaults when {@code given} is null, otherwise exactly
     * {@code defaults.length} items read as unsigned.
     */
    public static long[] list(OpCheck check, String name, int[] given, long... defaults) {
        if (given == null) return defaults.clone();
        check.require(given.length == defaults.length, "%s must have %d values, got %d (%s)", name, defaults.length,
                given.length, Arrays.toString(unsignedText(given)));
        long[] out = new long[given.length];
        for (int i = 0; i < given.length; i++) out[i] = unsigned(given[i]);
        return out;
    }

    /** Rejects a zero item ({@code strides}, {@code dilations}, {@code windowDimensions}, {@code outputSizes}...). */
    public static void requireNonZero(OpCheck check, String name, long[] values) {
        for (int i = 0; i < values.length; i++) {
            check.require(values[i] != 0, "%s[%d] must be at least 1, got 0 (%s = %s)", name, i, name,
                    Arrays.toString(values));
        }
    }

    /** {@code (size - 1) * dilation + 1}; a TypeError when it overflows. */
    public static long effectiveSize(OpCheck check, String what, long size, long dilation) {
        try {
            return Math.addExact(Math.multiplyExact(size - 1, dilation), 1);
        } catch (ArithmeticException e) {
            throw check.error("the effective %s size (%d - 1) * dilation %d + 1 overflows", what, size, dilation);
        }
    }

    /**
     * {@code 1 + (input - effective + begin + end) / stride}, rounded down or up; may be zero or
     * negative (the caller checks it is a valid dimension).
     */
    public static long convOutputSize(long input, long effective, long begin, long end, long stride, boolean ceil) {
        // input, begin, end < 2^32 and 1 <= effective < 2^63: no overflow
        long numerator = input - effective + begin + end;
        long q = ceil ? Math.ceilDiv(numerator, stride) : Math.floorDiv(numerator, stride);
        return q + 1;
    }

    /** {@code (input - 1) * stride + effective - begin - end}; a TypeError when it overflows. */
    public static long convTransposeOutputSize(OpCheck check, String what, long input, long effective, long begin,
                                               long end, long stride) {
        try {
            return Math.subtractExact(Math.subtractExact(
                    Math.addExact(Math.multiplyExact(input - 1, stride), effective), begin), end);
        } catch (ArithmeticException e) {
            throw check.error("the output %s overflows", what);
        }
    }

    /** Throws unless {@code value} is a valid dimension (1 to 2^32-1). */
    public static void requireValidDimension(OpCheck check, String what, long value, String detail) {
        check.require(value >= 1 && value <= MAX_DIMENSION, "the %s (%d) is not a valid dimension (1 to %d)%s", what,
                value, MAX_DIMENSION, detail == null ? "" : "; " + detail);
    }

    /** Axis positions of a 4-D tensor in a layout: {channels, height, width} (batches is always 0). */
    public static int[] axes(MLInputOperandLayout layout) {
        return layout == MLInputOperandLayout.NHWC ? new int[] {3, 1, 2} : new int[] {1, 2, 3};
    }

    /** A 4-D shape {batches, channels, height, width} laid out in {@code layout}. */
    public static long[] shape(MLInputOperandLayout layout, long batches, long channels, long height, long width) {
        return layout == MLInputOperandLayout.NHWC ? new long[] {batches, height, width, channels}
                : new long[] {batches, channels, height, width};
    }

    private static String[] unsignedText(int[] v) {
        String[] s = new String[v.length];
        for (int i = 0; i < v.length; i++) s[i] = Integer.toUnsignedString(v[i]);
        return s;
    }
}
