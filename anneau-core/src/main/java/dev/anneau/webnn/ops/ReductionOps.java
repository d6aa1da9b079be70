package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLArgMinMaxOptions;
import dev.anneau.webnn.MLCumulativeSumOptions;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLReduceOptions;
import java.util.Arrays;

/**
 * Validation and shape inference of the reduction family: the ten {@code reduce*} operators
 * (https://www.w3.org/TR/webnn/#api-mlgraphbuilder-reduce), {@code argMin}/{@code argMax}
 * (#api-mlgraphbuilder-argminmax) and {@code cumulativeSum} (#api-mlgraphbuilder-cumulativesum).
 * Data types and ranks of the input were already checked against the spec table by {@link OpCheck#operand}.
 */
public final class ReductionOps {
    private ReductionOps() {}

    /**
     * Attributes of a {@code reduce*} operation: the axes to reduce, resolved (all axes when the
     * option was absent; an empty array reduces nothing), in ascending order, and keepDimensions.
     */
    public record Reduce(int[] axes, boolean keepDimensions) {
        public Reduce {
            axes = axes.clone();
        }

        @Override
        public int[] axes() { return axes.clone(); }

        @Override
        public String toString() { return "Reduce[axes=" + Arrays.toString(axes) + ", keepDimensions=" + keepDimensions + "]"; }
    }

    /** Attributes of {@code argMin}/{@code argMax}. */
    public record ArgMinMax(int axis, boolean keepDimensions, MLOperandDataType outputDataType) {}

    /** Attributes of {@code cumulativeSum}. */
    public record CumulativeSum(int axis, boolean exclusive, boolean reversed) {}

    /** Resolves and validates {@code options.axes} ("calculate reduction output sizes"). */
    public static Reduce reduceAttributes(OpCheck check, TensorType input, MLReduceOptions options) {
        int rank = input.rank();
        int[] given = options == null ? null : options.axes();
        int[] axes;
        if (given == null) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) axes[i] = i;
        } else {
            axes = check.axes("axes", given, rank);
            Arrays.sort(axes);
        }
        boolean keep = options != null && Boolean.TRUE.equals(options.keepDimensions());
        return new Reduce(axes, keep);
    }

    /** The output type of a reduction: the input's data type, reduced dimensions removed or set to 1. */
    public static TensorType reduce(OpCheck check, TensorType input, Reduce attrs) {
        return check.output(input.dataType(), reducedShape(input.dims(), attrs.axes(), attrs.keepDimensions()));
    }

    /** "calculate reduction output sizes" for already validated axes. */
    static int[] reducedShape(int[] dims, int[] axes, boolean keepDimensions) {
        boolean[] reduced = new boolean[dims.length];
        for (int a : axes) reduced[a] = true;
        int n = 0;
        for (int i = 0; i < dims.length; i++) if (keepDimensions || !reduced[i]) n++;
        int[] out = new int[n];
        int j = 0;
        for (int i = 0; i < dims.length; i++) {
            if (!reduced[i]) out[j++] = dims[i];
            else if (keepDimensions) out[j++] = 1;
        }
        return out;
    }

    /** Validates an argMin/argMax call and resolves its defaults. */
    public static ArgMinMax argMinMaxAttributes(OpCheck check, TensorType input, long axis, MLArgMinMaxOptions options) {
        int rank = input.rank();
        check.require(axis >= 0 && axis < rank,
                "axis (%d) must be in the range [0, %d) for an input of rank %d (shape %s)", axis, rank, rank,
                Arrays.toString(input.dims()));
        MLOperandDataType outType = options == null || options.outputDataType() == null
                ? MLOperandDataType.INT32 : options.outputDataType();
        check.require(outType == MLOperandDataType.INT32 || outType == MLOperandDataType.INT64,
                "outputDataType %s is not allowed; use int32 or int64", outType);
        long max = outType == MLOperandDataType.INT32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        check.require(input.dim((int) axis) <= max, "the input dimension at axis %d (%d) is larger than %s can index",
                axis, input.dim((int) axis), outType);
        boolean keep = options != null && Boolean.TRUE.equals(options.keepDimensions());
        return new ArgMinMax((int) axis, keep, outType);
    }

    /** The output type of argMin/argMax; checks the output data type against the backend's support too. */
    public static TensorType argMinMax(OpCheck check, TensorType input, ArgMinMax attrs) {
        TensorType out = check.output(attrs.outputDataType(),
                reducedShape(input.dims(), new int[] {attrs.axis()}, attrs.keepDimensions()));
        check.operand("output", out);
        return out;
    }

    /** Validates a cumulativeSum call and resolves its defaults. */
    public static CumulativeSum cumulativeSumAttributes(OpCheck check, TensorType input, long axis,
                                                        MLCumulativeSumOptions options) {
        int rank = input.rank();
        check.require(axis >= 0 && axis < rank,
                "axis (%d) must be in the range [0, %d) for an input of rank %d (shape %s)", axis, rank, rank,
                Arrays.toString(input.dims()));
        boolean exclusive = options != null && Boolean.TRUE.equals(options.exclusive());
        boolean reversed = options != null && Boolean.TRUE.equals(options.reversed());
        return new CumulativeSum((int) axis, exclusive, reversed);
    }

    /** cumulativeSum keeps the input's type and shape. */
    public static TensorType cumulativeSum(OpCheck check, TensorType input) {
        return check.output(input);
    }
}
