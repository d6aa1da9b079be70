package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLPaddingMode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Validation and shape inference of the shape / data-movement family
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-concat and its neighbours: concat, expand,
 * gather, gatherElements, gatherND, scatterElements, scatterND, pad, reshape, slice, split,
 * transpose, reverse, tile, triangular).
 *
 * <p>Data types and ranks were already checked against the spec table by {@link OpCheck#operand};
 * these functions check the rest of each operator's "create" steps and return the attributes
 * record (spec defaults resolved) that the kernels read, with the output type(s).
 *
 * <p>Arguments the IDL declares as {@code unsigned long} (axes, paddings, starts, sizes, strides,
 * splits, repetitions, permutations) arrive as Java {@code int}s that are read as unsigned
 * 32-bit values, so 2^32-1 arrives as -1; all arithmetic on them is done in {@code long}. The
 * attribute records hold only values that passed validation, which all fit in an {@code int}.
 */
public final class ShapeOps {
    private ShapeOps() {}

    /** The spec's "valid tensor count" upper bound (concat inputs, split outputs). */
    public static final int MAX_TENSOR_COUNT = 8192;

    /** An {@code unsigned long} carried in a Java int. */
    private static long u(int v) { return Integer.toUnsignedLong(v); }

    private static String u(int[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) sb.append(i == 0 ? "" : ", ").append(u(values[i]));
        return sb.append(']').toString();
    }

    /** An optional {@code unsigned long} axis option (default 0) that must be below the input's rank. */
    private static int axisOption(OpCheck check, String what, Integer option, TensorType input) {
        long axis = option == null ? 0 : u(option);
        check.require(axis < input.rank(), "%s (%d) must be in the range [0, %d) for an input of shape %s",
                what, axis, input.rank(), Arrays.toString(input.dims()));
        return (int) axis;
    }

    /** Distinct axes below {@code rank} (transpose's permutation, reverse's axes). */
    private static int[] distinctAxes(OpCheck check, String what, int[] axes, int rank) {
        boolean[] seen = new boolean[rank];
        for (int a : axes) {
            check.require(u(a) < rank, "%s %s: axis %d must be in the range [0, %d)", what, u(axes), u(a), rank);
            check.require(!seen[a], "%s %s: axis %d is listed twice", what, u(axes), a);
            seen[a] = true;
        }
        return axes.clone();
    }

    /** Attributes plus the inferred output type(s) of one builder call. */
    public record Inferred<A>(A attributes, TensorType[] outputs) {
        public Inferred(A attributes, TensorType output) { this(attributes, new TensorType[] {output}); }

        public TensorType output() { return outputs[0]; }
    }

    // ------------------------------------------------------------------ attributes read by the kernels

    /** concat: the axis along which the inputs are joined. */
    public record ConcatAttributes(int axis) {}

    /** expand: the output shape (= newShape). */
    public record ExpandAttributes(int[] shape) {}

    /** reshape: the output shape (= newShape). */
    public record ReshapeAttributes(int[] shape) {}

    /** gather, gatherElements, scatterElements: the axis (default 0). */
    public record AxisAttributes(int axis) {}

    /** gatherND, scatterND: nothing beyond the operand shapes. */
    public record NoAttributes() {}

    /**
     * pad: paddings per axis, the mode (default constant) and the constant value already cast to
     * the input's data type (spec "cast"): a {@link Double} for float types, a {@link Long} for
     * integer types (uint64 as its two's-complement bit pattern).
     */
    public record PadAttributes(int[] beginningPadding, int[] endingPadding, MLPaddingMode mode, Number value) {}

    /** slice: starts, sizes and strides (default all 1) per axis. */
    public record SliceAttributes(int[] starts, int[] sizes, int[] strides) {}

    /** split: the axis and the size of each output along it (the number form already expanded). */
    public record SplitAttributes(int axis, int[] sizes) {}

    /** transpose: output axis i is input axis permutation[i] (default reversed). */
    public record TransposeAttributes(int[] permutation) {}

    /** reverse: the axes to reverse (default all). */
    public record ReverseAttributes(int[] axes) {}

    /** tile: repetitions per axis. */
    public record TileAttributes(int[] repetitions) {}

    /** triangular: keep the upper (default) or lower part, relative to {@code diagonal} (default 0). */
    public record TriangularAttributes(boolean upper, int diagonal) {}

    // ------------------------------------------------------------------ concat

    /** {@code inputs} were each checked with {@code check.operand("inputs", t)}. */
    public static Inferred<ConcatAttributes> concat(OpCheck check, List<TensorType> inputs, int axisBits) {
        check.require(!inputs.isEmpty(), "inputs must not be empty; pass at least one operand to concatenate");
        check.require(inputs.size() <= MAX_TENSOR_COUNT, "inputs has %d operands, more than the limit of %d",
                inputs.size(), MAX_TENSOR_COUNT);
        TensorType first = inputs.get(0);
        check.require(u(axisBits) < first.rank(), "axis (%d) must be in the range [0, %d) for inputs of rank %d",
                u(axisBits), first.rank(), first.rank());
        int axis = axisBits;
        long[] out = first.longShape();
        for (int i = 1; i < inputs.size(); i++) {
            TensorType t = inputs.get(i);
            check.require(t.dataType() == first.dataType(),
                    "inputs[%d]: data type %s differs from inputs[0]'s (%s); all inputs must have the same data type",
                    i, t.dataType(), first.dataType());
            check.require(t.rank() == first.rank(),
                    "inputs[%d]: rank %d (shape %s) differs from inputs[0]'s rank %d (shape %s); all inputs must have the same rank",
                    i, t.rank(), Arrays.toString(t.dims()), first.rank(), Arrays.toString(first.dims()));
            for (int d = 0; d < t.rank(); d++) {
                if (d == axis) {
                    out[d] += t.dim(d);
                } else {
                    check.require(t.dim(d) == first.dim(d),
                            "inputs[%d]: shape %s differs from inputs[0]'s shape %s in dimension %d; only the axis %d may differ",
                            i, Arrays.toString(t.dims()), Arrays.toString(first.dims()), d, axis);
                }
            }
        }
        check.require(out[axis] <= 0xFFFF_FFFFL, "the concatenated size along axis %d (%d) is larger than 2^32-1",
                axis, out[axis]);
        return new Inferred<>(new ConcatAttributes(axis), check.output(first.dataType(), out));
    }

    // ------------------------------------------------------------------ expand, reshape

    public static Inferred<ExpandAttributes> expand(OpCheck check, TensorType input, long[] newShape) {
        check.require(newShape != null, "newShape is required");
        checkDimensions(check, "newShape", newShape);
        int[] in = input.dims();
        check.require(in.length <= newShape.length,
                "input shape %s cannot be expanded to newShape %s: newShape must have at least the input's rank (%d)",
                Arrays.toString(in), Arrays.toString(newShape), in.length);
        for (int i = 0; i < in.length; i++) {
            long to = newShape[newShape.length - in.length + i];
            check.require(in[i] == to || in[i] == 1,
                    "input shape %s is not unidirectionally broadcastable to newShape %s: input dimension %d (%d) must be 1 or %d",
                    Arrays.toString(in), Arrays.toString(newShape), i, in[i], to);
        }
        TensorType out = check.output(input.dataType(), newShape);
        return new Inferred<>(new ExpandAttributes(out.dims()), out);
    }

    public static Inferred<ReshapeAttributes> reshape(OpCheck check, TensorType input, long[] newShape) {
        check.require(newShape != null, "newShape is required");
        checkDimensions(check, "newShape", newShape);
        long count = 1;
        for (long d : newShape) {
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw check.error("newShape %s holds too many elements; it must hold the input's %d elements (shape %s)",
                        Arrays.toString(newShape), input.size(), Arrays.toString(input.dims()));
            }
        }
        check.require(count == input.size(),
                "newShape %s holds %d elements but the input (shape %s) has %d; the element count must not change",
                Arrays.toString(newShape), count, Arrays.toString(input.dims()), input.size());
        TensorType out = check.output(input.dataType(), newShape);
        return new Inferred<>(new ReshapeAttributes(out.dims()), out);
    }

    /** Each value must be a valid dimension: 1 to 2^32-1. */
    private static void checkDimensions(OpCheck check, String what, long[] dims) {
        for (int i = 0; i < dims.length; i++) {
            check.require(dims[i] > 0, "%s[%d] is %d; every dimension must be greater than 0 (shape %s)",
                    what, i, dims[i], Arrays.toString(dims));
            check.require(dims[i] <= 0xFFFF_FFFFL, "%s[%d] is %d, larger than 2^32-1", what, i, dims[i]);
        }
    }

    // ------------------------------------------------------------------ gather family

    public static Inferred<AxisAttributes> gather(OpCheck check, TensorType input, TensorType indices, Integer axisOption) {
        int axis = axisOption(check, "options.axis", axisOption, input);
        int[] in = input.dims(), idx = indices.dims();
        long[] out = new long[in.length - 1 + idx.length];
        int k = 0;
        for (int i = 0; i < axis; i++) out[k++] = in[i];
        for (int d : idx) out[k++] = d;
        for (int i = axis + 1; i < in.length; i++) out[k++] = in[i];
        return new Inferred<>(new AxisAttributes(axis), check.output(input.dataType(), out));
    }

    public static Inferred<AxisAttributes> gatherElements(OpCheck check, TensorType input, TensorType indices, Integer axisOption) {
        int axis = axisOption(check, "options.axis", axisOption, input);
        requireSameExceptAxis(check, "indices", indices, input, axis);
        return new Inferred<>(new AxisAttributes(axis), check.output(input.dataType(), indices.dims()));
    }

    public static Inferred<NoAttributes> gatherND(OpCheck check, TensorType input, TensorType indices) {
        int[] in = input.dims(), idx = indices.dims();
        int k = idx[idx.length - 1];
        check.require(k <= in.length,
                "indices: the last dimension (%d, shape %s) is the coordinate length and must not exceed the input's rank (%d, shape %s)",
                k, Arrays.toString(idx), in.length, Arrays.toString(in));
        long[] out = new long[idx.length - 1 + in.length - k];
        int j = 0;
        for (int i = 0; i < idx.length - 1; i++) out[j++] = idx[i];
        for (int i = k; i < in.length; i++) out[j++] = in[i];
        return new Inferred<>(new NoAttributes(), check.output(input.dataType(), out));
    }

    public static Inferred<AxisAttributes> scatterElements(OpCheck check, TensorType input, TensorType indices,
                                                           TensorType updates, Integer axisOption) {
        int axis = axisOption(check, "options.axis", axisOption, input);
        requireSameExceptAxis(check, "indices", indices, input, axis);
        check.require(updates.sameShape(indices), "updates: shape %s must equal the indices' shape %s",
                Arrays.toString(updates.dims()), Arrays.toString(indices.dims()));
        return new Inferred<>(new AxisAttributes(axis), check.output(input));
    }

    public static Inferred<NoAttributes> scatterND(OpCheck check, TensorType input, TensorType indices, TensorType updates) {
        int[] in = input.dims(), idx = indices.dims();
        int k = idx[idx.length - 1];
        check.require(k <= in.length,
                "indices: the last dimension (%d, shape %s) is the coordinate length and must not exceed the input's rank (%d, shape %s)",
                k, Arrays.toString(idx), in.length, Arrays.toString(in));
        int[] expected = new int[idx.length - 1 + in.length - k];
        int j = 0;
        for (int i = 0; i < idx.length - 1; i++) expected[j++] = idx[i];
        for (int i = k; i < in.length; i++) expected[j++] = in[i];
        check.require(Arrays.equals(updates.dims(), expected),
                "updates: shape %s must be %s (indices' shape without its last dimension, then the input's dimensions from %d on)",
                Arrays.toString(updates.dims()), Arrays.toString(expected), k);
        return new Inferred<>(new NoAttributes(), check.output(input));
    }

    private static void requireSameExceptAxis(OpCheck check, String name, TensorType t, TensorType input, int axis) {
        check.require(t.rank() == input.rank(), "%s: rank %d (shape %s) must equal the input's rank %d (shape %s)",
                name, t.rank(), Arrays.toString(t.dims()), input.rank(), Arrays.toString(input.dims()));
        for (int d = 0; d < t.rank(); d++) {
            check.require(d == axis || t.dim(d) == input.dim(d),
                    "%s: shape %s must equal the input's shape %s in every dimension except the axis %d (dimension %d differs)",
                    name, Arrays.toString(t.dims()), Arrays.toString(input.dims()), axis, d);
        }
    }

    // ------------------------------------------------------------------ pad

    public static Inferred<PadAttributes> pad(OpCheck check, TensorType input, int[] beginningPadding, int[] endingPadding,
                                              MLPaddingMode modeOption, Number valueOption) {
        check.require(beginningPadding != null, "beginningPadding is required");
        check.require(endingPadding != null, "endingPadding is required");
        int rank = input.rank();
        check.require(beginningPadding.length == rank && endingPadding.length == rank,
                "beginningPadding (length %d) and endingPadding (length %d) must both have the input's rank (%d, shape %s)",
                beginningPadding.length, endingPadding.length, rank, Arrays.toString(input.dims()));
        MLPaddingMode mode = modeOption == null ? MLPaddingMode.CONSTANT : modeOption;
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long begin = u(beginningPadding[i]), end = u(endingPadding[i]);
            if (mode == MLPaddingMode.REFLECTION) {
                check.require(begin < input.dim(i) && end < input.dim(i),
                        "reflection padding must be smaller than the input dimension: dimension %d is %d, paddings are %d and %d",
                        i, input.dim(i), begin, end);
            }
            out[i] = input.dim(i) + begin + end;
            check.require(out[i] <= 0xFFFF_FFFFL,
                    "dimension %d padded by %d and %d would be %d, larger than 2^32-1", i, begin, end, out[i]);
        }
        Number value = cast(valueOption == null ? 0.0 : valueOption, input.dataType());
        return new Inferred<>(new PadAttributes(beginningPadding.clone(), endingPadding.clone(), mode, value),
                check.output(input.dataType(), out));
    }

    // ------------------------------------------------------------------ slice, split

    public static Inferred<SliceAttributes> slice(OpCheck check, TensorType input, int[] starts, int[] sizes, int[] stridesOption) {
        check.require(starts != null, "starts is required");
        check.require(sizes != null, "sizes is required");
        int rank = input.rank();
        check.require(starts.length == rank && sizes.length == rank,
                "starts (length %d) and sizes (length %d) must both have the input's rank (%d, shape %s)",
                starts.length, sizes.length, rank, Arrays.toString(input.dims()));
        int[] strides;
        if (stridesOption == null) {
            strides = new int[rank];
            Arrays.fill(strides, 1);
        } else {
            check.require(stridesOption.length == rank, "options.strides (length %d) must have the input's rank (%d)",
                    stridesOption.length, rank);
            strides = stridesOption.clone();
        }
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long start = u(starts[i]), size = u(sizes[i]), stride = u(strides[i]);
            check.require(size > 0, "sizes[%d] is 0; every slice size must be greater than 0", i);
            check.require(stride >= 1, "options.strides[%d] is 0; strides must be at least 1", i);
            check.require(start < input.dim(i),
                    "starts[%d] (%d) must be in the range [0, %d) of input dimension %d", i, start, input.dim(i), i);
            check.require(start + size <= input.dim(i),
                    "starts[%d] + sizes[%d] (%d + %d) exceeds input dimension %d (%d)", i, i, start, size, i, input.dim(i));
            out[i] = (size + stride - 1) / stride;
            // a stride beyond the size selects only the start; keep it within int for the kernels
            if (stride > size) strides[i] = (int) size;
        }
        return new Inferred<>(new SliceAttributes(starts.clone(), sizes.clone(), strides), check.output(input.dataType(), out));
    }

    /** split into {@code splits} equal parts. */
    public static Inferred<SplitAttributes> split(OpCheck check, TensorType input, int splitsBits, Integer axisOption) {
        int axis = axisOption(check, "options.axis", axisOption, input);
        long splits = u(splitsBits);
        check.require(splits > 0 && splits <= MAX_TENSOR_COUNT, "splits (%d) must be in the range [1, %d]", splits, MAX_TENSOR_COUNT);
        int dim = input.dim(axis);
        check.require(dim % splits == 0, "splits (%d) must evenly divide the input dimension %d along axis %d (shape %s)",
                splits, dim, axis, Arrays.toString(input.dims()));
        int[] sizes = new int[(int) splits];
        Arrays.fill(sizes, (int) (dim / splits));
        return splitOutputs(check, input, axis, sizes);
    }

    /** split into parts of the given sizes. */
    public static Inferred<SplitAttributes> split(OpCheck check, TensorType input, int[] splits, Integer axisOption) {
        int axis = axisOption(check, "options.axis", axisOption, input);
        check.require(splits != null, "splits is required");
        check.require(splits.length > 0 && splits.length <= MAX_TENSOR_COUNT,
                "splits must list between 1 and %d sizes, got %d", MAX_TENSOR_COUNT, splits.length);
        long sum = 0;
        for (int i = 0; i < splits.length; i++) {
            check.require(splits[i] != 0, "splits[%d] is 0; every size must be greater than 0", i);
            sum += u(splits[i]);
        }
        check.require(sum == input.dim(axis), "the sizes in splits %s add up to %d but the input dimension along axis %d is %d (shape %s)",
                u(splits), sum, axis, input.dim(axis), Arrays.toString(input.dims()));
        return splitOutputs(check, input, axis, splits.clone());
    }

    private static Inferred<SplitAttributes> splitOutputs(OpCheck check, TensorType input, int axis, int[] sizes) {
        TensorType[] outs = new TensorType[sizes.length];
        int[] dims = input.dims();
        for (int i = 0; i < sizes.length; i++) {
            dims[axis] = sizes[i];
            outs[i] = check.output(input.dataType(), dims);
        }
        return new Inferred<>(new SplitAttributes(axis, sizes), outs);
    }

    // ------------------------------------------------------------------ transpose, reverse, tile, triangular

    public static Inferred<TransposeAttributes> transpose(OpCheck check, TensorType input, int[] permutationOption) {
        int rank = input.rank();
        int[] perm;
        if (permutationOption == null) {
            perm = new int[rank];
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
        } else {
            check.require(permutationOption.length == rank,
                    "options.permutation %s has %d values; it must have one per input dimension (%d, shape %s)",
                    u(permutationOption), permutationOption.length, rank, Arrays.toString(input.dims()));
            perm = distinctAxes(check, "options.permutation", permutationOption, rank);
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) out[i] = input.dim(perm[i]);
        return new Inferred<>(new TransposeAttributes(perm), check.output(input.dataType(), out));
    }

    public static Inferred<ReverseAttributes> reverse(OpCheck check, TensorType input, int[] axesOption) {
        int rank = input.rank();
        int[] axes;
        if (axesOption == null) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) axes[i] = i;
        } else {
            axes = distinctAxes(check, "options.axes", axesOption, rank);
        }
        return new Inferred<>(new ReverseAttributes(axes), check.output(input));
    }

    public static Inferred<TileAttributes> tile(OpCheck check, TensorType input, int[] repetitions) {
        check.require(repetitions != null, "repetitions is required");
        int rank = input.rank();
        check.require(repetitions.length == rank, "repetitions %s has %d values; it must have one per input dimension (%d, shape %s)",
                u(repetitions), repetitions.length, rank, Arrays.toString(input.dims()));
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            check.require(repetitions[i] != 0, "repetitions[%d] is 0; every repetition count must be greater than 0", i);
            out[i] = input.dim(i) * u(repetitions[i]);
            check.require(out[i] <= 0xFFFF_FFFFL, "dimension %d (%d) repeated %d times would be %d, larger than 2^32-1",
                    i, input.dim(i), u(repetitions[i]), out[i]);
        }
        return new Inferred<>(new TileAttributes(repetitions.clone()), check.output(input.dataType(), out));
    }

    public static Inferred<TriangularAttributes> triangular(OpCheck check, TensorType input, Boolean upper, Integer diagonal) {
        return new Inferred<>(new TriangularAttributes(upper == null || upper, diagonal == null ? 0 : diagonal),
                check.output(input));
    }

    // ------------------------------------------------------------------ MLNumber cast

    private static final double TWO_63 = 9.223372036854775807E18; // 2^63 exactly
    private static final double TWO_64 = 1.8446744073709551616E19;

    /**
     * The spec's "cast" of an MLNumber to a data type: floats round to nearest even (overflow to
     * infinity, NaN kept); integers clamp to the type's range, then round to nearest even, NaN
     * giving 0. Returns a {@link Double} for float types and a {@link Long} for integer types
     * (uint64 as its bit pattern).
     */
    public static Number cast(Number value, MLOperandDataType type) {
        if (type.isFloatingPoint()) {
            if (type == MLOperandDataType.FLOAT32) {
                float f = value instanceof BigInteger bi ? bi.floatValue()
                        : value instanceof Long l ? (float) l.longValue() : (float) value.doubleValue();
                return (double) f;
            }
            double d = value instanceof BigInteger bi ? bi.doubleValue() : value.doubleValue();
            return (double) Numbers.halfToFloat(Numbers.doubleToHalf(d));
        }
        long lo, hi;
        switch (type) {
            case INT8 -> { lo = -128; hi = 127; }
            case UINT8 -> { lo = 0; hi = 255; }
            case INT4 -> { lo = -8; hi = 7; }
            case UINT4 -> { lo = 0; hi = 15; }
            case INT32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
            case UINT32 -> { lo = 0; hi = 0xFFFF_FFFFL; }
            case INT64 -> { lo = Long.MIN_VALUE; hi = Long.MAX_VALUE; }
            case UINT64 -> { return castUint64(value); }
            default -> throw new IllegalArgumentException(type.toString());
        }
        if (value instanceof BigInteger bi) {
            if (bi.compareTo(BigInteger.valueOf(lo)) < 0) return lo;
            if (bi.compareTo(BigInteger.valueOf(hi)) > 0) return hi;
            return bi.longValue();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Math.max(lo, Math.min(hi, value.longValue()));
        }
        double d = value.doubleValue();
        if (Double.isNaN(d)) return 0L;
        if (d <= lo) return lo;
        if (d >= hi) return hi; // also right for int64, where hi rounds up to 2^63 as a double
        return (long) Math.rint(d);
    }

    private static Long castUint64(Number value) {
        if (value instanceof BigInteger bi) {
            if (bi.signum() <= 0) return 0L;
            if (bi.bitLength() > 64) return -1L;
            return bi.longValue();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return Math.max(0L, value.longValue());
        }
        double d = value.doubleValue();
        if (Double.isNaN(d) || d <= 0) return 0L;
        if (d >= TWO_64) return -1L;
        d = Math.rint(d);
        if (d < TWO_63) return (long) d;
        return new BigDecimal(d).toBigInteger().longValue();
    }
}
