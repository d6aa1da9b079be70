package dev.anneau.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) as {@link OnnxTensor}s.
 *
 * <p>Types: float16/32/64 ({@code <f2 <f4 <f8}), int8/16/32/64, uint8/16/32/64, bool ({@code |b1}),
 * big-endian variants on reading. NumPy has no 4-bit types: int4/uint4 tensors are written one
 * element per byte as int8/uint8 and come back as such. Fortran-ordered arrays are reordered to C
 * order on reading; object, string, complex and structured dtypes are refused with a clear error.
 * Declared sizes are checked against the data before anything large is allocated.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;

    private Npy() {}

    // ------------------------------------------------------------------ reading

    public static OnnxTensor read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            return read(in, size, file.toString());
        } catch (IOException e) {
            throw new NpyException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static OnnxTensor read(byte[] bytes) {
        try {
            return read(new java.io.ByteArrayInputStream(bytes), bytes.length, "the .npy bytes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OnnxTensor read(InputStream in, long available, String what) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8) throw new NpyException(what + " is too short to be a .npy file");
        for (int i = 0; i < 6; i++) {
            if (magic[i] != MAGIC[i]) throw new NpyException(what + " is not a .npy file (bad magic string)");
        }
        int major = magic[6] & 0xff;
        int headerLen;
        int prefix;
        if (major == 1) {
            byte[] l = in.readNBytes(2);
            if (l.length < 2) throw new NpyException(what + ": truncated header");
            headerLen = (l[0] & 0xff) | (l[1] & 0xff) << 8;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            byte[] l = in.readNBytes(4);
            if (l.length < 4) throw new NpyException(what + ": truncated header");
            headerLen = ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt();
            prefix = 12;
        } else {
            throw new NpyException(what + ": unsupported .npy format version " + major + "." + (magic[7] & 0xff));
        }
        if (headerLen < 0 || headerLen > MAX_HEADER) throw new NpyException(what + ": header length " + headerLen + " is not plausible");
        byte[] hb = in.readNBytes(headerLen);
        if (hb.length < headerLen) throw new NpyException(what + ": truncated header");
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(header, "descr", "'([^']*)'", what);
        boolean fortran = field(header, "fortran_order", "(True|False)", what).equals("True");
        long[] shape = parseShape(field(header, "shape", "\\(([^)]*)\\)", what), what);
        Dtype dt = dtype(descr, what);
        long n = OnnxTensor.elementCount(shape);
        long bytes;
        try {
            bytes = Math.multiplyExact(n, (long) dt.size);
        } catch (ArithmeticException e) {
            throw new NpyException(what + ": shape " + java.util.Arrays.toString(shape) + " is too large");
        }
        if (available >= 0 && bytes > available - prefix - headerLen) {
            throw new NpyException(what + ": the header declares " + bytes + " bytes of data (" + descr + " "
                    + java.util.Arrays.toString(shape) + "), the file holds " + Math.max(0, available - prefix - headerLen));
        }
        if (bytes > OnnxTensor.MAX_BYTES) throw new NpyException(what + ": " + bytes + " bytes of data is more than one tensor may hold");
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) throw new NpyException(what + ": the data is truncated (" + data.length + " of " + bytes + " bytes)");
        ByteBuffer buf = ByteBuffer.wrap(data).order(dt.bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        ByteBuffer le = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (dt.size == 1 || !dt.bigEndian) {
            le.put(data);
        } else {
            for (int i = 0; i < n; i++) {
                switch (dt.size) {
                    case 2 -> le.putShort(buf.getShort(i * 2));
                    case 4 -> le.putInt(buf.getInt(i * 4));
                    default -> le.putLong(buf.getLong(i * 8));
                }
            }
        }
        le.flip();
        OnnxTensor out = OnnxTensor.wrap(dt.type, shape, le);
        if (dt.type == ElementType.BOOL) {
            for (int i = 0; i < n; i++) {
                if (out.getLong(i) > 1) throw new NpyException(what + ": bool element " + i + " is " + out.getLong(i) + ", not 0 or 1");
            }
        }
        if (fortran && shape.length > 1) {
            // the data is the transpose's C order: read it as reversed shape, then transpose back
            long[] rev = new long[shape.length];
            int[] perm = new int[shape.length];
            for (int i = 0; i < shape.length; i++) {
                rev[i] = shape[shape.length - 1 - i];
                perm[i] = shape.length - 1 - i;
            }
            out = ConstEval.transpose(OnnxTensor.wrap(dt.type, rev, out.data()), perm);
        }
        return out;
    }

    private static String field(String header, String key, String valueRegex, String what) {
        Matcher m = Pattern.compile("['\"]" + key + "['\"]\\s*:\\s*" + valueRegex).matcher(header);
        if (!m.find()) throw new NpyException(what + ": header has no valid '" + key + "' (" + header.strip() + ")");
        return m.group(1);
    }

    private static long[] parseShape(String s, String what) {
        List<Long> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            if (p.endsWith("L")) p = p.substring(0, p.length() - 1);
            try {
                long d = Long.parseLong(p);
                if (d < 0) throw new NumberFormatException();
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new NpyException(what + ": invalid shape (" + s + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private record Dtype(ElementType type, int size, boolean bigEndian) {}

    private static Dtype dtype(String descr, String what) {
        if (descr.length() < 2) throw new NpyException(what + ": unsupported dtype '" + descr + "'");
        char order = descr.charAt(0);
        String code = descr.substring(1);
        boolean big = order == '>' || (order == '!');
        if (order != '<' && order != '>' && order != '|' && order != '=' && order != '!') {
            code = descr;
            big = false;
        }
        ElementType t = switch (code) {
            case "f2", "e" -> ElementType.FLOAT16;
            case "f4", "f" -> ElementType.FLOAT;
            case "f8", "d" -> ElementType.DOUBLE;
            case "i1", "b" -> ElementType.INT8;
            case "u1", "B" -> ElementType.UINT8;
            case "i2", "h" -> ElementType.INT16;
            case "u2", "H" -> ElementType.UINT16;
            case "i4", "i" -> ElementType.INT32;
            case "u4", "I" -> ElementType.UINT32;
            case "i8", "q" -> ElementType.INT64;
            case "u8", "Q" -> ElementType.UINT64;
            case "b1", "?" -> ElementType.BOOL;
            default -> throw new NpyException(what + ": unsupported dtype '" + descr
                    + "' (supported: float16/32/64, int8/16/32/64, uint8/16/32/64, bool)");
        };
        return new Dtype(t, Math.max(1, t.bits() / 8), big);
    }

    // ------------------------------------------------------------------ writing

    /** The {@code descr} a tensor of {@code type} is written with. */
    public static String descr(ElementType type) {
        return switch (type) {
            case FLOAT16 -> "<f2";
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case INT8, INT4 -> "|i1";
            case UINT8, UINT4 -> "|u1";
            case INT16 -> "<i2";
            case UINT16 -> "<u2";
            case INT32 -> "<i4";
            case UINT32 -> "<u4";
            case INT64 -> "<i8";
            case UINT64 -> "<u8";
            case BOOL -> "|b1";
            case BFLOAT16 -> throw new NpyException("NumPy has no bfloat16 dtype; convert the tensor to float32 first");
        };
    }

    /** Writes a version 1.0 (or 2.0 when the header needs it) {@code .npy} file. */
    public static void write(Path file, OnnxTensor t) {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, t);
        } catch (IOException e) {
            throw new NpyException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static byte[] toBytes(OnnxTensor t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static void write(OutputStream out, OnnxTensor t) throws IOException {
        String descr = descr(t.type());
        long[] s = t.shape();
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) shape.append(i > 0 ? ", " : "").append(s[i]);
        if (s.length == 1) shape.append(',');
        shape.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int version = dict.length() + 11 > 65535 ? 2 : 1;
        int prefix = version == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        StringBuilder h = new StringBuilder(dict);
        while (prefix + h.length() + 1 < padded) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        out.write(MAGIC);
        out.write(version);
        out.write(0);
        if (version == 1) {
            out.write(hb.length & 0xff);
            out.write(hb.length >>> 8);
        } else {
            out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(hb.length).array());
        }
        out.write(hb);
        if (t.type() == ElementType.INT4 || t.type() == ElementType.UINT4) {
            byte[] unpacked = new byte[t.size()];
            for (int i = 0; i < unpacked.length; i++) unpacked[i] = (byte) t.getLong(i);
            out.write(unpacked);
        } else {
            ByteBuffer d = t.data();
            byte[] chunk = new byte[Math.min(d.remaining(), 1 << 16)];
            while (d.hasRemaining()) {
                int n = Math.min(chunk.length, d.remaining());
                d.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    /** A malformed or unsupported {@code .npy} file. */
    public static final class NpyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NpyException(String message) { super(message); }

        public NpyException(String message, Throwable cause) { super(message, cause); }
    }
}
