# Generates the .npy fixtures of NpyTest with NumPy (np.save), the reference writer.
# Run: python3 make_fixtures.py (NumPy 2.x).
import numpy as np
np.save("f4.npy", np.array([[1.5, -2, 0], [3.25, 1e-3, np.inf]], dtype="<f4"))
np.save("f2.npy", np.array([1, 0.5, -65504], dtype="<f2"))
np.save("f8_scalar.npy", np.array(2.5, dtype="<f8"))
np.save("i1.npy", np.array([-128, 0, 127], dtype="i1"))
np.save("u1.npy", np.array([0, 1, 255], dtype="u1"))
np.save("i2.npy", np.array([-32768, 7, 32767], dtype="<i2"))
np.save("u2.npy", np.array([0, 65535], dtype="<u2"))
np.save("i4.npy", np.array([[-2147483648, 1], [2, 2147483647]], dtype="<i4"))
np.save("u4.npy", np.array([0, 4294967295], dtype="<u4"))
np.save("i8.npy", np.array([-9223372036854775808, 9223372036854775807], dtype="<i8"))
np.save("u8.npy", np.array([0, 18446744073709551615], dtype="<u8"))
np.save("b1.npy", np.array([[True, False], [False, True]]))
np.save("f4_big_endian.npy", np.array([1.0, -3.5], dtype=">f4"))
np.save("f4_fortran.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("i8_empty.npy", np.zeros((0, 3), dtype="<i8"))
