package dev.anneau.webnn.spi;

import dev.anneau.webnn.graph.GraphDefinition;
import dev.anneau.webnn.ops.OpSupport;
import dev.anneau.webnn.ops.TensorType;
import java.nio.ByteBuffer;

/**
 * One context's view of a backend. The context calls these methods from its own timeline
 * thread, one at a time, so implementations need no locking of their own for these calls.
 * Byte buffers hold little-endian, row-major, packed data (int4/uint4: two per byte, low nibble first).
 */
public interface Backend extends AutoCloseable {
    String name();

    /** True when the work runs on an accelerator (GPU/NPU), as {@code MLContext.accelerated}. */
    boolean accelerated();

    OpSupport support();

    /** Compiles a validated graph; an operator the backend lacks is a {@link dev.anneau.webnn.NotSupportedError}. */
    CompiledGraph compile(GraphDefinition graph);

    BackendTensor allocate(TensorType type);

    /** Copies {@code src} (exactly the tensor's byte length) into the tensor. */
    void write(BackendTensor tensor, ByteBuffer src);

    /** Copies the tensor's bytes into {@code dst} (at its position, exactly the byte length). */
    void read(BackendTensor tensor, ByteBuffer dst);

    @Override
    void close();
}
