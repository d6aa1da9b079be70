package dev.anneau.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anneau.webnn.MLOperandDataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The comparison rules of SUITE-README "How to compare results".
 *
 * <ul>
 *   <li>ULP, float32: distance between sign-magnitude float32 bit patterns (NaN = the canonical quiet
 *       NaN, so NaN vs NaN is 0; +0 and -0 are equal; the expected double is first rounded to float32);</li>
 *   <li>ULP, float16: {@code |raw actual bits - toHalf(expected)|} on the unsigned 16-bit patterns,
 *       0 when both are ±0;</li>
 *   <li>ULP, integer types: {@code |actual - expected|} in exact arithmetic;</li>
 *   <li>ATOL: {@code |actual - expected| <= value} in double (NaN never passes);</li>
 *   <li>{@code value == null}: exact equality.</li>
 * </ul>
 * For a scalar expected {@code data} only the first {@code min(1000, n)} elements are compared.
 *
 * @param metric "ULP" or "ATOL"
 * @param value the allowed distance, or null for exact equality
 */
public record Tolerance(String metric, Double value) {
    /** The harness's {@code kMaximumIndexToValidate}. */
    public static final int MAX_INDEX_TO_VALIDATE = 1000;

    public Tolerance {
        if (!"ULP".equals(metric) && !"ATOL".equals(metric)) {
            throw new SchemaException("tolerance.metricType must be \"ULP\" or \"ATOL\", got " + metric);
        }
    }

    public static Tolerance ulp(double v) { return new Tolerance("ULP", v); }

    public static Tolerance atol(double v) { return new Tolerance("ATOL", v); }

    public static Tolerance exact(String metric) { return new Tolerance(metric, null); }

    /** How the error is measured: "ULP", "ATOL" or "exact". */
    public String errorMetric() { return value == null ? "exact" : metric; }

    @Override
    public String toString() { return value == null ? metric + " exact (no tolerance for this type)" : metric + " " + fmt(value); }

    /** Result of comparing one output. */
    public record Comparison(boolean passed, double worstError, int compared, int mismatches, List<String> firstMismatches) {
        public Comparison {
            firstMismatches = List.copyOf(firstMismatches);
        }
    }

    /**
     * Compares the actual tensor bytes of type {@code type} ({@code elements} elements) with the
     * expected JSON {@code data}.
     */
    public Comparison compare(MLOperandDataType type, ByteBuffer actual, JsonNode expected, int elements) {
        int len = ValueCodec.dataLength(expected);
        int count;
        if (len < 0) {
            count = Math.min(MAX_INDEX_TO_VALIDATE, elements);
        } else {
            if (len != elements) throw new SchemaException("expected 'data' has " + len + " values, the shape has " + elements);
            count = elements;
        }
        double worst = 0;
        int bad = 0;
        List<String> first = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode e = ValueCodec.element(expected, i);
            double d = distance(type, actual, i, e);
            boolean ok = value == null ? d == 0 : d <= value; // NaN distance never passes
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
            if (d > worst) worst = d;
            if (!ok) {
                bad++;
                if (first.size() < 3) {
                    first.add("[" + i + "] got " + ValueCodec.format(type, actual, i) + ", expected " + e.asText()
                            + " (" + errorMetric() + " " + fmt(d) + ")");
                }
            }
        }
        return new Comparison(bad == 0, worst, count, bad, first);
    }

    /** The distance of element {@code i} under this tolerance's metric (NaN or +Inf when incomparable). */
    double distance(MLOperandDataType type, ByteBuffer actual, int i, JsonNode expectedNode) {
        if (metric.equals("ATOL")) {
            double a = ValueCodec.readDouble(type, actual, i);
            double e = ValueCodec.toDouble(expectedNode);
            return Math.abs(a - e); // NaN for NaN or Inf - Inf: never passes
        }
        return switch (type) {
            case FLOAT32 -> {
                float a = actual.getFloat(actual.position() + 4 * i);
                double e = ValueCodec.toDouble(expectedNode);
                if (value == null) yield (double) a == e ? 0 : Double.POSITIVE_INFINITY;
                if ((double) a == e) yield 0;
                yield Math.abs((double) float32UlpBits(a) - float32UlpBits((float) e));
            }
            case FLOAT16 -> {
                int a = actual.getShort(actual.position() + 2 * i) & 0xFFFF;
                double ed = ValueCodec.toDouble(expectedNode);
                if (value == null) yield (double) Float.float16ToFloat((short) a) == ed ? 0 : Double.POSITIVE_INFINITY;
                yield float16Distance(a, ValueCodec.toHalf(ed) & 0xFFFF);
            }
            case INT64, UINT64 -> integerDistance64(type, actual.getLong(actual.position() + 8 * i), expectedNode);
            default -> {
                long a = ValueCodec.readInteger(type, actual, i);
                double e = ValueCodec.toDouble(expectedNode);
                yield Math.abs((double) a - e); // exact: both fit in 53 bits
            }
        };
    }

    /** {@code bits(|x|)} as float32, negated for negative x; NaN is the canonical quiet NaN. */
    public static long float32UlpBits(float x) {
        if (Float.isNaN(x)) return 0x7fc00000L;
        long bits = Float.floatToRawIntBits(Math.abs(x));
        return x < 0 ? -bits : bits;
    }

    /** Distance of two raw float16 patterns: 0 when both are ±0, else the difference of the unsigned patterns. */
    public static int float16Distance(int actualBits, int expectedBits) {
        if ((actualBits & 0x7FFF) == 0 && (expectedBits & 0x7FFF) == 0) return 0;
        return Math.abs(actualBits - expectedBits);
    }

    private static double integerDistance64(MLOperandDataType type, long raw, JsonNode expectedNode) {
        BigInteger a = type == MLOperandDataType.UINT64 ? new BigInteger(Long.toUnsignedString(raw)) : BigInteger.valueOf(raw);
        BigInteger e = ValueCodec.exactInteger(expectedNode);
        if (e != null) return a.subtract(e).abs().doubleValue();
        double ed = ValueCodec.toDouble(expectedNode);
        if (Double.isNaN(ed) || Double.isInfinite(ed)) return Double.POSITIVE_INFINITY;
        return new BigDecimal(a).subtract(new BigDecimal(ed)).abs().doubleValue();
    }

    static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return Double.toString(d);
    }
}
