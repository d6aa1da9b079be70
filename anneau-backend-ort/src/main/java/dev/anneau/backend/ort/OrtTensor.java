package dev.anneau.backend.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.anneau.backend.ort.lowering.OnnxTypes;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.OperationError;
import dev.anneau.webnn.ops.TensorType;
import dev.anneau.webnn.spi.BackendTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A tensor in a native-order direct buffer, wrapped once in an {@link OnnxTensor} that ORT reads
 * from (inputs) or writes into (pinned outputs) without copies. 4-bit types are held unpacked,
 * one int8 per element, because that is how they cross into the model (see {@link OnnxTypes#boundary}).
 */
final class OrtTensor implements BackendTensor {
    private final TensorType type;
    private final ByteBuffer buffer;
    private final OnnxTensor onnx;
    private boolean closed;

    OrtTensor(TensorType type) {
        this.type = type;
        MLOperandDataType boundary = OnnxTypes.boundary(type.dataType());
        long bytes = boundary.byteLength(type.size());
        this.buffer = ByteBuffer.allocateDirect((int) Math.max(bytes, 1)).order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            // WebNN bytes are little-endian; a big-endian host would need a swap on every copy
            throw new OperationError("the ONNX Runtime backend needs a little-endian host");
        }
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.limit((int) bytes);
        try {
            onnx = OnnxTensor.createTensor(OrtRuntime.environment(), view.slice().order(ByteOrder.nativeOrder()), type.longShape(), javaType(boundary));
        } catch (OrtException e) {
            throw new OperationError("ONNX Runtime could not create a " + type + " tensor: " + e.getMessage(), e);
        }
    }

    private static OnnxJavaType javaType(MLOperandDataType t) {
        return switch (t) {
            case FLOAT32 -> OnnxJavaType.FLOAT;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            default -> throw new IllegalArgumentException("no ORT Java type for " + t);
        };
    }

    @Override
    public TensorType type() { return type; }

    OnnxTensor onnx() { return onnx; }

    void write(ByteBuffer src) {
        ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer d = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        d.clear();
        MLOperandDataType t = type.dataType();
        if (t == MLOperandDataType.INT4 || t == MLOperandDataType.UINT4) {
            for (int i = 0; i < type.size(); i++) {
                int by = s.get(s.position() + i / 2) & 0xFF;
                int nib = (i & 1) == 0 ? by & 0xF : by >>> 4;
                d.put((byte) (t == MLOperandDataType.INT4 ? (nib << 28) >> 28 : nib));
            }
        } else {
            d.put(s);
        }
    }

    void read(ByteBuffer dst) {
        ByteBuffer s = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        s.clear();
        MLOperandDataType t = type.dataType();
        if (t == MLOperandDataType.INT4 || t == MLOperandDataType.UINT4) {
            for (int i = 0; i < type.size(); i += 2) {
                int lo = s.get(i) & 0xF;
                int hi = i + 1 < type.size() ? s.get(i + 1) & 0xF : 0;
                dst.put((byte) (lo | hi << 4));
            }
        } else {
            s.limit((int) OnnxTypes.boundary(t).byteLength(type.size()));
            dst.put(s);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            onnx.close();
        }
    }
}
