package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.TypeError;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Validation state of one builder call: knows the operator, the caller's label and the backend's
 * support, checks operands against the spec table and produces labelled {@link TypeError}s.
 * One instance per call; family validators ({@code *Ops}) receive it.
 */
public final class OpCheck {
    private final String operator;
    private final String label;
    private final OpSupport support;
    private final Map<String, TensorType> seen = new HashMap<>();

    public OpCheck(String operator, String label, OpSupport support) {
        this.operator = operator;
        this.label = label == null ? "" : label;
        this.support = support;
    }

    public String operator() { return operator; }

    public String label() { return label; }

    public OpSupport support() { return support; }

    /** A labelled TypeError: {@code [label] operator: message}. */
    public TypeError error(String message) {
        return new TypeError(prefix() + message);
    }

    public TypeError error(String format, Object... args) {
        return error(String.format(java.util.Locale.ROOT, format, args));
    }

    public String prefix() {
        return (label.isEmpty() ? "" : "[" + label + "] ") + operator + ": ";
    }

    /** Throws a labelled TypeError unless {@code condition} holds. */
    public void require(boolean condition, String format, Object... args) {
        if (!condition) throw error(format, args);
    }

    /**
     * Checks one input operand against the spec table (data type, rank, "same as" links) and
     * against the backend's support. A null operand (absent optional) is ignored.
     */
    public TensorType operand(String name, TensorType type) {
        if (type == null) return null;
        OperatorLimits.Rule rule = OperatorLimits.spec().rule(operator, name);
        if (rule != null) {
            if (rule.allowedTypes() != null) {
                if (!allowedBySpec(rule, type.dataType())) {
                    throw error("%s: data type %s is not allowed; expected one of %s", name, type.dataType(),
                            names(rule.allowedTypes()));
                }
            } else {
                TensorType other = seen.get(rule.sameTypeAs());
                if (other != null && other.dataType() != type.dataType()) {
                    throw error("%s: data type %s must be the same as %s's (%s)", name, type.dataType(),
                            rule.sameTypeAs(), other.dataType());
                }
            }
            if (rule.sameRankAs() != null) {
                TensorType other = seen.get(rule.sameRankAs());
                if (other != null && other.rank() != type.rank()) {
                    throw error("%s: rank %d must be the same as %s's rank (%d)", name, type.rank(),
                            rule.sameRankAs(), other.rank());
                }
            } else if (type.rank() < rule.minRank() || type.rank() > rule.maxRank()) {
                throw error("%s: rank must be %s, got %d (shape %s)", name, rankText(rule), type.rank(),
                        Arrays.toString(type.dims()));
            }
        }
        Set<MLOperandDataType> backendTypes = support.dataTypes(operator, name);
        if (backendTypes != null && !backendTypes.contains(type.dataType())) {
            throw new dev.anneau.webnn.UnsupportedOperandError(prefix() + String.format(java.util.Locale.ROOT,
                    "%s: data type %s is not supported by this context; supported: %s", name, type.dataType(),
                    backendTypes.isEmpty() ? "none (the backend lacks this operator)" : names(backendTypes)));
        }
        if (type.rank() > support.maxRank()) {
            throw error("%s: rank %d is more than this context supports (%d)", name, type.rank(), support.maxRank());
        }
        seen.put(name, type);
        return type;
    }

    private boolean allowedBySpec(OperatorLimits.Rule rule, MLOperandDataType t) {
        if (rule.allowedTypes().contains(t)) return true;
        // int4/uint4 are an extension, allowed where Anneau defines them (the (de)quantize operators);
        // whether this backend supports them is checked next, like any other type
        return (t == MLOperandDataType.INT4 || t == MLOperandDataType.UINT4)
                && SpecSupport.allowed(operator, rule.operand()).contains(t);
    }

    private static String rankText(OperatorLimits.Rule r) {
        if (r.minRank() == r.maxRank()) return String.valueOf(r.minRank());
        if (r.maxRank() >= OperatorLimits.MAX_RANK) return "at least " + r.minRank();
        return "between " + r.minRank() + " and " + r.maxRank();
    }

    private static String names(Set<MLOperandDataType> types) {
        StringBuilder sb = new StringBuilder();
        for (MLOperandDataType t : types) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(t.specName());
        }
        return sb.toString();
    }

    /**
     * Builds an output type from dimensions computed in {@code long}, checking that each is
     * positive and that the byte length is within the backend's limit.
     */
    public TensorType output(MLOperandDataType dataType, long... dims) {
        long elements = 1;
        for (long d : dims) {
            if (d <= 0) throw error("the output shape %s has a dimension that is not positive", Arrays.toString(dims));
            if (d > 0xFFFF_FFFFL) throw error("the output dimension %d is larger than 2^32-1", d);
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                throw error("the output size is too large (shape %s)", Arrays.toString(dims));
            }
        }
        long bytes;
        try {
            bytes = dataType.byteLength(elements);
        } catch (ArithmeticException e) {
            throw error("the output size is too large (shape %s)", Arrays.toString(dims));
        }
        if (bytes > support.maxTensorByteLength()) {
            throw error("the output byte length %d exceeds the limit %d (shape %s)", bytes,
                    support.maxTensorByteLength(), Arrays.toString(dims));
        }
        if (dims.length > support.maxRank()) {
            throw error("the output rank %d is more than this context supports (%d)", dims.length, support.maxRank());
        }
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) d[i] = (int) dims[i];
        return new TensorType(dataType, d);
    }

    public TensorType output(MLOperandDataType dataType, int... dims) {
        return output(dataType, Arrays.stream(dims).asLongStream().toArray());
    }

    /** Same as {@link #output(MLOperandDataType, long...)} for an existing type. */
    public TensorType output(TensorType t) { return output(t.dataType(), t.dims()); }

    /** Resolves an axis in [0, rank) or fails naming the argument. */
    public int axis(String what, long axis, int rank) {
        require(axis >= 0 && axis < rank, "%s (%d) must be in the range [0, %d)", what, axis, rank);
        return (int) axis;
    }

    /** Validates a list of distinct axes in [0, rank). */
    public int[] axes(String what, int[] axes, int rank) {
        boolean[] used = new boolean[Math.max(rank, 0)];
        for (int a : axes) {
            require(a >= 0 && a < rank, "%s: axis %d must be in the range [0, %d)", what, a, rank);
            require(!used[a], "%s: axis %d is listed twice", what, a);
            used[a] = true;
        }
        return axes.clone();
    }
}
