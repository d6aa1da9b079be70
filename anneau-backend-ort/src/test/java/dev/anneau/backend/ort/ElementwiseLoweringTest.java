package dev.anneau.backend.ort;

import static dev.anneau.backend.ort.Differential.shape;
import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;

import dev.anneau.backend.ort.Differential.In;
import dev.anneau.webnn.MLGraphBuilder;
import dev.anneau.webnn.MLOperand;
import dev.anneau.webnn.MLOperandDataType;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The elementwise lowerings against the CPU kernels, for every data type the ort backend claims. */
class ElementwiseLoweringTest {
    static Differential d;
    static final List<MLOperandDataType> ALL = List.of(FLOAT32, FLOAT16, INT32, UINT32, INT64, UINT64, INT8, UINT8);
    static final List<MLOperandDataType> FLOATS = List.of(FLOAT32, FLOAT16);

    @BeforeAll
    static void open() { d = new Differential(); }

    @AfterAll
    static void close() { d.close(); }

    @org.junit.jupiter.api.AfterEach
    void noMismatches() { d.assertNoFailures(); }

    interface Bin { MLOperand apply(MLGraphBuilder b, MLOperand x, MLOperand y); }

    interface Un { MLOperand apply(MLGraphBuilder b, MLOperand x); }

    void binary(String name, Bin f, List<MLOperandDataType> types, int ulp) {
        for (MLOperandDataType t : types) {
            // same shapes, then broadcasting both ways
            d.check(name + " " + t, ulp, (b, in) -> f.apply(b, in.get("a"), in.get("b")),
                    d.random("a", t, shape(4, 6), true), d.random("b", t, shape(4, 6), true));
            d.check(name + " " + t + " broadcast", ulp, (b, in) -> f.apply(b, in.get("a"), in.get("b")),
                    d.random("a", t, shape(3, 1, 5), true), d.random("b", t, shape(4, 1), true));
            d.check(name + " " + t + " scalar", ulp, (b, in) -> f.apply(b, in.get("a"), in.get("b")),
                    d.random("a", t, shape(), true), d.random("b", t, shape(2, 3), true).asConstant());
        }
    }

    void unary(String name, Un f, List<MLOperandDataType> types, int ulp) {
        for (MLOperandDataType t : types) {
            d.check(name + " " + t, ulp, (b, in) -> f.apply(b, in.get("x")), d.random("x", t, shape(5, 8), true));
            d.check(name + " " + t + " 0-D", ulp, (b, in) -> f.apply(b, in.get("x")), d.random("x", t, shape(), false));
        }
    }

    @Test
    void arithmetic() {
        binary("add", MLGraphBuilder::add, ALL, 0);
        binary("sub", MLGraphBuilder::sub, ALL, 0);
        binary("mul", MLGraphBuilder::mul, ALL, 0);
        binary("max", MLGraphBuilder::max, ALL, 0);
        binary("min", MLGraphBuilder::min, ALL, 0);
        binary("div", MLGraphBuilder::div, ALL, 0);
        binary("pow", MLGraphBuilder::pow, FLOATS, 2);
        binary("pow", MLGraphBuilder::pow, List.of(INT32, UINT32, INT64, UINT64, INT8, UINT8), 0);
    }

    @Test
    void inputNamesOutsideAsciiAndNamesThatLookEscaped() {
        // ORT's Java API garbles non-ASCII value names; OrtGraph escapes them (injectively)
        d.check("add named inputs", 0, (b, in) -> b.add(b.add(in.get("\uD83E\uDD26\uD83C\uDFFC\u200D\u2642\uFE0F1#!"), in.get("_0078")),
                        in.get("x")),
                In.floats("\uD83E\uDD26\uD83C\uDFFC\u200D\u2642\uFE0F1#!", FLOAT32, shape(2), 1, 2),
                In.floats("_0078", FLOAT32, shape(2), 10, 20), In.floats("x", FLOAT32, shape(2), 100, 200));
    }

    @Test
    void integerDivisionByZeroAndMinByMinusOne() {
        d.check("div int32", 0, (b, in) -> b.div(in.get("a"), in.get("b")),
                In.ints("a", INT32, shape(6), Integer.MIN_VALUE, 7, -7, 5, Integer.MIN_VALUE, 0),
                In.ints("b", INT32, shape(6), -1, 0, 2, -1, 0, 0));
        d.check("div int64", 0, (b, in) -> b.div(in.get("a"), in.get("b")),
                In.ints("a", INT64, shape(4), Long.MIN_VALUE, 7, -7, Long.MIN_VALUE),
                In.ints("b", INT64, shape(4), -1, 0, 2, 3));
        d.check("div uint64", 0, (b, in) -> b.div(in.get("a"), in.get("b")),
                In.ints("a", UINT64, shape(4), -1, 7, Long.MIN_VALUE, 9),
                In.ints("b", UINT64, shape(4), 3, 0, -1, 2));
        d.check("div int8", 0, (b, in) -> b.div(in.get("a"), in.get("b")),
                In.ints("a", INT8, shape(4), -128, 7, -7, 100), In.ints("b", INT8, shape(4), -1, 0, 2, -3));
    }

    @Test
    void comparisons() {
        binary("equal", MLGraphBuilder::equal, ALL, 0);
        binary("notEqual", MLGraphBuilder::notEqual, ALL, 0);
        binary("greater", MLGraphBuilder::greater, ALL, 0);
        binary("greaterOrEqual", MLGraphBuilder::greaterOrEqual, ALL, 0);
        binary("lesser", MLGraphBuilder::lesser, ALL, 0);
        binary("lesserOrEqual", MLGraphBuilder::lesserOrEqual, ALL, 0);
    }

    @Test
    void logical() {
        // any non-zero byte is true
        In a = In.ints("a", UINT8, shape(2, 4), 0, 1, 2, 255, 0, 0, 7, 128);
        In b = In.ints("b", UINT8, shape(4), 0, 3, 0, 1);
        d.check("logicalAnd", 0, (g, in) -> g.logicalAnd(in.get("a"), in.get("b")), a, b);
        d.check("logicalOr", 0, (g, in) -> g.logicalOr(in.get("a"), in.get("b")), a, b);
        d.check("logicalXor", 0, (g, in) -> g.logicalXor(in.get("a"), in.get("b")), a, b);
        d.check("logicalNot", 0, (g, in) -> g.logicalNot(in.get("a")), a);
        unary("isNaN", MLGraphBuilder::isNaN, ALL, 0);
        unary("isInfinite", MLGraphBuilder::isInfinite, ALL, 0);
    }

    @Test
    void unaryFloat() {
        unary("ceil", MLGraphBuilder::ceil, FLOATS, 0);
        unary("floor", MLGraphBuilder::floor, FLOATS, 0);
        unary("roundEven", MLGraphBuilder::roundEven, FLOATS, 0);
        unary("sqrt", MLGraphBuilder::sqrt, FLOATS, 1);
        unary("reciprocal", MLGraphBuilder::reciprocal, FLOATS, 0);
        unary("exp", MLGraphBuilder::exp, FLOATS, 2);
        unary("log", MLGraphBuilder::log, FLOATS, 2);
        unary("sin", MLGraphBuilder::sin, FLOATS, 4);
        unary("cos", MLGraphBuilder::cos, FLOATS, 4);
        unary("tan", MLGraphBuilder::tan, FLOATS, 8);
        unary("erf", MLGraphBuilder::erf, FLOATS, 4);
        List<MLOperandDataType> signed = List.of(FLOAT32, FLOAT16, INT32, INT64, INT8);
        unary("abs", MLGraphBuilder::abs, signed, 0);
        unary("neg", MLGraphBuilder::neg, signed, 0);
        unary("sign", MLGraphBuilder::sign, signed, 0);
        unary("identity", MLGraphBuilder::identity, ALL, 0);
    }

    @Test
    void roundEvenHalvesGoToEven() {
        d.check("roundEven halves", 0, (b, in) -> b.roundEven(in.get("x")),
                In.floats("x", FLOAT32, shape(8), 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 1e9 + 0.5));
    }

    @Test
    void castEveryPair() {
        for (MLOperandDataType from : ALL) {
            for (MLOperandDataType to : ALL) {
                d.check("cast " + from + " -> " + to, 0, (b, in) -> b.cast(in.get("x"), to), d.random("x", from, shape(64), true));
            }
        }
    }

    @Test
    void castSaturatesOutOfRangeFloatsAndMapsNaNToZero() {
        double[] v = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2147483520.0, 2147483648.0, -2147483648.0,
                -2147483904.0, 4294967040.0, 4294967296.0, 9.2233714e18, 9.223372036854775807E18, -9.3e18, 1.8446743e19,
                1.9e19, 127.9, 128, -128.9, -129, 255.5, 256, -0.9, -1};
        for (MLOperandDataType from : FLOATS) {
            for (MLOperandDataType to : List.of(INT8, UINT8, INT32, UINT32, INT64, UINT64)) {
                d.check("cast " + from + " -> " + to, 0, (b, in) -> b.cast(in.get("x"), to),
                        In.floats("x", from, shape(v.length), v));
            }
        }
    }

    @Test
    void where() {
        for (MLOperandDataType t : ALL) {
            d.check("where " + t, 0, (b, in) -> b.where(in.get("c"), in.get("t"), in.get("f")),
                    In.ints("c", UINT8, shape(2, 1, 3), 0, 1, 2, 255, 0, 9), d.random("t", t, shape(4, 1), true),
                    d.random("f", t, shape(1, 3), true));
        }
    }

    @Test
    void integerPowWrapsAndTruncatesNegativeExponents() {
        d.check("pow int32", 0, (b, in) -> b.pow(in.get("a"), in.get("b")),
                In.ints("a", INT32, shape(10), 3, 3, -3, 2, 1, -1, -1, 0, 5, 7),
                In.ints("b", INT32, shape(10), 40, 21, 5, 31, -7, -3, -4, -2, 0, Integer.MAX_VALUE));
        d.check("pow int64", 0, (b, in) -> b.pow(in.get("a"), in.get("b")),
                In.ints("a", INT64, shape(6), 3, -7, 2, 1, -1, 10),
                In.ints("b", INT64, shape(6), 80, 33, 63, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE));
        d.check("pow uint64", 0, (b, in) -> b.pow(in.get("a"), in.get("b")),
                In.ints("a", UINT64, shape(4), 3, -1, 2, 5), In.ints("b", UINT64, shape(4), -1, 3, 64, 1L << 40));
        d.check("pow int8", 0, (b, in) -> b.pow(in.get("a"), in.get("b")),
                In.ints("a", INT8, shape(4), 3, -2, 2, -1), In.ints("b", INT8, shape(4), 5, 7, -128, 127));
    }
}
