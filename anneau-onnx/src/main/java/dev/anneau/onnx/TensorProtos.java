package dev.anneau.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.anneau.onnx.proto.Onnx.StringStringEntryProto;
import dev.anneau.onnx.proto.Onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Converts between {@code onnx.TensorProto} and {@link OnnxTensor}. Every declared size is
 * checked against the data actually present before anything is allocated, so a corrupt or
 * hostile file gives an {@link OnnxImportException}, never an out-of-memory error.
 */
public final class TensorProtos {
    private TensorProtos() {}

    /** Reads a serialized {@code TensorProto} (a test's {@code input_N.pb}); external data is not allowed. */
    public static OnnxTensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new OnnxImportException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return toTensor(TensorProto.parseFrom(bytes), null, file.getFileName().toString());
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(file + " is not a valid onnx.TensorProto: " + e.getMessage(), e);
        }
    }

    /**
     * The tensor a proto holds. {@code baseDir} is the model's folder, where external data is
     * looked up (null: external data is refused). {@code what} names the tensor in messages.
     */
    public static OnnxTensor toTensor(TensorProto p, Path baseDir, String what) {
        String label = what != null ? what : (p.hasName() ? "'" + p.getName() + "'" : "tensor");
        ElementType type = ElementType.fromOnnx(p.getDataType());
        if (type == null) {
            throw new OnnxUnsupportedTypeException(label + ": element type " + ElementType.describe(p.getDataType())
                    + " is not supported (supported: float32, float16, float64, bfloat16, int4..int64, uint4..uint64, bool)");
        }
        if (p.hasSegment()) throw new OnnxImportException(label + ": segmented tensors are not supported");
        long[] dims = new long[p.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = p.getDims(i);
            if (dims[i] < 0) throw new OnnxImportException(label + ": negative dimension " + dims[i] + " in " + p.getDimsList());
        }
        long n;
        try {
            n = OnnxTensor.elementCount(dims);
        } catch (OnnxImportException e) {
            throw new OnnxImportException(label + ": " + e.getMessage());
        }
        long bytes;
        try {
            bytes = type.byteLength(n);
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE || bytes > OnnxTensor.MAX_BYTES) {
            throw new OnnxImportException(label + ": declared shape " + Arrays.toString(dims) + " of " + type + " needs "
                    + bytes + " bytes, more than the " + OnnxTensor.MAX_BYTES + " one tensor may hold");
        }
        int count = (int) n;
        if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return OnnxTensor.wrap(type, dims, external(p, baseDir, label, bytes));
        }
        if (p.hasRawData()) {
            ByteString raw = p.getRawData();
            if (raw.size() != bytes) {
                throw new OnnxImportException(label + ": raw_data holds " + raw.size() + " bytes, the declared " + type
                        + " shape " + Arrays.toString(dims) + " needs " + bytes);
            }
            ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            raw.copyTo(b);
            b.flip();
            return OnnxTensor.wrap(type, dims, b);
        }
        // typed fields: check the count first, then fill
        int have = switch (type) {
            case FLOAT -> p.getFloatDataCount();
            case DOUBLE -> p.getDoubleDataCount();
            case INT64 -> p.getInt64DataCount();
            case UINT32, UINT64 -> p.getUint64DataCount();
            case UINT4, INT4 -> p.getInt32DataCount() * 2;
            default -> p.getInt32DataCount();
        };
        boolean fits = type.bits() == 4 ? (have == count || have == count + 1) : have == count;
        if (!fits) {
            if (have == 0 && count > 0) {
                throw new OnnxImportException(label + ": no data for the declared " + type + " shape " + Arrays.toString(dims));
            }
            throw new OnnxImportException(label + ": the data field holds " + have + " elements, the declared shape "
                    + Arrays.toString(dims) + " has " + count);
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT -> { for (int i = 0; i < count; i++) out.putFloat(p.getFloatData(i)); }
            case DOUBLE -> { for (int i = 0; i < count; i++) out.putDouble(p.getDoubleData(i)); }
            case INT64 -> { for (int i = 0; i < count; i++) out.putLong(p.getInt64Data(i)); }
            case UINT64 -> { for (int i = 0; i < count; i++) out.putLong(p.getUint64Data(i)); }
            case UINT32 -> { for (int i = 0; i < count; i++) out.putInt((int) p.getUint64Data(i)); }
            case INT32 -> { for (int i = 0; i < count; i++) out.putInt(p.getInt32Data(i)); }
            case FLOAT16, BFLOAT16, INT16, UINT16 -> { for (int i = 0; i < count; i++) out.putShort((short) p.getInt32Data(i)); }
            case UINT4, INT4 -> { for (int i = 0; i < bytes; i++) out.put((byte) p.getInt32Data(i)); }
            default -> { for (int i = 0; i < count; i++) out.put((byte) p.getInt32Data(i)); }
        }
        out.flip();
        return OnnxTensor.wrap(type, dims, out);
    }

    private static ByteBuffer external(TensorProto p, Path baseDir, String label, long bytes) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : p.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue(), label, "offset");
                case "length" -> length = parseLong(e.getValue(), label, "length");
                default -> { /* checksum and unknown keys: ignored */ }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new OnnxImportException(label + ": external data without a 'location'");
        }
        if (baseDir == null) {
            throw new OnnxImportException(label + ": external data ('" + location + "') needs the model's folder; load the model from a file");
        }
        Path file = resolveInside(baseDir, location, label);
        if (length >= 0 && length != bytes) {
            throw new OnnxImportException(label + ": external data length " + length + " does not match the " + bytes
                    + " bytes of the declared shape " + p.getDimsList());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (offset < 0 || offset > fileSize || fileSize - offset < bytes) {
                throw new OnnxImportException(label + ": external data file '" + location + "' has " + fileSize
                        + " bytes; the tensor needs " + bytes + " bytes at offset " + offset);
            }
            ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            long pos = offset;
            while (b.hasRemaining()) {
                int r = ch.read(b, pos);
                if (r < 0) throw new OnnxImportException(label + ": external data file '" + location + "' ended early");
                pos += r;
            }
            b.flip();
            return b;
        } catch (NoSuchFileException e) {
            throw new OnnxImportException(label + ": external data file '" + location + "' not found (looked for " + file + ")", e);
        } catch (IOException e) {
            throw new OnnxImportException(label + ": cannot read external data file '" + location + "': " + e, e);
        }
    }

    /** Resolves a relative location inside {@code baseDir}, refusing absolute paths and escapes (also through links). */
    static Path resolveInside(Path baseDir, String location, String label) {
        Path rel;
        try {
            rel = Path.of(location);
        } catch (InvalidPathException e) {
            throw new OnnxImportException(label + ": invalid external data location '" + location + "'");
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw new OnnxImportException(label + ": external data location '" + location + "' must be relative to the model's folder");
        }
        Path base = baseDir.toAbsolutePath().normalize();
        Path file = base.resolve(rel).normalize();
        if (!file.startsWith(base)) {
            throw new OnnxImportException(label + ": external data location '" + location + "' points outside the model's folder");
        }
        if (Files.exists(file)) {
            try {
                Path realBase = base.toRealPath();
                Path real = file.toRealPath();
                if (!real.startsWith(realBase)) {
                    throw new OnnxImportException(label + ": external data location '" + location
                            + "' resolves (through a link) outside the model's folder");
                }
            } catch (IOException e) {
                throw new OnnxImportException(label + ": cannot resolve external data location '" + location + "': " + e, e);
            }
        }
        return file;
    }

    private static long parseLong(String s, String label, String key) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) throw new NumberFormatException("negative");
            return v;
        } catch (NumberFormatException e) {
            throw new OnnxImportException(label + ": external data " + key + " '" + s + "' is not a non-negative integer");
        }
    }

    /** A proto holding the tensor in {@code raw_data}. */
    public static TensorProto toProto(OnnxTensor t, String name) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.type().onnxCode());
        for (long d : t.shape()) b.addDims(d);
        if (name != null) b.setName(name);
        b.setRawData(ByteString.copyFrom(t.data()));
        return b.build();
    }

    /** Thrown for element types the importer cannot hold (string, complex, float8...). */
    public static final class OnnxUnsupportedTypeException extends OnnxImportException {
        private static final long serialVersionUID = 1L;

        OnnxUnsupportedTypeException(String message) { super(message); }
    }
}
