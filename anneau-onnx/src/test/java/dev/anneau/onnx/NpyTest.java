package dev.anneau.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy reading and writing against files written by NumPy's np.save (see resources/npy/make_fixtures.py). */
class NpyTest {
    static byte[] fixture(String name) throws Exception {
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsEveryNumpyDtypeWithItsValues() throws Exception {
        OnnxTensor f4 = Npy.read(fixture("f4.npy"));
        assertEquals(ElementType.FLOAT, f4.type());
        assertArrayEquals(new long[] {2, 3}, f4.shape());
        assertArrayEquals(new float[] {1.5f, -2, 0, 3.25f, 1e-3f, Float.POSITIVE_INFINITY}, f4.toFloatArray());

        OnnxTensor f2 = Npy.read(fixture("f2.npy"));
        assertEquals(ElementType.FLOAT16, f2.type());
        assertArrayEquals(new double[] {1, 0.5, -65504}, f2.toDoubleArray());

        OnnxTensor f8 = Npy.read(fixture("f8_scalar.npy"));
        assertEquals(ElementType.DOUBLE, f8.type());
        assertEquals(0, f8.rank());
        assertEquals(2.5, f8.getDouble(0));

        assertInts("i1.npy", ElementType.INT8, -128, 0, 127);
        assertInts("u1.npy", ElementType.UINT8, 0, 1, 255);
        assertInts("i2.npy", ElementType.INT16, -32768, 7, 32767);
        assertInts("u2.npy", ElementType.UINT16, 0, 65535);
        assertInts("i4.npy", ElementType.INT32, Integer.MIN_VALUE, 1, 2, Integer.MAX_VALUE);
        assertInts("u4.npy", ElementType.UINT32, 0, 4294967295L);
        assertInts("i8.npy", ElementType.INT64, Long.MIN_VALUE, Long.MAX_VALUE);
        assertInts("u8.npy", ElementType.UINT64, 0, -1L /* 2^64 - 1 as bits */);
        assertInts("b1.npy", ElementType.BOOL, 1, 0, 0, 1);
    }

    private static void assertInts(String file, ElementType type, long... want) throws Exception {
        OnnxTensor t = Npy.read(fixture(file));
        assertEquals(type, t.type(), file);
        assertArrayEquals(want, t.toLongArray(), file);
    }

    @Test
    void bigEndianAndFortranOrderAreConvertedToLittleEndianCOrder() throws Exception {
        assertArrayEquals(new float[] {1, -3.5f}, Npy.read(fixture("f4_big_endian.npy")).toFloatArray());
        OnnxTensor f = Npy.read(fixture("f4_fortran.npy"));
        assertArrayEquals(new long[] {2, 3}, f.shape());
        // np.arange(6).reshape(2, 3) in C order, whatever the storage order
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, f.toFloatArray());
    }

    @Test
    void emptyArrays() throws Exception {
        OnnxTensor t = Npy.read(fixture("i8_empty.npy"));
        assertArrayEquals(new long[] {0, 3}, t.shape());
        assertEquals(0, t.size());
    }

    @Test
    void writesExactlyWhatNumpyWrites() throws Exception {
        for (String f : new String[] {"f4.npy", "f2.npy", "f8_scalar.npy", "i1.npy", "u1.npy", "i2.npy", "u2.npy", "i4.npy",
                "u4.npy", "i8.npy", "u8.npy", "b1.npy", "i8_empty.npy"}) {
            byte[] numpy = fixture(f);
            assertArrayEquals(numpy, Npy.toBytes(Npy.read(numpy)), f);
        }
    }

    @Test
    void fourBitTypesAreWrittenOneElementPerByte(@TempDir Path dir) {
        OnnxTensor t = OnnxTensor.ofLongs(ElementType.INT4, new long[] {3}, -8, 7, -1);
        Path p = dir.resolve("i4.npy");
        Npy.write(p, t);
        OnnxTensor back = Npy.read(p);
        assertEquals(ElementType.INT8, back.type());
        assertArrayEquals(new long[] {-8, 7, -1}, back.toLongArray());
    }

    @Test
    void malformedFilesGiveClearErrors() throws Exception {
        byte[] good = fixture("f4.npy");
        Npy.NpyException e = assertThrows(Npy.NpyException.class, () -> Npy.read(Arrays.copyOf(good, good.length - 4)));
        assertTrue(e.getMessage().contains("holds"), e.getMessage());
        e = assertThrows(Npy.NpyException.class, () -> Npy.read(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        byte[] bad = good.clone();
        bad[1] = 'X';
        e = assertThrows(Npy.NpyException.class, () -> Npy.read(bad));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        // a huge declared shape with no data behind it: refused before allocating
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }";
        byte[] huge = npy(header, new byte[8]);
        e = assertThrows(Npy.NpyException.class, () -> Npy.read(huge));
        assertTrue(e.getMessage().contains("declares") || e.getMessage().contains("too large"), e.getMessage());
        byte[] strings = npy("{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }", new byte[20]);
        e = assertThrows(Npy.NpyException.class, () -> Npy.read(strings));
        assertTrue(e.getMessage().contains("unsupported dtype '<U5'"), e.getMessage());
        byte[] badBool = npy("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] {1, 7});
        e = assertThrows(Npy.NpyException.class, () -> Npy.read(badBool));
        assertTrue(e.getMessage().contains("not 0 or 1"), e.getMessage());
    }

    private static byte[] npy(String dict, byte[] data) {
        byte[] h = (dict + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + data.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (h.length & 0xff), (byte) (h.length >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(data, 0, out, 10 + h.length, data.length);
        return out;
    }

    @Test
    void fileRoundTrip(@TempDir Path dir) throws Exception {
        OnnxTensor t = OnnxTensor.ofFloats(new long[] {2, 2}, 1, 2, 3, 4);
        Path p = dir.resolve("x.npy");
        Npy.write(p, t);
        assertTrue(Files.size(p) % 64 == 16 || Files.size(p) == 64 + 16);
        assertTrue(t.contentEquals(Npy.read(p)));
    }
}
