package dev.anneau.webnn;

import dev.anneau.webnn.ops.Numbers;
import java.nio.ByteBuffer;

/** Writes one MLNumber as one element of a data type, little-endian. */
final class NumberCodec {
    private NumberCodec() {}

    static void put(ByteBuffer b, MLOperandDataType t, Number value) {
        switch (t) {
            case FLOAT32 -> b.putFloat((float) Numbers.toDouble(value));
            case FLOAT16 -> b.putShort(Float.floatToFloat16((float) Numbers.toDouble(value)));
            case INT32, UINT32 -> b.putInt((int) Numbers.toWrappedLong(value));
            case INT64, UINT64 -> b.putLong(Numbers.toWrappedLong(value));
            case INT8, UINT8 -> b.put((byte) Numbers.toWrappedLong(value));
            case INT4, UINT4 -> b.put((byte) (Numbers.toWrappedLong(value) & 0xF));
        }
    }
}
