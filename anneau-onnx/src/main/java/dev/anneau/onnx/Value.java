package dev.anneau.onnx;

import dev.anneau.webnn.MLOperand;
import java.util.HashSet;
import java.util.Set;

/**
 * One ONNX value during import: either known at import time ({@link #constant}, folded in Java)
 * or computed by the WebNN graph ({@link #operand}). Shapes are always static. {@link #inputDeps}
 * lists the graph inputs the value is computed from, so that a value that must be constant
 * (a Reshape target, an If condition) can be traced back to the inputs to fix.
 */
final class Value {
    /** Why a value is not available (poisoned by an earlier failure, or never computed). */
    enum State { OK, POISONED, MISSING }

    final String name;
    final ElementType type;
    final long[] shape;
    final OnnxTensor constant;
    final MLOperand operand;
    final Set<String> inputDeps;
    final State state;
    final String missingReason;

    private Value(String name, ElementType type, long[] shape, OnnxTensor constant, MLOperand operand, Set<String> deps,
                  State state, String missingReason) {
        this.name = name;
        this.type = type;
        this.shape = shape;
        this.constant = constant;
        this.operand = operand;
        this.inputDeps = deps;
        this.state = state;
        this.missingReason = missingReason;
    }

    static Value ofConstant(String name, OnnxTensor t, Set<String> deps) {
        return new Value(name, t.type(), t.shape(), t, null, Set.copyOf(deps), State.OK, null);
    }

    static Value ofOperand(String name, MLOperand op, ElementType type, Set<String> deps) {
        return new Value(name, type, op.shape(), null, op, Set.copyOf(deps), State.OK, null);
    }

    static Value poisoned(String name) {
        return new Value(name, null, null, null, null, Set.of(), State.POISONED, null);
    }

    static Value missing(String name, String reason) {
        return new Value(name, null, null, null, null, Set.of(), State.MISSING, reason);
    }

    boolean isConstant() { return constant != null; }

    boolean ok() { return state == State.OK; }

    int rank() { return shape.length; }

    long size() { return OnnxTensor.elementCount(shape); }

    static Set<String> union(Iterable<Value> values) {
        Set<String> s = new HashSet<>();
        for (Value v : values) if (v != null) s.addAll(v.inputDeps);
        return s;
    }

    @Override
    public String toString() {
        if (state != State.OK) return name + "(" + state + ")";
        return name + ":" + type + java.util.Arrays.toString(shape) + (constant != null ? " const" : "");
    }
}
