package dev.anneau.backend.ort.lowering;

import dev.anneau.onnx.proto.Onnx.TensorProto.DataType;
import dev.anneau.webnn.MLOperandDataType;

/** WebNN data type to ONNX element type. */
public final class OnnxTypes {
    private OnnxTypes() {}

    public static DataType of(MLOperandDataType t) {
        return switch (t) {
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT16 -> DataType.FLOAT16;
            case INT32 -> DataType.INT32;
            case UINT32 -> DataType.UINT32;
            case INT64 -> DataType.INT64;
            case UINT64 -> DataType.UINT64;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case INT4 -> DataType.INT4;
            case UINT4 -> DataType.UINT4;
        };
    }

    /**
     * The type a graph input/output crosses the Java boundary in: ORT's Java API cannot create
     * uint32, uint64 or 4-bit tensors, so those travel bit-identically as int32/int64 and as one
     * int8 per element, with a Cast inside the model.
     */
    public static MLOperandDataType boundary(MLOperandDataType t) {
        return switch (t) {
            case UINT32 -> MLOperandDataType.INT32;
            case UINT64 -> MLOperandDataType.INT64;
            case INT4, UINT4 -> MLOperandDataType.INT8;
            default -> t;
        };
    }
}
