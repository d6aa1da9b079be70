package dev.anneau.webnn;

import dev.anneau.webnn.graph.Operation;
import dev.anneau.webnn.ops.TensorType;
import java.nio.ByteBuffer;

/**
 * The WebNN {@code MLOperand}: a node output in a graph under construction. Created only by
 * {@link MLGraphBuilder}; {@link #dataType()} and {@link #shape()} are known as soon as the
 * builder call returns, because validation and shape inference run eagerly.
 */
public final class MLOperand {
    /** What produced the operand. */
    public enum Kind { INPUT, CONSTANT, OPERATION }

    private final MLGraphBuilder builder;
    private final int id;
    private final TensorType type;
    private final Kind kind;
    private final String inputName;
    private final ByteBuffer constantData;
    private Operation producer;

    MLOperand(MLGraphBuilder builder, int id, TensorType type, Kind kind, String inputName, ByteBuffer constantData) {
        this.builder = builder;
        this.id = id;
        this.type = type;
        this.kind = kind;
        this.inputName = inputName;
        this.constantData = constantData;
    }

    public MLOperandDataType dataType() { return type.dataType(); }

    public long[] shape() { return type.longShape(); }

    public int rank() { return type.rank(); }

    // --- below: for backends and tooling, not part of the WebNN IDL ---

    /** Dense id within its builder; backends use it to index value slots. */
    public int id() { return id; }

    /** The validated type. */
    public TensorType type() { return type; }

    public Kind kind() { return kind; }

    /** The graph input name, for {@link Kind#INPUT}. */
    public String inputName() { return inputName; }

    /** Little-endian packed bytes (read-only view), for {@link Kind#CONSTANT}. */
    public ByteBuffer constantData() { return constantData == null ? null : constantData.asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN); }

    /** The operation whose output this is, for {@link Kind#OPERATION}. */
    public Operation producer() { return producer; }

    MLGraphBuilder builder() { return builder; }

    void producer(Operation op) { this.producer = op; }

    @Override
    public String toString() {
        return "MLOperand#" + id + "(" + type + (inputName != null ? " input '" + inputName + "'" : "")
                + (producer != null ? " from " + producer.operator() : "") + ")";
    }
}
