package dev.anneau.difftest;

import static dev.anneau.webnn.MLOperandDataType.FLOAT16;
import static dev.anneau.webnn.MLOperandDataType.FLOAT32;
import static dev.anneau.webnn.MLOperandDataType.INT32;
import static dev.anneau.webnn.MLOperandDataType.INT64;
import static dev.anneau.webnn.MLOperandDataType.INT8;
import static dev.anneau.webnn.MLOperandDataType.UINT32;
import static dev.anneau.webnn.MLOperandDataType.UINT64;
import static dev.anneau.webnn.MLOperandDataType.UINT8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.conformance.Tolerance;
import dev.anneau.webnn.MLOperandDataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A seeded generator of random, valid WebNN graphs of 1 to {@code maxOps} operators, written in the
 * WPT JSON schema (testdata/webnn-wpt/SUITE-README.md): graph inputs and constants with their data,
 * operators with their arguments, and the descriptors of the expected outputs (the data is filled in
 * later from the reference backend).
 *
 * <p>It only uses what {@link Caps} allows (the operators and data types every backend under
 * comparison claims in {@code opSupportLimits()}), so it follows the backends as they grow.
 *
 * <p>Tolerance: the WPT rule for subgraphs, the sum of the per-operator ULP values over the graph's
 * operators ({@link OpTolerance}). To keep that rule meaningful the generator tracks, per operand,
 * a conservative {@link Domain} of its values and whether both backends must produce it bit for bit
 * ({@link Err#EXACT}: only data movement and ULP-0 operators on exact inputs). It then
 * <ul>
 *   <li>feeds discontinuous operators (floor, ceil, roundEven, sign, comparisons, argMin/argMax,
 *       casts to integers, quantizeLinear) only exact operands, where both backends see the same bits;</li>
 *   <li>never lets a sum or dot product see terms of both signs unless its inputs are exact and it is a
 *       single correctly rounded add/sub (no cancellation: a ULP distance relative to a result near 0 is
 *       meaningless), keeps divisors away from zero and the arguments of exp, log, pow, sigmoid, softmax...
 *       in ranges where both backends are accurate;</li>
 *   <li>makes normalizations' outputs dominated by their bias so that they stay away from zero;</li>
 *   <li>allows an ATOL operator (sin, cos, tan, erf, tanh, log) only on exact operands in a graph whose
 *       other operators are all exact; the graph is then compared with that operator's ATOL.</li>
 * </ul>
 * The same seed always gives the same graph (for a given {@link Caps}).
 */
final class GraphGenerator {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final int MAX_ELEMENTS = 2048;
    static final Set<MLOperandDataType> FLOATS = EnumSet.of(FLOAT32, FLOAT16);
    static final Set<MLOperandDataType> INTS = EnumSet.of(INT8, UINT8, INT32, UINT32, INT64, UINT64);
    static final Set<MLOperandDataType> ALL = EnumSet.of(FLOAT32, FLOAT16, INT8, UINT8, INT32, UINT32, INT64, UINT64);
    static final Set<MLOperandDataType> INDEX_TYPES = EnumSet.of(INT32, UINT32, INT64);
    /** Operators whose {@code outputs} is written as an array (SUITE-README). */
    static final Set<String> MULTI_OUTPUT = Set.of("split", "gru", "lstm", "lstmCell");

    /** How far both backends must agree on an operand. */
    enum Err { EXACT, ULP, ATOL }

    /** An operand of the graph under construction. */
    static final class Val {
        final String name;
        final MLOperandDataType type;
        final int[] shape;
        final Domain dom;
        final Err err;
        final boolean produced; // an operator's output (else a graph input or constant)
        boolean special;        // holds NaN or infinities: only isNaN/isInfinite read it
        int uses;

        Val(String name, MLOperandDataType type, int[] shape, Domain dom, Err err, boolean produced) {
            this.name = name;
            this.type = type;
            this.shape = shape;
            this.dom = dom;
            this.err = err;
            this.produced = produced;
        }

        int rank() { return shape.length; }

        long size() { return GraphGenerator.size(shape); }

        boolean exact() { return err == Err.EXACT; }

        boolean isFloat() { return FLOATS.contains(type); }

        @Override
        public String toString() { return name + ":" + type.specName() + Arrays.toString(shape) + dom + err; }
    }

    /** One generated graph. */
    record Generated(long seed, ObjectNode graph, List<String> outputs, Tolerance tolerance, List<String> operators) {
        String describe() {
            return String.join(" -> ", operators) + " (" + tolerance + ")";
        }
    }

    private final Caps caps;
    private final long seed;
    private final SplittableRandom rnd;
    private final ObjectNode inputs = JSON.objectNode();
    private final ArrayNode operators = JSON.arrayNode();
    private final List<Val> vals = new ArrayList<>();
    private final List<String> opNames = new ArrayList<>();
    private int counter;
    private double ulpSum;
    private Double atol;
    private String atolOp;

    GraphGenerator(Caps caps, long seed) {
        this.caps = caps;
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
    }

    // =================================================================== driver

    private record OpGen(String name, int weight, BooleanSupplier gen) {}

    private List<OpGen> catalog() {
        List<OpGen> l = new ArrayList<>();
        // element-wise binary
        for (String op : Arrays.asList("add", "sub", "mul", "div", "max", "min", "pow")) l.add(new OpGen(op, 6, () -> binary(op)));
        for (String op : Arrays.asList("equal", "notEqual", "greater", "greaterOrEqual", "lesser", "lesserOrEqual")) {
            l.add(new OpGen(op, 2, () -> compare(op)));
        }
        for (String op : Arrays.asList("logicalAnd", "logicalOr", "logicalXor")) l.add(new OpGen(op, 1, () -> logical(op)));
        l.add(new OpGen("logicalNot", 1, () -> logical("logicalNot")));
        // element-wise unary
        for (String op : Arrays.asList("abs", "neg", "ceil", "floor", "roundEven", "sign", "cos", "sin", "tan", "erf", "exp", "log",
                "reciprocal", "sqrt", "identity", "isNaN", "isInfinite", "relu", "sigmoid", "softsign", "softplus", "gelu",
                "hardSwish", "elu", "leakyRelu", "hardSigmoid", "linear", "clamp", "tanh")) {
            l.add(new OpGen(op, 3, () -> unary(op)));
        }
        l.add(new OpGen("prelu", 3, this::prelu));
        l.add(new OpGen("softmax", 3, this::softmax));
        l.add(new OpGen("cast", 4, this::cast));
        l.add(new OpGen("where", 3, this::where));
        // reductions
        for (String op : Arrays.asList("reduceL1", "reduceL2", "reduceLogSum", "reduceLogSumExp", "reduceMax", "reduceMean",
                "reduceMin", "reduceProduct", "reduceSum", "reduceSumSquare")) {
            l.add(new OpGen(op, 3, () -> reduce(op)));
        }
        l.add(new OpGen("argMin", 2, () -> argMinMax("argMin")));
        l.add(new OpGen("argMax", 2, () -> argMinMax("argMax")));
        l.add(new OpGen("cumulativeSum", 2, this::cumulativeSum));
        // normalization
        l.add(new OpGen("batchNormalization", 4, this::batchNormalization));
        l.add(new OpGen("instanceNormalization", 3, this::instanceNormalization));
        l.add(new OpGen("layerNormalization", 4, this::layerNormalization));
        // convolution, pooling, matrix
        l.add(new OpGen("conv2d", 8, this::conv2d));
        l.add(new OpGen("convTranspose2d", 6, this::convTranspose2d));
        for (String op : Arrays.asList("averagePool2d", "l2Pool2d", "maxPool2d")) l.add(new OpGen(op, 4, () -> pool(op)));
        l.add(new OpGen("resample2d", 4, this::resample2d));
        l.add(new OpGen("matmul", 6, this::matmul));
        l.add(new OpGen("gemm", 5, this::gemm));
        // shape and data movement
        l.add(new OpGen("concat", 5, this::concat));
        l.add(new OpGen("expand", 3, this::expand));
        l.add(new OpGen("gather", 4, this::gather));
        l.add(new OpGen("gatherElements", 3, this::gatherElements));
        l.add(new OpGen("gatherND", 3, this::gatherND));
        l.add(new OpGen("scatterElements", 3, this::scatterElements));
        l.add(new OpGen("scatterND", 3, this::scatterND));
        l.add(new OpGen("pad", 4, this::pad));
        l.add(new OpGen("reshape", 6, this::reshape));
        l.add(new OpGen("reverse", 3, this::reverse));
        l.add(new OpGen("slice", 5, this::slice));
        l.add(new OpGen("split", 3, this::split));
        l.add(new OpGen("tile", 3, this::tile));
        l.add(new OpGen("transpose", 6, this::transpose));
        l.add(new OpGen("triangular", 3, this::triangular));
        // recurrent
        l.add(new OpGen("lstm", 2, () -> recurrent("lstm")));
        l.add(new OpGen("lstmCell", 2, () -> recurrent("lstmCell")));
        l.add(new OpGen("gru", 2, () -> recurrent("gru")));
        l.add(new OpGen("gruCell", 2, () -> recurrent("gruCell")));
        // quantization
        l.add(new OpGen("quantizeLinear", 3, this::quantizeLinear));
        l.add(new OpGen("dequantizeLinear", 3, this::dequantizeLinear));
        return l;
    }

    /** The operators this generator knows, for reports. */
    static List<String> knownOperators() {
        return new GraphGenerator(new Caps(List.of()), 0).catalog().stream().map(OpGen::name).toList();
    }

    /** The operators of {@link #knownOperators()} that {@code caps} allows at all. */
    static List<String> usableOperators(Caps caps) {
        return knownOperators().stream().filter(caps::has).toList();
    }

    /** Generates one graph of 1 to {@code maxOps} operators; null when caps allows no operator. */
    Generated generate(int maxOps) {
        List<OpGen> usable = catalog().stream().filter(g -> caps.has(g.name)).toList();
        if (usable.isEmpty()) return null;
        int total = usable.stream().mapToInt(OpGen::weight).sum();
        int target = 1 + rnd.nextInt(Math.max(1, maxOps));
        int failures = 0;
        while (opNames.size() < target && failures < 60 * target) {
            int r = rnd.nextInt(total);
            OpGen pick = null;
            for (OpGen g : usable) {
                r -= g.weight;
                if (r < 0) {
                    pick = g;
                    break;
                }
            }
            int before = operators.size();
            boolean ok = pick.gen.getAsBoolean();
            if (!ok) {
                failures++;
                if (operators.size() != before) throw new IllegalStateException(pick.name + " emitted and then refused");
            }
        }
        if (opNames.isEmpty()) return null;
        List<String> outs = new ArrayList<>();
        ObjectNode expected = JSON.objectNode();
        // sometimes an intermediate value is a graph output too (a backend must not fuse it away)
        List<Val> inner = vals.stream().filter(v -> v.produced && v.uses > 0).toList();
        Val extra = !inner.isEmpty() && chance(0.2) ? oneOf(inner) : null;
        for (Val v : vals) {
            if (v.produced && (v.uses == 0 || v == extra)) {
                outs.add(v.name);
                ObjectNode o = expected.putObject(v.name);
                o.put("data", 0);
                o.set("descriptor", descriptor(v.type, v.shape));
            }
        }
        // inputs and constants nothing reads (an operator refused after creating them) are dropped
        List<String> unused = new ArrayList<>();
        for (Val v : vals) if (!v.produced && v.uses == 0) unused.add(v.name);
        inputs.remove(unused);
        ObjectNode graph = JSON.objectNode();
        graph.set("inputs", inputs);
        graph.set("operators", operators);
        graph.set("expectedOutputs", expected);
        Tolerance tol = atol != null ? Tolerance.atol(atol) : Tolerance.ulp(ulpSum);
        return new Generated(seed, graph, outs, tol, List.copyOf(opNames));
    }

    // =================================================================== helpers: randomness

    private int between(int lo, int hi) { return lo + rnd.nextInt(hi - lo + 1); }

    private double uniform(double lo, double hi) { return lo + rnd.nextDouble() * (hi - lo); }

    private boolean chance(double p) { return rnd.nextDouble() < p; }

    private <T> T oneOf(List<T> l) { return l.get(rnd.nextInt(l.size())); }

    @SafeVarargs
    private <T> T oneOf(T... l) { return l[rnd.nextInt(l.length)]; }

    private MLOperandDataType oneOf(Set<MLOperandDataType> s) {
        List<MLOperandDataType> l = new ArrayList<>(s);
        return l.isEmpty() ? null : l.get(rnd.nextInt(l.size()));
    }

    /** Share of float16 among fresh float operands ({@code -Ddifftest.float16Share}, default 0.25). */
    static final double FLOAT16_SHARE = Double.parseDouble(System.getProperty("difftest.float16Share", "0.25"));

    /** Float data types a fresh operand of this operator may have, favouring float32. */
    private MLOperandDataType pickFloat(Set<MLOperandDataType> s) {
        if (s.contains(FLOAT32) && (!s.contains(FLOAT16) || !chance(FLOAT16_SHARE))) return FLOAT32;
        return s.contains(FLOAT16) ? FLOAT16 : oneOf(s);
    }

    private MLOperandDataType pickType(Set<MLOperandDataType> s) {
        if (s.isEmpty()) return null;
        Set<MLOperandDataType> f = EnumSet.copyOf(s);
        f.retainAll(FLOATS);
        if (!f.isEmpty() && (f.size() == s.size() || chance(0.7))) return pickFloat(f);
        Set<MLOperandDataType> i = EnumSet.copyOf(s);
        i.removeAll(FLOATS);
        return oneOf(i);
    }

    static long size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** A random shape of rank in [minRank, maxRank] with at most {@code maxElements} elements. */
    private int[] randomShape(int minRank, int maxRank, int maxElements) {
        maxRank = Math.min(maxRank, Math.min(5, caps.maxRank()));
        if (minRank > maxRank) return null;
        int rank;
        double u = rnd.nextDouble();
        if (minRank == 0 && u < 0.05) rank = 0;
        else rank = Math.max(minRank, Math.min(maxRank, between(Math.max(1, minRank), Math.max(1, Math.min(4, maxRank)))));
        if (rank < 5 && maxRank >= 5 && chance(0.05)) rank = 5;
        int[] s = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            int d = chance(0.15) ? 1 : between(1, 6);
            while (d > 1 && n * d > maxElements) d--;
            s[i] = d;
            n *= d;
        }
        return s;
    }

    // =================================================================== helpers: values

    /** The type limits used to keep values finite and exactly representable. */
    static double maxMagnitude(MLOperandDataType t) {
        return switch (t) {
            case FLOAT32 -> 1e5;
            case FLOAT16 -> 1000;
            case INT8 -> 127;
            case UINT8 -> 255;
            case INT32, UINT32 -> 1e9;
            case INT64 -> 9.2e18; // arithmetic checks its own overflow against typeMin/typeMax
            case UINT64 -> 1.8446744073709552E19;
            default -> 0;
        };
    }

    static double typeMin(MLOperandDataType t) {
        return switch (t) {
            case INT8 -> -128;
            case UINT8, UINT32, UINT64 -> 0;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> -9.2e18;
            default -> Double.NEGATIVE_INFINITY;
        };
    }

    static double typeMax(MLOperandDataType t) {
        return switch (t) {
            case INT8 -> 127;
            case UINT8 -> 255;
            case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 4294967295.0;
            case INT64 -> 9.2e18;
            case UINT64 -> 1.8446744073709552E19;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    /** Whether the domain's values fit the type (and floats stay well inside their range). */
    static boolean fits(Domain d, MLOperandDataType t) {
        if (FLOATS.contains(t)) return d.maxAbs() <= maxMagnitude(t) && (d.minAbs() == 0 || d.minAbs() >= 1e-3);
        return d.lo() >= typeMin(t) && d.hi() <= Math.min(typeMax(t), maxMagnitude(t));
    }

    /** A default domain for fresh operands of type t. */
    private Domain defaultDomain(MLOperandDataType t) {
        return switch (t) {
            case FLOAT32, FLOAT16 -> switch (rnd.nextInt(6)) {
                case 0 -> Domain.pos(0.1, 1);
                case 1 -> Domain.pos(0.25, 2);
                case 2 -> Domain.neg(0.1, 2);
                case 3 -> Domain.mixed(0.1, 2);
                case 4 -> Domain.mixed(0, 1);
                default -> Domain.mixed(0.25, 4);
            };
            case INT8 -> Domain.ints(-8, 8);
            case UINT8 -> Domain.ints(0, 10);
            case UINT32, UINT64 -> Domain.ints(0, 40);
            default -> Domain.ints(-40, 40);
        };
    }

    private Domain oneSignedDomain(MLOperandDataType t) {
        if (!FLOATS.contains(t)) {
            Domain d = defaultDomain(t);
            return d.lo() >= 0 ? d : Domain.ints(0, (long) Math.min(d.hi(), 20));
        }
        return switch (rnd.nextInt(4)) {
            case 0 -> Domain.pos(0.1, 1);
            case 1 -> Domain.pos(0, 1);
            case 2 -> Domain.neg(0.1, 1);
            default -> Domain.pos(0.25, 2);
        };
    }

    /** Rounds a double to the type as the harness stores it, keeping exact representability. */
    private static double roundTo(MLOperandDataType t, double v) {
        return switch (t) {
            case FLOAT32 -> (float) v;
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
            default -> Math.rint(v);
        };
    }

    private double sample(MLOperandDataType t, Domain d, boolean grid) {
        if (d.integral() || !FLOATS.contains(t)) {
            long lo = (long) Math.ceil(d.lo()), hi = (long) Math.floor(d.hi());
            for (int tries = 0; tries < 50; tries++) {
                long v = lo + (long) Math.floor(rnd.nextDouble() * (hi - lo + 1));
                if (Math.abs(v) >= d.minAbs() || d.minAbs() == 0) return Math.min(hi, v);
            }
            return d.sign() < 0 ? -Math.ceil(d.minAbs()) : Math.ceil(d.minAbs());
        }
        double m;
        if (grid) {
            // multiples of 0.5: comparisons then see equal values
            double lo = Math.ceil(d.minAbs() * 2), hi = Math.floor(d.maxAbs() * 2);
            m = hi < lo ? d.minAbs() : (lo + rnd.nextInt((int) (hi - lo) + 1)) / 2;
        } else {
            m = uniform(d.minAbs(), d.maxAbs());
        }
        double s = d.sign() > 0 ? 1 : d.sign() < 0 ? -1 : (chance(0.5) ? 1 : -1);
        double v = roundTo(t, s * m);
        // keep the bounds after rounding (half precision may round past them)
        if (Math.abs(v) < d.minAbs() || Math.abs(v) > d.maxAbs()) v = roundTo(t, s * (d.minAbs() + d.maxAbs()) / 2);
        return v;
    }

    private String newName(String prefix) { return prefix + (counter++); }

    /** A new graph input (or constant) of type t, with random data from d. */
    private Val fresh(MLOperandDataType t, int[] shape, Domain d, boolean constant, boolean grid) {
        if (t == null || shape == null || !caps.io(t)) return null;
        if (size(shape) > MAX_ELEMENTS) return null;
        String name = newName(constant ? "c" : "x");
        ObjectNode o = inputs.putObject(name);
        ArrayNode data = o.putArray("data");
        int n = (int) size(shape);
        for (int i = 0; i < n; i++) putNumber(data, t, sample(t, d, grid));
        o.set("descriptor", descriptor(t, shape));
        if (constant) o.put("constant", true);
        Val v = new Val(name, t, shape, d, Err.EXACT, false);
        vals.add(v);
        return v;
    }

    private Val fresh(MLOperandDataType t, int[] shape, Domain d) { return fresh(t, shape, d, chance(0.3), false); }

    private Val freshConst(MLOperandDataType t, int[] shape, Domain d) { return fresh(t, shape, d, chance(0.8), false); }

    /** A new constant (or input) holding exactly {@code values}. */
    private Val literal(MLOperandDataType t, int[] shape, double[] values, boolean constant) {
        if (!caps.io(t)) return null;
        double lo = Arrays.stream(values).min().orElse(0), hi = Arrays.stream(values).max().orElse(0);
        Domain d = Domain.interval(lo, hi, !FLOATS.contains(t));
        String name = newName(constant ? "c" : "x");
        ObjectNode o = inputs.putObject(name);
        ArrayNode data = o.putArray("data");
        for (double x : values) putNumber(data, t, x);
        o.set("descriptor", descriptor(t, shape));
        if (constant) o.put("constant", true);
        Val v = new Val(name, t, shape, d, Err.EXACT, false);
        vals.add(v);
        return v;
    }

    static void putNumber(ArrayNode data, MLOperandDataType t, double v) {
        if (FLOATS.contains(t)) data.add(v);
        else data.add((long) v);
    }

    static ObjectNode descriptor(MLOperandDataType t, int[] shape) {
        ObjectNode d = JSON.objectNode();
        ArrayNode s = d.putArray("shape");
        for (int x : shape) s.add(x);
        d.put("dataType", t.specName());
        return d;
    }

    /**
     * An existing operand satisfying {@code ok}, favouring recent operator outputs nothing reads yet
     * (so the graph grows as chains); null when there is none.
     */
    private Val pick(Predicate<Val> ok) {
        List<Val> c = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < vals.size(); i++) {
            Val v = vals.get(i);
            if (v.special || !ok.test(v)) continue;
            double weight = v.produced ? (v.uses == 0 ? 6 : 1.5) : 0.5;
            if (i == vals.size() - 1) weight *= 2;
            c.add(v);
            w.add(weight);
        }
        if (c.isEmpty()) return null;
        double total = w.stream().mapToDouble(Double::doubleValue).sum();
        double r = rnd.nextDouble() * total;
        for (int i = 0; i < c.size(); i++) {
            r -= w.get(i);
            if (r < 0) return c.get(i);
        }
        return c.get(c.size() - 1);
    }

    /**
     * The main operand of an operator: an existing operand (usually) or a fresh graph input with a
     * random shape of the allowed ranks and a domain from {@code freshDomain}.
     */
    private Val source(String op, String operand, Set<MLOperandDataType> types, int minRank, int maxRank, Predicate<Val> ok,
                       Function<MLOperandDataType, Domain> freshDomain) {
        Set<MLOperandDataType> allowed = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : types) if (caps.io(t) && caps.types(op, operand).contains(t)) allowed.add(t);
        if (allowed.isEmpty()) return null;
        Predicate<Val> full = v -> allowed.contains(v.type) && v.rank() >= minRank && v.rank() <= maxRank
                && caps.ok(op, operand, v.type, v.rank()) && ok.test(v);
        if (chance(0.8)) {
            Val v = pick(full);
            if (v != null) return v;
        }
        MLOperandDataType t = pickType(allowed);
        int[] shape = randomShape(minRank, maxRank, 512);
        if (shape == null || !caps.ok(op, operand, t, shape.length)) return null;
        Domain d = freshDomain == null ? defaultDomain(t) : freshDomain.apply(t);
        if (d == null) return null;
        Val v = fresh(t, shape, d, chance(0.15), false);
        if (v == null) return null;
        if (!full.test(v)) {
            vals.remove(v);
            inputs.remove(v.name);
            return null;
        }
        return v;
    }

    /** Removes fresh operands created for an operator that was then refused. */
    private boolean refuse(Val... created) {
        for (Val v : created) {
            if (v != null && !v.produced && v.uses == 0) {
                vals.remove(v);
                inputs.remove(v.name);
            }
        }
        return false;
    }

    // =================================================================== helpers: emitting

    /** Whether an operator with this ULP contribution may join the graph. */
    private boolean allowUlp(double ulp) { return ulp == 0 || atol == null; }

    /** Whether an ATOL operator may join: the graph has no other inexact operator and no ATOL operator yet. */
    private boolean allowAtol() { return atol == null && ulpSum == 0; }

    private static Err worst(Val... in) {
        Err e = Err.EXACT;
        for (Val v : in) if (v != null && v.err.ordinal() > e.ordinal()) e = v.err;
        return e;
    }

    /** An operator argument. */
    private static ObjectNode arg(String key, Object value) {
        ObjectNode o = JSON.objectNode();
        o.set(key, toJson(value));
        return o;
    }

    static JsonNode toJson(Object v) {
        if (v instanceof JsonNode n) return n;
        if (v instanceof Val val) return JSON.textNode(val.name);
        if (v instanceof String s) return JSON.textNode(s);
        if (v instanceof Integer i) return JSON.numberNode(i);
        if (v instanceof Long l) return JSON.numberNode(l);
        if (v instanceof Double d) return JSON.numberNode(d);
        if (v instanceof Boolean b) return JSON.booleanNode(b);
        if (v instanceof int[] a) {
            ArrayNode n = JSON.arrayNode();
            for (int x : a) n.add(x);
            return n;
        }
        if (v instanceof double[] a) {
            ArrayNode n = JSON.arrayNode();
            for (double x : a) n.add(x);
            return n;
        }
        if (v instanceof List<?> l) {
            ArrayNode n = JSON.arrayNode();
            for (Object x : l) n.add(toJson(x));
            return n;
        }
        throw new IllegalArgumentException("cannot write " + v);
    }

    /** An options object from key/value pairs; null values are left out. */
    private static ObjectNode options(Object... kv) {
        ObjectNode o = JSON.objectNode();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) o.set((String) kv[i], toJson(kv[i + 1]));
        }
        return o;
    }

    /** One output of an operator being emitted. */
    private record Out(MLOperandDataType type, int[] shape, Domain dom, Err err) {}

    /**
     * Appends an operator whose arguments are {@code args} (already ordered), marks {@code uses} as used
     * and registers its outputs. {@code ulp}/{@code atolValue}: the operator's tolerance (atolValue
     * non-null for an ATOL operator).
     */
    private List<Val> emit(String op, List<ObjectNode> args, List<Val> uses, List<Out> outs, double ulp, Double atolValue) {
        for (Out o : outs) {
            if (!caps.io(o.type) || size(o.shape) > MAX_ELEMENTS || o.shape.length > caps.maxRank()) return null;
            if (!fits(o.dom, o.type)) return null;
        }
        if (atolValue != null ? !allowAtol() : !allowUlp(ulp)) return null;
        ObjectNode node = operators.addObject();
        node.put("name", op);
        ArrayNode a = node.putArray("arguments");
        for (ObjectNode x : args) {
            if (x.has("options") && x.get("options").isEmpty()) continue;
            a.add(x);
        }
        List<Val> made = new ArrayList<>();
        for (Out o : outs) made.add(new Val(newName("t"), o.type, o.shape, o.dom, o.err, true));
        if (made.size() == 1 && !MULTI_OUTPUT.contains(op)) {
            node.put("outputs", made.get(0).name);
        } else {
            ArrayNode names = node.putArray("outputs");
            for (Val v : made) names.add(v.name);
        }
        for (Val u : uses) if (u != null) u.uses++;
        vals.addAll(made);
        opNames.add(op);
        if (atolValue != null) {
            atol = atolValue;
            atolOp = op;
        } else {
            ulpSum += ulp;
        }
        return made;
    }

    private boolean emit1(String op, List<ObjectNode> args, List<Val> uses, Out out, double ulp, Double atolValue) {
        return emit(op, args, uses, Arrays.asList(out), ulp, atolValue) != null;
    }

    // =================================================================== broadcasting

    /** A shape that broadcasts with {@code a} (bidirectionally when {@code grow}), with at most 5 dims. */
    private int[] partnerShape(int[] a, boolean grow) {
        int ra = a.length;
        int rb;
        double u = rnd.nextDouble();
        if (u < 0.5) rb = ra;
        else if (u < 0.85) rb = between(0, ra);
        else rb = Math.min(ra + 1, Math.min(5, caps.maxRank()));
        if (!grow) rb = Math.min(rb, ra);
        int[] b = new int[rb];
        for (int i = 0; i < rb; i++) {
            int ai = ra - rb + i;
            if (ai < 0) {
                b[i] = grow ? between(1, 3) : 1;
                continue;
            }
            double v = rnd.nextDouble();
            if (v < 0.65) b[i] = a[ai];
            else if (v < 0.9 || !grow || a[ai] != 1) b[i] = 1;
            else b[i] = between(2, 3);
        }
        return b;
    }

    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] o = new int[r];
        for (int i = 0; i < r; i++) {
            int x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (x != y && x != 1 && y != 1) return null;
            o[i] = Math.max(x, y);
        }
        return o;
    }

    /** Whether b broadcasts to a without changing a (unidirectional). */
    static boolean unidirectional(int[] b, int[] a) {
        int[] o = broadcast(a, b);
        return o != null && Arrays.equals(o, a);
    }

    // =================================================================== element-wise binary

    private boolean binary(String op) {
        Set<MLOperandDataType> types = EnumSet.copyOf(ALL);
        Predicate<Val> ok = switch (op) {
            case "pow" -> v -> v.exact() && (v.isFloat() ? v.dom.sign() > 0 && v.dom.minAbs() >= 0.25 && v.dom.maxAbs() <= 4
                    : v.dom.maxAbs() <= 4);
            case "div" -> v -> v.isFloat() || v.exact() && v.dom.maxAbs() <= 1000;
            case "mul" -> v -> v.dom.maxAbs() <= 100 && (v.isFloat() || v.exact());
            default -> v -> v.isFloat() || v.exact(); // integer arithmetic only on exact values
        };
        Function<MLOperandDataType, Domain> freshA = t -> switch (op) {
            case "pow" -> FLOATS.contains(t) ? Domain.pos(0.5, 2) : Domain.ints(t == UINT8 || t == UINT32 || t == UINT64 ? 0 : -4, 4);
            case "sub" -> FLOATS.contains(t) ? defaultDomain(t) : (t == UINT8 || t == UINT32 || t == UINT64 ? Domain.ints(20, 40) : defaultDomain(t));
            default -> defaultDomain(t);
        };
        Val a = source(op, "a", types, 0, 5, ok, freshA);
        if (a == null) return false;
        MLOperandDataType t = a.type;
        boolean f = a.isFloat();
        int[] bs = partnerShape(a.shape, true);
        // the second operand's domain, chosen so that the result is well-conditioned
        Domain bd;
        switch (op) {
            case "add" -> bd = f && !a.dom.mixed() ? (a.dom.sign() > 0 ? Domain.pos(0.1, 2) : Domain.neg(0.1, 2))
                    : f ? (a.exact() ? defaultDomain(t) : null) : smallInts(t);
            case "sub" -> bd = f && !a.dom.mixed() ? (a.dom.sign() > 0 ? Domain.neg(0.1, 2) : Domain.pos(0.1, 2))
                    : f ? (a.exact() ? defaultDomain(t) : null) : subtrahend(t, a.dom);
            case "mul" -> bd = f ? oneOf(Domain.pos(0.25, 2), Domain.mixed(0.25, 2), Domain.neg(0.5, 1.5)) : smallInts(t);
            case "div" -> bd = f ? oneOf(Domain.pos(0.25, 4), Domain.neg(0.5, 2), Domain.mixed(0.5, 2)) : divisor(t);
            case "pow" -> bd = f ? Domain.mixed(0, 3) : Domain.ints(0, 3);
            default -> bd = defaultDomain(t);
        }
        if (bd == null) return false;
        Val b = null;
        if (chance(0.25)) {
            Domain want = bd;
            b = pick(v -> v.type == t && v != a && broadcast(a.shape, v.shape) != null && binaryOk(op, a, v, want));
        }
        if (b == null) {
            b = fresh(t, bs, bd, chance(0.4), false);
            if (b == null) return false;
        }
        if (!binaryOk(op, a, b, bd)) return refuse(b);
        int[] out = broadcast(a.shape, b.shape);
        if (out == null || !caps.ok(op, "b", t, b.rank()) || !caps.ok(op, "output", t, out.length)) return refuse(b);
        Domain od;
        Err err;
        double ulp = OpTolerance.ulp(op, t);
        switch (op) {
            case "add" -> od = sum(a.dom, b.dom);
            case "sub" -> od = sum(a.dom, b.dom.negate());
            case "mul" -> od = a.dom.times(b.dom);
            case "div" -> od = f ? new Domain(a.dom.sign() * b.dom.sign(), a.dom.minAbs() / b.dom.maxAbs(),
                    a.dom.maxAbs() / b.dom.minAbs(), false)
                    : Domain.interval(-Math.floor(a.dom.maxAbs() / Math.max(1, b.dom.minAbs())),
                    Math.floor(a.dom.maxAbs() / Math.max(1, b.dom.minAbs())), true);
            case "max" -> od = Domain.interval(Math.max(a.dom.lo(), b.dom.lo()), Math.max(a.dom.hi(), b.dom.hi()),
                    a.dom.integral() && b.dom.integral());
            case "min" -> od = Domain.interval(Math.min(a.dom.lo(), b.dom.lo()), Math.min(a.dom.hi(), b.dom.hi()),
                    a.dom.integral() && b.dom.integral());
            case "pow" -> od = powDomain(a.dom, b.dom, f);
            default -> throw new IllegalStateException(op);
        }
        if (!f) {
            // unsigned results must not go below zero, integer results must not wrap
            if (od.lo() < typeMin(t) || od.hi() > typeMax(t)) return refuse(b);
            od = new Domain(od.sign(), od.minAbs(), od.maxAbs(), true);
        }
        err = f ? (ulp > 0 ? Err.ULP : worst(a, b)) : Err.EXACT;
        if (!f && (!a.exact() || !b.exact())) err = worst(a, b);
        return emit1(op, Arrays.asList(arg("a", a), arg("b", b)), Arrays.asList(a, b), new Out(t, out, od, err), ulp, null) || refuse(b);
    }

    private Domain smallInts(MLOperandDataType t) {
        return switch (t) {
            case UINT8, UINT32, UINT64 -> Domain.ints(0, 5);
            default -> Domain.ints(-5, 5);
        };
    }

    private Domain subtrahend(MLOperandDataType t, Domain a) {
        if (t == UINT8 || t == UINT32 || t == UINT64) {
            long hi = (long) Math.floor(a.lo());
            return hi < 0 ? null : Domain.ints(0, Math.min(hi, 10));
        }
        return smallInts(t);
    }

    private Domain divisor(MLOperandDataType t) {
        return switch (t) {
            case UINT8, UINT32, UINT64 -> Domain.ints(1, 5);
            default -> new Domain(0, 1, 5, true);
        };
    }

    private static Domain sum(Domain a, Domain b) {
        if (a.sign() != 0 && a.sign() == b.sign()) {
            return new Domain(a.sign(), a.minAbs() + b.minAbs(), a.maxAbs() + b.maxAbs(), a.integral() && b.integral());
        }
        return Domain.interval(a.lo() + b.lo(), a.hi() + b.hi(), a.integral() && b.integral());
    }

    private static Domain powDomain(Domain a, Domain b, boolean f) {
        double[] c = {Math.pow(a.lo(), b.lo()), Math.pow(a.lo(), b.hi()), Math.pow(a.hi(), b.lo()), Math.pow(a.hi(), b.hi())};
        if (!f) {
            double m = Math.pow(Math.max(Math.abs(a.lo()), Math.abs(a.hi())), b.hi());
            return Domain.interval(a.lo() < 0 ? -m : 0, m, true);
        }
        double lo = Arrays.stream(c).min().orElseThrow(), hi = Arrays.stream(c).max().orElseThrow();
        if (a.lo() < 1 && a.hi() > 1) {
            lo = Math.min(lo, 1);
            hi = Math.max(hi, 1);
        }
        return Domain.pos(lo, hi);
    }

    /** Whether a op b is well-conditioned enough for the summed ULP rule. */
    private static boolean binaryOk(String op, Val a, Val b, Domain want) {
        if (a.type != b.type) return false;
        if (!a.isFloat()) {
            if (!a.exact() || !b.exact()) return false;
            return switch (op) {
                case "div" -> b.dom.minAbs() >= 1 && b.dom.oneSigned() || b.dom.minAbs() >= 1;
                case "pow" -> a.exact() && b.exact() && b.dom.lo() >= 0 && b.dom.hi() <= 3 && a.dom.maxAbs() <= 4;
                case "mul" -> a.dom.maxAbs() * b.dom.maxAbs() <= 1e6;
                default -> true;
            };
        }
        boolean exact = a.exact() && b.exact();
        return switch (op) {
            // cancellation: inexact terms of opposite signs; exact terms are added once, correctly rounded
            case "add" -> exact || a.dom.oneSigned() && b.dom.oneSigned() && (a.dom.sign() == b.dom.sign() || a.dom.maxAbs() == 0
                    || b.dom.maxAbs() == 0);
            case "sub" -> exact || a.dom.oneSigned() && b.dom.oneSigned() && (a.dom.sign() != b.dom.sign() || a.dom.maxAbs() == 0
                    || b.dom.maxAbs() == 0);
            case "div" -> b.dom.minAbs() >= 0.25 && a.dom.maxAbs() / b.dom.minAbs() <= 1e4
                    && (a.dom.minAbs() == 0 || a.dom.minAbs() / b.dom.maxAbs() >= 1e-3);
            case "mul" -> a.dom.maxAbs() * b.dom.maxAbs() <= 1e4 && (a.dom.minAbs() == 0 || b.dom.minAbs() == 0
                    || a.dom.minAbs() * b.dom.minAbs() >= 1e-3);
            case "pow" -> exact && a.dom.sign() > 0 && a.dom.minAbs() >= 0.25 && a.dom.maxAbs() <= 4 && b.dom.maxAbs() <= 3;
            default -> true; // max, min
        };
    }

    // =================================================================== comparisons and logical

    private boolean compare(String op) {
        Val a = source(op, "a", ALL, 0, 5, Val::exact, t -> FLOATS.contains(t) ? Domain.mixed(0, 3) : defaultDomain(t));
        if (a == null) return false;
        MLOperandDataType t = a.type;
        Val b = null;
        if (chance(0.2)) b = pick(v -> v.type == t && v.exact() && v != a && broadcast(a.shape, v.shape) != null);
        if (b == null) {
            Domain d = FLOATS.contains(t) ? Domain.mixed(0, 3) : a.dom.integral() ? Domain.interval(a.dom.lo(), a.dom.hi(), true)
                    : defaultDomain(t);
            b = fresh(t, partnerShape(a.shape, true), d, chance(0.4), true);
            if (b == null) return false;
        }
        int[] out = broadcast(a.shape, b.shape);
        if (out == null || !caps.ok(op, "b", t, b.rank()) || !caps.ok(op, "output", UINT8, out.length)) return refuse(b);
        return emit1(op, Arrays.asList(arg("a", a), arg("b", b)), Arrays.asList(a, b), new Out(UINT8, out, Domain.ints(0, 1), Err.EXACT), 0, null)
                || refuse(b);
    }

    private boolean logical(String op) {
        Val a = source(op, "a", EnumSet.of(UINT8), 0, 5, Val::exact, t -> Domain.ints(0, 3));
        if (a == null) return false;
        if (op.equals("logicalNot")) {
            if (!caps.ok(op, "output", UINT8, a.rank())) return false;
            return emit1(op, Arrays.asList(arg("input", a)), Arrays.asList(a), new Out(UINT8, a.shape, Domain.ints(0, 1), Err.EXACT), 0, null);
        }
        Val b = null;
        if (chance(0.3)) b = pick(v -> v.type == UINT8 && v.exact() && v != a && broadcast(a.shape, v.shape) != null);
        if (b == null) b = fresh(UINT8, partnerShape(a.shape, true), Domain.ints(0, 3), chance(0.4), false);
        if (b == null) return false;
        int[] out = broadcast(a.shape, b.shape);
        if (out == null || !caps.ok(op, "b", UINT8, b.rank()) || !caps.ok(op, "output", UINT8, out.length)) return refuse(b);
        return emit1(op, Arrays.asList(arg("a", a), arg("b", b)), Arrays.asList(a, b), new Out(UINT8, out, Domain.ints(0, 1), Err.EXACT), 0, null)
                || refuse(b);
    }

    // =================================================================== element-wise unary and activations

    private boolean unary(String op) {
        String operand = switch (op) {
            case "isNaN", "isInfinite", "logicalNot" -> "a";
            default -> "input";
        };
        Set<MLOperandDataType> types = switch (op) {
            case "abs", "neg", "sign", "relu", "identity", "clamp" -> ALL;
            default -> FLOATS;
        };
        boolean atolOp = OpTolerance.isAtol(op);
        Predicate<Val> ok = v -> unaryOk(op, v);
        Function<MLOperandDataType, Domain> freshDom = t -> unaryFreshDomain(op, t);
        Val x = (op.equals("isNaN") || op.equals("isInfinite")) && chance(0.6) ? specials(op, operand) : null;
        if (x == null) x = source(op, operand, types, 0, 5, ok, freshDom);
        if (x == null) return false;
        MLOperandDataType t = x.type;
        Domain d = x.dom;
        ObjectNode opts = null;
        Domain od;
        MLOperandDataType outType = t;
        boolean discontinuous = false;
        switch (op) {
            case "abs" -> od = d.abs();
            case "neg" -> od = d.negate();
            case "ceil" -> {
                od = Domain.interval(Math.ceil(d.lo()), Math.ceil(d.hi()), true);
                discontinuous = true;
            }
            case "floor" -> {
                od = Domain.interval(Math.floor(d.lo()), Math.floor(d.hi()), true);
                discontinuous = true;
            }
            case "roundEven" -> {
                od = Domain.interval(Math.rint(d.lo()), Math.rint(d.hi()), true);
                discontinuous = true;
            }
            case "sign" -> {
                od = Domain.interval(d.lo() < 0 ? -1 : 0, d.hi() > 0 ? 1 : 0, true);
                discontinuous = true;
            }
            case "cos" -> od = Domain.mixed(0, 1);
            case "sin" -> od = Domain.interval(d.lo() >= 0 && d.hi() <= Math.PI ? 0 : -1, 1, false);
            case "tan" -> od = d.mapIncreasing(Math::tan, false);
            case "erf" -> od = d.mapIncreasing(GraphGenerator::erf, false);
            case "tanh" -> od = d.mapIncreasing(Math::tanh, false);
            case "exp" -> od = d.mapIncreasing(Math::exp, false);
            case "log" -> od = d.mapIncreasing(Math::log, false);
            case "reciprocal" -> od = new Domain(d.sign(), 1 / d.maxAbs(), 1 / d.minAbs(), false);
            case "sqrt" -> od = Domain.pos(Math.sqrt(d.minAbs()), Math.sqrt(d.maxAbs()));
            case "identity" -> od = d;
            case "isNaN", "isInfinite" -> {
                od = Domain.ints(0, 0);
                outType = UINT8;
            }
            case "relu" -> od = Domain.interval(Math.max(0, d.lo()), Math.max(0, d.hi()), d.integral());
            case "sigmoid" -> od = Domain.pos(sigmoid(d.lo()), sigmoid(d.hi()));
            case "softsign" -> od = d.mapIncreasing(v -> v / (1 + Math.abs(v)), false);
            case "softplus" -> od = Domain.pos(softplus(d.lo()), softplus(d.hi()));
            case "gelu" -> od = Domain.interval(d.lo() < -0.75 ? -0.17 : gelu(d.lo()), Math.max(gelu(d.hi()), gelu(d.lo())), false);
            case "hardSwish" -> {
                double lo = d.lo() < -1.5 && d.hi() > -1.5 ? -0.375 : Math.min(hardSwish(d.lo()), hardSwish(d.hi()));
                od = Domain.interval(lo, Math.max(hardSwish(d.lo()), hardSwish(d.hi())), false);
            }
            case "elu" -> {
                double alpha = chance(0.3) ? 1 : quarter(0.25, 2);
                if (alpha != 1 || chance(0.5)) opts = options("alpha", alpha);
                double lo = d.lo() < 0 ? alpha * (Math.exp(d.lo()) - 1) : d.lo();
                double hi = d.hi() < 0 ? alpha * (Math.exp(d.hi()) - 1) : d.hi();
                od = Domain.interval(lo, hi, false);
            }
            case "leakyRelu" -> {
                double alpha = chance(0.3) ? 0.01 : quarter(0.25, 1);
                if (alpha != 0.01 || chance(0.5)) opts = options("alpha", alpha);
                od = Domain.interval(d.lo() < 0 ? alpha * d.lo() : d.lo(), d.hi() < 0 ? alpha * d.hi() : d.hi(), false);
            }
            case "hardSigmoid", "linear" -> {
                // alpha*x and beta of one sign (or beta 0): alpha*x + beta never cancels
                boolean defaults = op.equals("hardSigmoid") && d.lo() >= 0 && chance(0.3);
                double alpha = defaults ? 0.2 : (chance(0.5) ? 1 : -1) * quarter(0.25, 2);
                int termSign = (int) Math.signum(alpha) * d.sign();
                double beta = defaults ? 0.5 : termSign == 0 ? 0 : termSign * (chance(0.3) ? 0 : quarter(0.25, 1));
                if (op.equals("linear") && d.maxAbs() == 0) beta = 0;
                if (!defaults) opts = options("alpha", alpha, "beta", beta);
                double a1 = alpha * d.lo() + beta, a2 = alpha * d.hi() + beta;
                double lo = Math.min(a1, a2), hi = Math.max(a1, a2);
                od = op.equals("linear") ? Domain.interval(lo, hi, false)
                        : Domain.interval(Math.max(0, Math.min(1, lo)), Math.max(0, Math.min(1, hi)), false);
            }
            case "clamp" -> {
                double lo = d.lo(), hi = d.hi();
                Double min = null, max = null;
                boolean f = FLOATS.contains(t);
                if (chance(0.7)) min = f ? quarter(lo, hi) : Math.floor(uniform(lo, hi));
                if (chance(0.7)) {
                    double from = min == null ? lo : min;
                    max = f ? quarter(from, Math.max(from, hi)) : Math.ceil(uniform(from, Math.max(from, hi)));
                    if (min != null && max < min) max = min;
                }
                opts = options("minValue", f ? min : min == null ? null : (Object) min.longValue(),
                        "maxValue", f ? max : max == null ? null : (Object) max.longValue());
                Double cmin = min, cmax = max;
                java.util.function.DoubleUnaryOperator clampFn = v -> {
                    double r = v;
                    if (cmin != null) r = Math.max(r, cmin);
                    if (cmax != null) r = Math.min(r, cmax);
                    return r;
                };
                od = d.mapIncreasing(clampFn, d.integral());
                if (d.sign() != 0 && od.sign() == d.sign() && (min == null || Math.abs(min) >= d.minAbs())) {
                    od = new Domain(od.sign(), Math.max(od.minAbs(), Math.min(d.minAbs(), od.maxAbs())), od.maxAbs(), od.integral());
                }
            }
            default -> throw new IllegalStateException(op);
        }
        if (!caps.ok(op, "output", outType, x.rank())) return false;
        double ulp = atolOp ? 0 : OpTolerance.ulp(op, t);
        Double at = atolOp ? OpTolerance.atol(op, t) : null;
        Err err;
        if (atolOp) err = Err.ATOL;
        else if (discontinuous || outType == UINT8 && t != UINT8) err = Err.EXACT;
        else if (ulp > 0) err = Err.ULP;
        else err = x.err;
        List<ObjectNode> args = new ArrayList<>();
        args.add(arg(operand, x));
        if (opts != null) args.add(arg("options", opts));
        return emit1(op, args, Arrays.asList(x), new Out(outType, x.shape, od, err), ulp, at);
    }

    /** A fresh float input holding NaN, infinities, zeros and ordinary values; only isNaN/isInfinite read it. */
    private Val specials(String op, String operand) {
        Set<MLOperandDataType> ts = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : FLOATS) if (caps.io(t) && caps.types(op, operand).contains(t)) ts.add(t);
        MLOperandDataType t = pickType(ts);
        int[] shape = randomShape(0, 4, 64);
        if (t == null || shape == null || !caps.ok(op, operand, t, shape.length)) return null;
        String name = newName("x");
        ObjectNode o = inputs.putObject(name);
        ArrayNode data = o.putArray("data");
        for (long i = 0; i < size(shape); i++) {
            switch (rnd.nextInt(6)) {
                case 0 -> data.add("NaN");
                case 1 -> data.add("Infinity");
                case 2 -> data.add("-Infinity");
                case 3 -> data.add(chance(0.5) ? "-0" : "0");
                default -> data.add(roundTo(t, uniform(-1000, 1000)));
            }
        }
        o.set("descriptor", descriptor(t, shape));
        Val v = new Val(name, t, shape, Domain.mixed(0, 1000), Err.EXACT, false);
        v.special = true;
        vals.add(v);
        return v;
    }

    /** A multiple of 0.25 in [lo, hi] (exactly representable in every float type). */
    private double quarter(double lo, double hi) {
        double a = Math.ceil(lo * 4), b = Math.floor(hi * 4);
        if (b < a) return Math.rint(lo * 4) / 4;
        return (a + rnd.nextInt((int) (b - a) + 1)) / 4;
    }

    private boolean unaryOk(String op, Val v) {
        Domain d = v.dom;
        boolean f = v.isFloat();
        return switch (op) {
            case "ceil", "floor", "roundEven", "sign" -> v.exact();
            case "cos", "sin" -> v.exact() && d.maxAbs() <= 6;
            case "tan" -> v.exact() && d.maxAbs() <= 1.2;
            case "erf" -> v.exact() && d.maxAbs() <= 3;
            case "tanh" -> v.exact() && d.maxAbs() <= 4;
            case "log" -> v.exact() && d.sign() > 0 && d.minAbs() >= 0.01;
            case "exp" -> d.maxAbs() <= 4 && (v.exact() || d.maxAbs() <= 1);
            case "reciprocal" -> d.minAbs() >= 0.1;
            case "sqrt" -> d.sign() > 0 || d.maxAbs() == 0;
            case "sigmoid" -> d.maxAbs() <= 6 && (v.exact() || d.maxAbs() <= 1);
            case "softplus" -> d.maxAbs() <= 4 && (v.exact() || d.maxAbs() <= 1);
            case "gelu" -> d.lo() >= -1;
            case "hardSwish" -> d.lo() >= -2;
            case "elu" -> d.sign() >= 0 && d.lo() >= 0 || d.minAbs() >= 0.25;
            case "abs", "neg" -> f || d.lo() > typeMin(v.type); // -(-128) does not fit int8
            case "isNaN", "isInfinite" -> f;
            case "linear" -> d.maxAbs() <= 100;
            case "clamp" -> f || d.maxAbs() <= 1e15; // bounds are picked as doubles
            default -> true;
        };
    }

    private Domain unaryFreshDomain(String op, MLOperandDataType t) {
        if (!FLOATS.contains(t)) return defaultDomain(t);
        return switch (op) {
            case "cos", "sin" -> Domain.mixed(0, 6);
            case "tan" -> Domain.mixed(0, 1.2);
            case "erf", "tanh" -> Domain.mixed(0, 2.5);
            case "log" -> oneOf(Domain.pos(0.01, 10), Domain.pos(0.5, 2));
            case "exp", "sigmoid", "softplus" -> oneOf(Domain.mixed(0, 4), Domain.mixed(0, 1));
            case "reciprocal" -> oneOf(Domain.pos(0.1, 4), Domain.mixed(0.25, 4));
            case "sqrt" -> Domain.pos(0, 4);
            case "gelu" -> oneOf(Domain.mixed(0, 1), Domain.pos(0, 3));
            case "hardSwish" -> oneOf(Domain.mixed(0, 2), Domain.pos(0, 4));
            case "elu" -> Domain.mixed(0.25, 3);
            case "ceil", "floor", "roundEven", "sign" -> Domain.mixed(0, 4);
            default -> defaultDomain(t);
        };
    }

    static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    static double softplus(double x) { return Math.log1p(Math.exp(x)); }

    static double gelu(double x) { return 0.5 * x * (1 + erf(x / Math.sqrt(2))); }

    static double hardSwish(double x) { return x * Math.max(0, Math.min(6, x + 3)) / 6; }

    /** erf to ~1e-7, for domain bounds only. */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
        return Math.signum(x) * y;
    }

    private boolean prelu() {
        Val x = source("prelu", "input", ALL, 0, 5, v -> v.isFloat() || v.exact() && v.dom.maxAbs() <= 20, this::defaultDomain);
        if (x == null) return false;
        MLOperandDataType t = x.type;
        int[] ss = partnerShape(x.shape, false);
        Domain sd = FLOATS.contains(t) ? Domain.pos(0.05, 1) : Domain.ints(0, 3);
        Val s = fresh(t, ss, sd, chance(0.7), false);
        if (s == null || !caps.ok("prelu", "slope", t, s.rank()) || !caps.ok("prelu", "output", t, x.rank())) return refuse(s);
        Domain d = x.dom;
        Domain od = Domain.interval(d.lo() < 0 ? d.lo() * sd.maxAbs() : d.lo(), d.hi() < 0 ? d.hi() * sd.minAbs() : d.hi(),
                d.integral());
        double ulp = OpTolerance.ulp("prelu", t);
        Err err = ulp > 0 ? Err.ULP : x.err;
        return emit1("prelu", Arrays.asList(arg("input", x), arg("slope", s)), Arrays.asList(x, s), new Out(t, x.shape, od, err), ulp, null)
                || refuse(s);
    }

    private boolean softmax() {
        Val x = source("softmax", "input", FLOATS, 1, 5, v -> v.dom.maxAbs() <= 8 && (v.exact() || v.dom.maxAbs() <= 2),
                t -> oneOf(Domain.mixed(0, 4), Domain.pos(0, 2)));
        if (x == null) return false;
        int axis = rnd.nextInt(x.rank());
        if (!caps.ok("softmax", "output", x.type, x.rank())) return false;
        double n = x.shape[axis];
        Domain od = Domain.pos(Math.exp(x.dom.lo() - x.dom.hi()) / n, 1);
        double ulp = OpTolerance.softmax(x.shape[axis]);
        return emit1("softmax", Arrays.asList(arg("input", x), arg("axis", axis)), Arrays.asList(x), new Out(x.type, x.shape, od, Err.ULP), ulp, null);
    }

    // =================================================================== cast and where

    private boolean cast() {
        Val x = source("cast", "input", ALL, 0, 5, v -> true, this::defaultDomain);
        if (x == null) return false;
        Set<MLOperandDataType> outs = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : caps.types("cast", "output")) if (caps.io(t) && castOk(x, t)) outs.add(t);
        MLOperandDataType to = pickType(outs);
        if (to == null || !caps.ok("cast", "output", to, x.rank())) return false;
        boolean fin = x.isFloat(), fout = FLOATS.contains(to);
        Domain od = x.dom;
        Err err;
        if (fin && !fout) {
            od = Domain.interval(trunc(x.dom.lo()), trunc(x.dom.hi()), true);
            err = Err.EXACT;
        } else if (!fin && fout) {
            od = new Domain(x.dom.sign(), x.dom.minAbs(), x.dom.maxAbs(), false);
            err = Err.EXACT;
        } else if (fin) {
            err = x.type == FLOAT32 && to == FLOAT16 ? Err.ULP : x.err; // narrowing rounds, widening is exact
        } else {
            err = Err.EXACT;
        }
        double ulp = OpTolerance.ulp("cast", to);
        return emit1("cast", Arrays.asList(arg("input", x), arg("type", to.specName())), Arrays.asList(x), new Out(to, x.shape, od, err), ulp, null);
    }

    private static double trunc(double v) { return v < 0 ? Math.ceil(v) : Math.floor(v); }

    private static boolean castOk(Val x, MLOperandDataType to) {
        boolean fin = x.isFloat(), fout = FLOATS.contains(to);
        Domain d = x.dom;
        if (fin && fout) return x.type == to || to == FLOAT16 || x.exact(); // a float16 error is 8192 float32 ULP
        if (fin) return x.exact() && trunc(d.lo()) >= typeMin(to) && trunc(d.hi()) <= typeMax(to) && d.maxAbs() <= 1e6;
        if (!x.exact()) return false;
        if (fout) return d.maxAbs() <= (to == FLOAT16 ? 2048 : 1 << 24);
        return d.lo() >= typeMin(to) && d.hi() <= typeMax(to);
    }

    private boolean where() {
        Val tv = source("where", "trueValue", ALL, 0, 5, v -> true, this::defaultDomain);
        if (tv == null) return false;
        MLOperandDataType t = tv.type;
        Val c = chance(0.6) ? pick(v -> v.type == UINT8 && v.exact() && broadcast(tv.shape, v.shape) != null
                && broadcast(tv.shape, v.shape).length <= 5) : null;
        boolean newC = c == null;
        if (c == null) c = fresh(UINT8, partnerShape(tv.shape, true), Domain.ints(0, 2), chance(0.3), false);
        if (c == null) return false;
        int[] s1 = broadcast(tv.shape, c.shape);
        Val fv = fresh(t, partnerShape(s1, true), FLOATS.contains(t) ? defaultDomain(t) : tv.dom, chance(0.4), false);
        if (fv == null) return newC ? refuse(c) : false;
        int[] out = broadcast(s1, fv.shape);
        if (out == null || !caps.ok("where", "condition", UINT8, c.rank()) || !caps.ok("where", "falseValue", t, fv.rank())
                || !caps.ok("where", "output", t, out.length)) {
            return refuse(fv, newC ? c : null);
        }
        Domain od = tv.dom.union(fv.dom);
        return emit1("where", Arrays.asList(arg("condition", c), arg("trueValue", tv), arg("falseValue", fv)), Arrays.asList(c, tv, fv),
                new Out(t, out, od, worst(tv, fv)), 0, null) || refuse(fv, newC ? c : null);
    }

    // =================================================================== reductions

    /** Random axes of rank r: null (option absent), sometimes empty, else a random non-empty subset in random order. */
    private int[] randomAxes(int r, boolean allowAbsent) {
        if (allowAbsent && chance(0.2)) return null;
        if (r == 0 || chance(0.05)) return new int[0];
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < r; i++) all.add(i);
        java.util.Collections.shuffle(all, new java.util.Random(rnd.nextLong()));
        int k = between(1, r);
        int[] a = new int[k];
        for (int i = 0; i < k; i++) a[i] = all.get(i);
        if (chance(0.6)) Arrays.sort(a);
        return a;
    }

    private boolean reduce(String op) {
        Set<MLOperandDataType> types = switch (op) {
            case "reduceMax", "reduceMin", "reduceSum", "reduceL1", "reduceSumSquare", "reduceProduct" -> ALL;
            default -> FLOATS;
        };
        Predicate<Val> ok = switch (op) {
            case "reduceSum", "reduceMean" -> v -> v.dom.oneSigned() && (v.isFloat() || v.exact());
            case "reduceLogSum" -> v -> v.dom.sign() > 0 && v.dom.maxAbs() <= 100;
            case "reduceLogSumExp" -> v -> v.dom.maxAbs() <= 8 && (v.exact() || v.dom.maxAbs() <= 2);
            case "reduceProduct" -> v -> v.dom.maxAbs() <= 2 && (v.dom.minAbs() == 0 || v.dom.minAbs() >= 0.5) && (v.isFloat() || v.exact());
            case "reduceSumSquare", "reduceL2" -> v -> v.dom.maxAbs() <= 100 && (v.isFloat() || v.exact());
            case "reduceL1" -> v -> v.isFloat() || v.exact();
            default -> v -> true;
        };
        Function<MLOperandDataType, Domain> fd = t -> switch (op) {
            case "reduceSum", "reduceMean" -> oneSignedDomain(t);
            case "reduceLogSum" -> oneOf(Domain.pos(1, 4), Domain.pos(2.75, 6), Domain.pos(0.01, 0.05));
            case "reduceLogSumExp" -> oneOf(Domain.pos(1, 3), Domain.mixed(0, 2));
            case "reduceProduct" -> FLOATS.contains(t) ? oneOf(Domain.mixed(0.5, 1.5), Domain.pos(0.5, 2)) : Domain.ints(-2, 2);
            default -> defaultDomain(t);
        };
        Val x = source(op, "input", types, 0, 5, ok, fd);
        if (x == null) return false;
        int r = x.rank();
        int[] axes = randomAxes(r, true);
        boolean keep = chance(0.4);
        boolean[] reduced = new boolean[r];
        if (axes == null) Arrays.fill(reduced, true);
        else for (int a : axes) reduced[a] = true;
        long n = 1;
        List<Integer> outShape = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (reduced[i]) {
                n *= x.shape[i];
                if (keep) outShape.add(1);
            } else {
                outShape.add(x.shape[i]);
            }
        }
        int[] out = outShape.stream().mapToInt(Integer::intValue).toArray();
        if (!caps.ok(op, "output", x.type, out.length)) return false;
        Domain d = x.dom;
        MLOperandDataType t = x.type;
        boolean f = x.isFloat();
        Domain od;
        switch (op) {
            case "reduceSum" -> od = new Domain(d.sign(), n == 0 ? 0 : d.minAbs() * n, d.maxAbs() * n, d.integral());
            case "reduceMean" -> od = d;
            case "reduceL1" -> od = Domain.interval(d.minAbs() * n, d.maxAbs() * n, d.integral());
            case "reduceL2" -> od = Domain.pos(d.minAbs() * Math.sqrt(n), d.maxAbs() * Math.sqrt(n));
            case "reduceSumSquare" -> od = Domain.interval(d.minAbs() * d.minAbs() * n, d.maxAbs() * d.maxAbs() * n, d.integral());
            case "reduceMax", "reduceMin" -> od = d;
            case "reduceProduct" -> {
                double hi = Math.pow(d.maxAbs(), n), lo = Math.pow(d.minAbs(), n);
                if (f && d.minAbs() > 0 && lo < 1e-3) return false;
                od = d.sign() > 0 ? new Domain(1, lo, hi, d.integral()) : d.sign() < 0 && n % 2 == 0 ? new Domain(1, lo, hi, d.integral())
                        : d.sign() < 0 ? new Domain(-1, lo, hi, d.integral()) : new Domain(0, lo, hi, d.integral());
            }
            case "reduceLogSum" -> {
                double lo = d.minAbs() * n, hi = d.maxAbs() * n;
                // log near 1 has no relative accuracy: keep the sum away from 1
                if (!(lo >= 2.7 || hi <= 0.37 && lo > 1e-3)) return false;
                od = Domain.interval(Math.log(lo), Math.log(hi), false);
            }
            case "reduceLogSumExp" -> {
                double lo = n * Math.exp(d.lo()), hi = n * Math.exp(d.hi());
                if (!(lo >= 2.7 || hi <= 0.37)) return false;
                od = Domain.interval(Math.log(lo), Math.log(hi), false);
            }
            default -> throw new IllegalStateException(op);
        }
        if (!f && (od.lo() < typeMin(t) || od.hi() > Math.min(typeMax(t), maxMagnitude(t)))) return false;
        double ulp = OpTolerance.reduce(op, t, n);
        Err err = op.equals("reduceMax") || op.equals("reduceMin") ? x.err : ulp > 0 ? Err.ULP : x.err;
        ObjectNode opts = options("axes", axes, "keepDimensions", keep || chance(0.3) ? keep : null);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1(op, args, Arrays.asList(x), new Out(t, out, od, err), ulp, null);
    }

    private boolean argMinMax(String op) {
        Val x = source(op, "input", ALL, 1, 5, Val::exact, this::defaultDomain);
        if (x == null) return false;
        int axis = rnd.nextInt(x.rank());
        boolean keep = chance(0.4);
        Set<MLOperandDataType> outTypes = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : caps.types(op, "output")) if (caps.io(t)) outTypes.add(t);
        MLOperandDataType ot = oneOf(outTypes);
        if (ot == null) return false;
        List<Integer> shape = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (i != axis) shape.add(x.shape[i]);
            else if (keep) shape.add(1);
        }
        int[] out = shape.stream().mapToInt(Integer::intValue).toArray();
        if (!caps.ok(op, "output", ot, out.length)) return false;
        ObjectNode opts = options("keepDimensions", keep || chance(0.3) ? keep : null,
                "outputDataType", ot == INT32 && chance(0.3) ? null : ot.specName());
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("axis", axis)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        if (!opts.has("outputDataType") && ot != INT32) return false;
        return emit1(op, args, Arrays.asList(x), new Out(ot, out, Domain.ints(0, x.shape[axis] - 1), Err.EXACT), 0, null);
    }

    private boolean cumulativeSum() {
        Val x = source("cumulativeSum", "input", ALL, 1, 5, v -> v.dom.oneSigned() && (v.isFloat() || v.exact()), this::oneSignedDomain);
        if (x == null) return false;
        int axis = rnd.nextInt(x.rank());
        boolean exclusive = chance(0.4), reversed = chance(0.4);
        int n = x.shape[axis];
        Domain d = x.dom;
        Domain od = new Domain(d.sign(), exclusive ? 0 : d.minAbs(), d.maxAbs() * n, d.integral());
        if (!x.isFloat() && (od.lo() < typeMin(x.type) || od.hi() > typeMax(x.type))) return false;
        if (!caps.ok("cumulativeSum", "output", x.type, x.rank())) return false;
        double ulp = OpTolerance.cumulativeSum(x.type, n);
        ObjectNode opts = options("exclusive", exclusive || chance(0.3) ? exclusive : null, "reversed", reversed || chance(0.3) ? reversed : null);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("axis", axis)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1("cumulativeSum", args, Arrays.asList(x), new Out(x.type, x.shape, od, ulp > 0 ? Err.ULP : x.err), ulp, null);
    }

    // =================================================================== normalization

    private double[] values(MLOperandDataType t, int n, Domain d) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = sample(t, d, false);
        return v;
    }

    private boolean batchNormalization() {
        Val x = source("batchNormalization", "input", FLOATS, 1, 5, v -> v.dom.maxAbs() <= 50, this::defaultDomain);
        if (x == null) return false;
        MLOperandDataType t = x.type;
        int r = x.rank();
        Integer axisOpt = r >= 2 && chance(0.4) ? null : rnd.nextInt(r);
        int axis = axisOpt == null ? 1 : axisOpt;
        int c = x.shape[axis];
        int[] vs = {c};
        double eps = chance(0.5) ? 1e-5 : quarter(0.25, 1) / 100;
        Domain d = x.dom;
        Domain meanDom, scaleDom = null, biasDom = null;
        boolean dominated = d.mixed() || chance(0.4);
        if (!dominated) {
            // the mean on the other side of zero: x - mean never cancels
            meanDom = d.sign() > 0 ? Domain.neg(0.1, 1) : Domain.pos(0.1, 1);
            if (d.maxAbs() == 0) meanDom = Domain.pos(0.1, 1);
        } else {
            meanDom = Domain.mixed(0, 1);
        }
        Domain varDom = Domain.pos(0.5, 2);
        Val mean = freshConst(t, vs, meanDom);
        Val var = freshConst(t, vs, varDom);
        if (mean == null || var == null) return refuse(mean, var);
        double sMax = 1;
        Val scale = null, bias = null;
        int outSign;
        double dev = (d.maxAbs() + meanDom.maxAbs()) / Math.sqrt(varDom.minAbs() + eps);
        double devMin = dominated ? 0 : (d.minAbs() + meanDom.minAbs()) / Math.sqrt(varDom.maxAbs() + eps);
        int devSign = dominated ? 0 : (d.sign() > 0 || d.maxAbs() == 0 ? 1 : -1);
        double sMin = 1;
        int sSign = 1;
        if (chance(0.7) || dominated && chance(0.5)) {
            sSign = chance(0.3) ? -1 : 1;
            scaleDom = sSign > 0 ? Domain.pos(0.5, 1.5) : Domain.neg(0.5, 1.5);
            scale = freshConst(t, vs, scaleDom);
            if (scale == null) return refuse(mean, var);
            sMax = 1.5;
            sMin = 0.5;
        }
        if (dominated) {
            double b = 2 * sMax * dev + 0.5;
            outSign = chance(0.5) ? 1 : -1;
            biasDom = new Domain(outSign, b, b * 1.5, false);
        } else {
            outSign = devSign * sSign;
            if (chance(0.5)) biasDom = new Domain(outSign, 0.1, 1, false);
        }
        if (biasDom != null) {
            bias = freshConst(t, vs, biasDom);
            if (bias == null) return refuse(mean, var, scale);
        }
        double lo, hi;
        if (dominated) {
            lo = biasDom.minAbs() - sMax * dev;
            hi = biasDom.maxAbs() + sMax * dev;
        } else {
            lo = devMin * sMin + (biasDom == null ? 0 : biasDom.minAbs());
            hi = dev * sMax + (biasDom == null ? 0 : biasDom.maxAbs());
        }
        Domain od = new Domain(outSign, Math.max(0, lo), hi, false);
        if (!caps.ok("batchNormalization", "mean", t, 1) || !caps.ok("batchNormalization", "variance", t, 1)
                || scale != null && !caps.ok("batchNormalization", "scale", t, 1)
                || bias != null && !caps.ok("batchNormalization", "bias", t, 1)
                || !caps.ok("batchNormalization", "output", t, r)) {
            return refuse(mean, var, scale, bias);
        }
        ObjectNode opts = options("scale", scale, "bias", bias, "axis", axisOpt, "epsilon", eps == 1e-5 && chance(0.5) ? null : eps);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("mean", mean), arg("variance", var)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1("batchNormalization", args, Arrays.asList(x, mean, var, scale, bias), new Out(t, x.shape, od, Err.ULP),
                OpTolerance.ulp("batchNormalization", t), null) || refuse(mean, var, scale, bias);
    }

    private boolean instanceNormalization() {
        Val x = source("instanceNormalization", "input", FLOATS, 4, 4, v -> v.exact() && v.dom.maxAbs() <= 20,
                t -> Domain.mixed(0.1, 2));
        if (x == null) return false;
        MLOperandDataType t = x.type;
        boolean nhwc = chance(0.4);
        int c = nhwc ? x.shape[3] : x.shape[1];
        int hw = nhwc ? x.shape[1] * x.shape[2] : x.shape[2] * x.shape[3];
        int[] vs = {c};
        double eps = chance(0.5) ? 1e-5 : quarter(0.25, 1) / 100;
        Val scale = null;
        double sMax = 1;
        if (chance(0.6)) {
            scale = freshConst(t, vs, chance(0.7) ? Domain.pos(0.5, 1.5) : Domain.neg(0.5, 1.5));
            if (scale == null) return false;
            sMax = 1.5;
        }
        // |normalized| <= sqrt(hw): a bias beyond twice that keeps the output away from zero
        double b = 2 * sMax * Math.sqrt(hw) + 0.5;
        int sign = chance(0.5) ? 1 : -1;
        Domain bd = new Domain(sign, b, 1.5 * b, false);
        Val bias = freshConst(t, vs, bd);
        if (bias == null) return refuse(scale);
        Domain od = new Domain(sign, b - sMax * Math.sqrt(hw), 1.5 * b + sMax * Math.sqrt(hw), false);
        if (scale != null && !caps.ok("instanceNormalization", "scale", t, 1) || !caps.ok("instanceNormalization", "bias", t, 1)
                || !caps.ok("instanceNormalization", "output", t, 4)) {
            return refuse(scale, bias);
        }
        ObjectNode opts = options("scale", scale, "bias", bias, "epsilon", eps == 1e-5 && chance(0.5) ? null : eps,
                "layout", nhwc ? "nhwc" : chance(0.5) ? "nchw" : null);
        return emit1("instanceNormalization", Arrays.asList(arg("input", x), arg("options", opts)), Arrays.asList(x, scale, bias),
                new Out(t, x.shape, od, Err.ULP), OpTolerance.ulp("instanceNormalization", t), null) || refuse(scale, bias);
    }

    private boolean layerNormalization() {
        Val x = source("layerNormalization", "input", FLOATS, 0, 5, v -> v.exact() && v.dom.maxAbs() <= 20,
                t -> Domain.mixed(0.1, 2));
        if (x == null) return false;
        MLOperandDataType t = x.type;
        int r = x.rank();
        int[] axes = randomAxes(r, true);
        if (axes != null && axes.length == 0 && r > 0 && chance(0.7)) axes = null;
        int[] eff = axes;
        if (eff == null) {
            eff = new int[Math.max(0, r - 1)];
            for (int i = 0; i < eff.length; i++) eff[i] = i + 1;
        }
        int[] vs = new int[eff.length];
        long m = 1;
        for (int i = 0; i < eff.length; i++) {
            vs[i] = x.shape[eff[i]];
            m *= vs[i];
        }
        double eps = chance(0.5) ? 1e-5 : quarter(0.25, 1) / 100;
        Val scale = null;
        double sMax = 1;
        if (chance(0.6)) {
            scale = freshConst(t, vs, chance(0.7) ? Domain.pos(0.5, 1.5) : Domain.neg(0.5, 1.5));
            if (scale == null) return false;
            sMax = 1.5;
        }
        double b = 2 * sMax * Math.sqrt(m) + 0.5;
        int sign = chance(0.5) ? 1 : -1;
        Val bias = freshConst(t, vs, new Domain(sign, b, 1.5 * b, false));
        if (bias == null) return refuse(scale);
        Domain od = new Domain(sign, b - sMax * Math.sqrt(m), 1.5 * b + sMax * Math.sqrt(m), false);
        if (scale != null && !caps.ok("layerNormalization", "scale", t, vs.length) || !caps.ok("layerNormalization", "bias", t, vs.length)
                || !caps.ok("layerNormalization", "output", t, r)) {
            return refuse(scale, bias);
        }
        ObjectNode opts = options("scale", scale, "bias", bias, "axes", axes, "epsilon", eps == 1e-5 && chance(0.5) ? null : eps);
        return emit1("layerNormalization", Arrays.asList(arg("input", x), arg("options", opts)), Arrays.asList(x, scale, bias),
                new Out(t, x.shape, od, Err.ULP), OpTolerance.ulp("layerNormalization", t), null) || refuse(scale, bias);
    }

    // =================================================================== convolution

    private static int[] spatialAxes(boolean nhwc) { return nhwc ? new int[] {3, 1, 2} : new int[] {1, 2, 3}; } // C, H, W

    private static List<Integer> divisors(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) if (n % i == 0) l.add(i);
        return l;
    }

    /** A fresh rank-4 input for convolution or pooling: N, C, H, W in the given layout. */
    private int[] imageShape(boolean nhwc, int maxC) {
        int n = chance(0.8) ? 1 : 2;
        int c = between(1, maxC);
        int h = between(1, 9), w = between(1, 9);
        return nhwc ? new int[] {n, h, w, c} : new int[] {n, c, h, w};
    }

    private Val image(String op, Set<MLOperandDataType> types, Predicate<Val> ok, Function<MLOperandDataType, Domain> fd, boolean nhwc,
                      int maxC) {
        Set<MLOperandDataType> allowed = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : types) if (caps.io(t) && caps.ok(op, "input", t, 4)) allowed.add(t);
        if (allowed.isEmpty()) return null;
        if (chance(0.75)) {
            Val v = pick(u -> u.rank() == 4 && allowed.contains(u.type) && ok.test(u) && u.shape[nhwc ? 3 : 1] <= 16 && u.size() <= 1024);
            if (v != null) return v;
        }
        MLOperandDataType t = pickType(allowed);
        Val v = fresh(t, imageShape(nhwc, maxC), fd.apply(t), chance(0.15), false);
        if (v != null && !ok.test(v)) return refuse(v) ? null : null;
        return v;
    }

    private boolean conv2d() {
        boolean nhwc = chance(0.4);
        Val x = image("conv2d", FLOATS, v -> v.dom.oneSigned() && v.dom.maxAbs() <= 10, this::oneSignedDomain, nhwc, 6);
        if (x == null) return false;
        MLOperandDataType t = x.type;
        int[] ax = spatialAxes(nhwc);
        int c = x.shape[ax[0]], h = x.shape[ax[1]], w = x.shape[ax[2]];
        int groups = chance(0.6) ? 1 : oneOf(divisors(c));
        int cpg = c / groups;
        int opg = between(1, 4);
        if (groups == c && chance(0.5)) opg = 1; // depthwise
        int o = groups * opg;
        int[] k = {between(1, Math.min(4, h + 2)), between(1, Math.min(4, w + 2))};
        int[] dil = {chance(0.8) ? 1 : 2, chance(0.8) ? 1 : 2};
        int[] str = {chance(0.6) ? 1 : between(2, 3), chance(0.6) ? 1 : between(2, 3)};
        int[] pad = new int[4];
        if (chance(0.5)) for (int i = 0; i < 4; i++) pad[i] = between(0, Math.max(0, (i < 2 ? k[0] : k[1]) - 1));
        int[] size = {h, w};
        int[] outHW = new int[2];
        for (int i = 0; i < 2; i++) {
            long eff = (long) dil[i] * (k[i] - 1) + 1;
            long num = size[i] + pad[2 * i] + pad[2 * i + 1] - eff;
            if (num < 0) return false;
            outHW[i] = (int) (num / str[i] + 1);
        }
        String fl = oneOf("oihw", "hwio", "ohwi", "ihwo");
        int[] fs = switch (fl) {
            case "hwio" -> new int[] {k[0], k[1], cpg, o};
            case "ohwi" -> new int[] {o, k[0], k[1], cpg};
            case "ihwo" -> new int[] {cpg, k[0], k[1], o};
            default -> new int[] {o, cpg, k[0], k[1]};
        };
        int fsign = chance(0.75) ? 1 : -1;
        Domain fd = fsign > 0 ? Domain.pos(0.1, 1) : Domain.neg(0.1, 1);
        Val filter = freshConst(t, fs, fd);
        if (filter == null) return false;
        int terms = k[0] * k[1] * cpg;
        int sign = x.dom.sign() * fsign;
        if (x.dom.maxAbs() == 0) sign = 1;
        Val bias = null;
        double bmin = 0, bmax = 0;
        if (chance(0.5)) {
            bias = freshConst(t, new int[] {o}, new Domain(sign, 0.1, 1, false));
            if (bias == null) return refuse(filter);
            bmin = 0.1;
            bmax = 1;
        }
        int n = x.shape[0];
        int[] out = nhwc ? new int[] {n, outHW[0], outHW[1], o} : new int[] {n, o, outHW[0], outHW[1]};
        if (size(out) * terms > 400_000) return refuse(filter, bias);
        if (!caps.ok("conv2d", "filter", t, 4) || bias != null && !caps.ok("conv2d", "bias", t, 1) || !caps.ok("conv2d", "output", t, 4)) {
            return refuse(filter, bias);
        }
        Domain od = new Domain(sign, bmin, terms * x.dom.maxAbs() * fd.maxAbs() + bmax, false);
        boolean defPad = Arrays.stream(pad).allMatch(p -> p == 0) && chance(0.5);
        ObjectNode opts = options("padding", defPad ? null : pad,
                "strides", str[0] == 1 && str[1] == 1 && chance(0.5) ? null : str,
                "dilations", dil[0] == 1 && dil[1] == 1 && chance(0.5) ? null : dil,
                "groups", groups == 1 && chance(0.5) ? null : groups,
                "inputLayout", nhwc ? "nhwc" : chance(0.5) ? "nchw" : null,
                "filterLayout", fl.equals("oihw") && chance(0.5) ? null : fl,
                "bias", bias);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("filter", filter)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1("conv2d", args, Arrays.asList(x, filter, bias), new Out(t, out, od, Err.ULP), OpTolerance.conv(k[0], k[1], cpg), null)
                || refuse(filter, bias);
    }

    private boolean convTranspose2d() {
        boolean nhwc = chance(0.4);
        Val x = image("convTranspose2d", FLOATS, v -> v.dom.oneSigned() && v.dom.maxAbs() <= 10, this::oneSignedDomain, nhwc, 6);
        if (x == null) return false;
        MLOperandDataType t = x.type;
        int[] ax = spatialAxes(nhwc);
        int c = x.shape[ax[0]], h = x.shape[ax[1]], w = x.shape[ax[2]];
        int groups = chance(0.65) ? 1 : oneOf(divisors(c));
        int opg = between(1, 3);
        int o = opg * groups;
        int[] k = {between(1, 4), between(1, 4)};
        int[] dil = {chance(0.8) ? 1 : 2, chance(0.8) ? 1 : 2};
        int[] str = {chance(0.5) ? 1 : between(2, 3), chance(0.5) ? 1 : between(2, 3)};
        int[] pad = new int[4];
        if (chance(0.5)) for (int i = 0; i < 4; i++) pad[i] = between(0, Math.max(0, (i < 2 ? k[0] : k[1]) - 1));
        int[] size = {h, w};
        int[] calc = new int[2];
        for (int i = 0; i < 2; i++) {
            long eff = (long) dil[i] * (k[i] - 1) + 1;
            calc[i] = (int) ((long) (size[i] - 1) * str[i] + eff - pad[2 * i] - pad[2 * i + 1]);
            if (calc[i] < 1) return false;
        }
        int[] outPad = null, outSizes = null;
        int[] outHW = calc.clone();
        double u = rnd.nextDouble();
        if (u < 0.25 && (str[0] > 1 || str[1] > 1)) {
            outPad = new int[] {between(0, str[0] - 1), between(0, str[1] - 1)};
            outHW = new int[] {calc[0] + outPad[0], calc[1] + outPad[1]};
        } else if (u < 0.45) {
            outSizes = new int[] {calc[0] + between(0, str[0] - 1), calc[1] + between(0, str[1] - 1)};
            outHW = outSizes.clone();
        }
        String fl = oneOf("iohw", "hwoi", "ohwi");
        int[] fs = switch (fl) {
            case "hwoi" -> new int[] {k[0], k[1], opg, c};
            case "ohwi" -> new int[] {opg, k[0], k[1], c};
            default -> new int[] {c, opg, k[0], k[1]};
        };
        int fsign = chance(0.75) ? 1 : -1;
        Domain fd = fsign > 0 ? Domain.pos(0.1, 1) : Domain.neg(0.1, 1);
        Val filter = freshConst(t, fs, fd);
        if (filter == null) return false;
        int cpg = c / groups;
        int sign = x.dom.maxAbs() == 0 ? 1 : x.dom.sign() * fsign;
        Val bias = null;
        double bmin = 0, bmax = 0;
        if (chance(0.5)) {
            bias = freshConst(t, new int[] {o}, new Domain(sign, 0.1, 1, false));
            if (bias == null) return refuse(filter);
            bmin = 0.1;
            bmax = 1;
        }
        int n = x.shape[0];
        int[] out = nhwc ? new int[] {n, outHW[0], outHW[1], o} : new int[] {n, o, outHW[0], outHW[1]};
        if (size(out) * k[0] * k[1] * cpg > 400_000) return refuse(filter, bias);
        if (!caps.ok("convTranspose2d", "filter", t, 4) || bias != null && !caps.ok("convTranspose2d", "bias", t, 1)
                || !caps.ok("convTranspose2d", "output", t, 4)) {
            return refuse(filter, bias);
        }
        Domain od = new Domain(sign, bmin, k[0] * k[1] * cpg * x.dom.maxAbs() * fd.maxAbs() + bmax, false);
        boolean defPad = Arrays.stream(pad).allMatch(p -> p == 0) && chance(0.5);
        ObjectNode opts = options("padding", defPad ? null : pad,
                "strides", str[0] == 1 && str[1] == 1 && chance(0.5) ? null : str,
                "dilations", dil[0] == 1 && dil[1] == 1 && chance(0.5) ? null : dil,
                "outputPadding", outPad, "outputSizes", outSizes,
                "groups", groups == 1 && chance(0.5) ? null : groups,
                "inputLayout", nhwc ? "nhwc" : chance(0.5) ? "nchw" : null,
                "filterLayout", fl.equals("iohw") && chance(0.5) ? null : fl,
                "bias", bias);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("filter", filter)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1("convTranspose2d", args, Arrays.asList(x, filter, bias), new Out(t, out, od, Err.ULP),
                OpTolerance.conv(k[0], k[1], cpg), null) || refuse(filter, bias);
    }

    private boolean pool(String op) {
        boolean nhwc = chance(0.4);
        Predicate<Val> ok = switch (op) {
            case "averagePool2d" -> v -> v.dom.oneSigned();
            case "l2Pool2d" -> v -> v.dom.maxAbs() <= 100;
            default -> v -> true;
        };
        Set<MLOperandDataType> types = op.equals("maxPool2d") ? ALL : FLOATS;
        Val x = image(op, types, ok, op.equals("averagePool2d") ? this::oneSignedDomain : this::defaultDomain, nhwc, 4);
        if (x == null) return false;
        int[] ax = spatialAxes(nhwc);
        int h = x.shape[ax[1]], w = x.shape[ax[2]];
        int[] size = {h, w};
        boolean global = chance(0.2);
        int[] win = global ? new int[] {h, w} : new int[] {between(1, Math.min(4, h + 1)), between(1, Math.min(4, w + 1))};
        int[] dil = global ? new int[] {1, 1} : new int[] {chance(0.85) ? 1 : 2, chance(0.85) ? 1 : 2};
        int[] str = global ? new int[] {1, 1} : new int[] {chance(0.5) ? 1 : between(2, 3), chance(0.5) ? 1 : between(2, 3)};
        int[] pad = new int[4];
        if (!global && chance(0.5)) {
            for (int i = 0; i < 4; i++) pad[i] = between(0, Math.max(0, (i < 2 ? win[0] : win[1]) - 1));
        }
        boolean ceil = !global && chance(0.35);
        int[] outHW = new int[2];
        for (int i = 0; i < 2; i++) {
            long eff = (long) dil[i] * (win[i] - 1) + 1;
            long num = size[i] + pad[2 * i] + pad[2 * i + 1] - eff;
            if (num < 0) return false;
            long o = ceil ? Math.floorDiv(num + str[i] - 1, str[i]) + 1 : num / str[i] + 1;
            outHW[i] = (int) o;
            // every window must see at least one element of the input
            for (int p = 0; p < o; p++) {
                long start = (long) p * str[i] - pad[2 * i];
                boolean any = false;
                for (int q = 0; q < win[i]; q++) {
                    long idx = start + (long) q * dil[i];
                    if (idx >= 0 && idx < size[i]) {
                        any = true;
                        break;
                    }
                }
                if (!any) return false;
            }
        }
        int[] out = nhwc ? new int[] {x.shape[0], outHW[0], outHW[1], x.shape[3]} : new int[] {x.shape[0], x.shape[1], outHW[0], outHW[1]};
        if (!caps.ok(op, "output", x.type, 4)) return false;
        boolean useSizes = !global && chance(0.2);
        Domain d = x.dom;
        int window = win[0] * win[1];
        Domain od = switch (op) {
            case "averagePool2d" -> d;
            case "l2Pool2d" -> Domain.pos(d.minAbs(), d.maxAbs() * Math.sqrt(window));
            default -> d;
        };
        double ulp = OpTolerance.pool(op, win[0], win[1]);
        Err err = op.equals("maxPool2d") ? x.err : Err.ULP;
        boolean defPad = Arrays.stream(pad).allMatch(p -> p == 0) && chance(0.5);
        ObjectNode opts = options("windowDimensions", global && chance(0.6) ? null : win,
                "padding", defPad ? null : pad,
                "strides", str[0] == 1 && str[1] == 1 && chance(0.5) ? null : str,
                "dilations", dil[0] == 1 && dil[1] == 1 && chance(0.5) ? null : dil,
                "layout", nhwc ? "nhwc" : chance(0.5) ? "nchw" : null,
                "outputShapeRounding", useSizes ? null : ceil ? "ceil" : chance(0.3) ? "floor" : null,
                "outputSizes", useSizes ? outHW : null);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1(op, args, Arrays.asList(x), new Out(x.type, out, od, err), ulp, null);
    }

    private boolean resample2d() {
        boolean linear = chance(0.5);
        Predicate<Val> ok = linear ? v -> v.dom.oneSigned() : v -> true;
        Set<MLOperandDataType> types = EnumSet.of(FLOAT32, FLOAT16, UINT8, INT8);
        if (linear) types = FLOATS;
        Val x = source("resample2d", "input", types, 4, 4, ok, linear ? this::oneSignedDomain : this::defaultDomain);
        if (x == null) return false;
        int[] axes = switch (rnd.nextInt(6)) {
            case 0, 1, 2 -> new int[] {2, 3};
            case 3 -> new int[] {1, 2};
            case 4 -> new int[] {0, 1};
            default -> new int[] {3, 2};
        };
        boolean useSizes = chance(0.4);
        int[] out = x.shape.clone();
        double[] scales = new double[2];
        int[] sizes = new int[2];
        for (int i = 0; i < 2; i++) {
            int in = x.shape[axes[i]];
            if (useSizes) {
                sizes[i] = between(1, Math.min(12, in * 3));
                out[axes[i]] = sizes[i];
            } else {
                scales[i] = oneOf(0.5, 1.0, 1.5, 2.0, 3.0, 0.75, 1.25);
                int o = (int) Math.floor(in * scales[i]);
                if (o < 1) return false;
                out[axes[i]] = o;
            }
        }
        if (!caps.ok("resample2d", "output", x.type, 4)) return false;
        boolean defAxes = axes[0] == 2 && axes[1] == 3 && chance(0.5);
        ObjectNode opts = options("mode", linear ? "linear" : chance(0.5) ? "nearest-neighbor" : null,
                "scales", useSizes ? null : scales, "sizes", useSizes ? sizes : null, "axes", defAxes ? null : axes);
        double ulp = linear ? OpTolerance.ulp("resample2d-linear", x.type) : 0;
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1("resample2d", args, Arrays.asList(x), new Out(x.type, out, x.dom, linear ? Err.ULP : x.err), ulp, null);
    }

    // =================================================================== matrix

    private boolean matmul() {
        Val a = source("matmul", "a", FLOATS, 2, 4, v -> v.dom.oneSigned() && v.dom.maxAbs() <= 10 && v.shape[v.rank() - 1] <= 32,
                this::oneSignedDomain);
        if (a == null) return false;
        MLOperandDataType t = a.type;
        int ra = a.rank();
        int kDim = a.shape[ra - 1];
        int m = a.shape[ra - 2];
        int nDim = between(1, 6);
        int rb = chance(0.6) ? ra : between(2, 4);
        int[] bs = new int[rb];
        bs[rb - 2] = kDim;
        bs[rb - 1] = nDim;
        int[] aBatch = Arrays.copyOf(a.shape, ra - 2);
        int[] bBatch = partnerShape(aBatch, true);
        if (bBatch.length > rb - 2) bBatch = Arrays.copyOfRange(bBatch, bBatch.length - (rb - 2), bBatch.length);
        int[] bb = new int[rb - 2];
        Arrays.fill(bb, 1);
        System.arraycopy(bBatch, 0, bb, rb - 2 - bBatch.length, bBatch.length);
        System.arraycopy(bb, 0, bs, 0, rb - 2);
        int[] batch = broadcast(aBatch, bb);
        if (batch == null) return false;
        int fsign = chance(0.8) ? 1 : -1;
        Domain bd = fsign > 0 ? Domain.pos(0.1, 1) : Domain.neg(0.1, 1);
        Val b = fresh(t, bs, bd, chance(0.5), false);
        if (b == null) return false;
        int[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = m;
        out[batch.length + 1] = nDim;
        if (!caps.ok("matmul", "b", t, rb) || !caps.ok("matmul", "output", t, out.length)) return refuse(b);
        int sign = a.dom.maxAbs() == 0 ? 1 : a.dom.sign() * fsign;
        Domain od = new Domain(sign, kDim * a.dom.minAbs() * bd.minAbs(), kDim * a.dom.maxAbs() * bd.maxAbs(), false);
        return emit1("matmul", Arrays.asList(arg("a", a), arg("b", b)), Arrays.asList(a, b), new Out(t, out, od, Err.ULP), OpTolerance.matmul(kDim), null)
                || refuse(b);
    }

    private boolean gemm() {
        Val a = source("gemm", "a", FLOATS, 2, 2, v -> v.dom.oneSigned() && v.dom.maxAbs() <= 10, this::oneSignedDomain);
        if (a == null) return false;
        MLOperandDataType t = a.type;
        boolean aT = chance(0.4), bT = chance(0.4);
        int m = aT ? a.shape[1] : a.shape[0];
        int kDim = aT ? a.shape[0] : a.shape[1];
        int nDim = between(1, 6);
        int fsign = chance(0.8) ? 1 : -1;
        Domain bd = fsign > 0 ? Domain.pos(0.1, 1) : Domain.neg(0.1, 1);
        Val b = fresh(t, bT ? new int[] {nDim, kDim} : new int[] {kDim, nDim}, bd, chance(0.5), false);
        if (b == null) return false;
        double alpha = chance(0.5) ? 1 : (chance(0.8) ? 1 : -1) * quarter(0.25, 2);
        int abSign = (a.dom.maxAbs() == 0 ? 1 : a.dom.sign()) * fsign * (alpha < 0 ? -1 : 1);
        Val c = null;
        double beta = 1;
        double cMin = 0, cMax = 0;
        if (chance(0.6)) {
            beta = chance(0.5) ? 1 : quarter(0.25, 2);
            int[] cs = switch (rnd.nextInt(4)) {
                case 0 -> new int[] {m, nDim};
                case 1 -> new int[] {nDim};
                case 2 -> new int[] {};
                default -> new int[] {1, nDim};
            };
            if (chance(0.2)) cs = new int[] {m, 1};
            c = fresh(t, cs, new Domain(abSign, 0.1, 1, false), chance(0.6), false);
            if (c == null) return refuse(b);
            cMin = 0.1 * beta;
            cMax = beta;
        }
        int[] out = {m, nDim};
        if (!caps.ok("gemm", "b", t, 2) || c != null && !caps.ok("gemm", "c", t, c.rank()) || !caps.ok("gemm", "output", t, 2)) {
            return refuse(b, c);
        }
        double aa = Math.abs(alpha);
        Domain od = new Domain(abSign, aa * kDim * a.dom.minAbs() * bd.minAbs() + cMin, aa * kDim * a.dom.maxAbs() * bd.maxAbs() + cMax, false);
        ObjectNode opts = options("c", c, "alpha", alpha == 1 && chance(0.5) ? null : alpha,
                "beta", c == null || beta == 1 && chance(0.5) ? null : beta,
                "aTranspose", aT || chance(0.3) ? aT : null, "bTranspose", bT || chance(0.3) ? bT : null);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("a", a), arg("b", b)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        double ulp = OpTolerance.gemm(kDim, alpha, c != null, beta);
        return emit1("gemm", args, Arrays.asList(a, b, c), new Out(t, out, od, Err.ULP), ulp, null) || refuse(b, c);
    }

    // =================================================================== shape and data movement

    private Val movable(String op, int minRank, int maxRank) {
        if (chance(0.1)) {
            // 64-bit integers beyond 2^53: data movement must keep every bit (no detour through double)
            MLOperandDataType t = chance(0.5) ? INT64 : UINT64;
            int[] shape = randomShape(minRank, maxRank, 64);
            if (shape != null && caps.ok(op, "input", t, shape.length)) {
                Val v = bigIntegers(t, shape);
                if (v != null) return v;
            }
        }
        return source(op, "input", ALL, minRank, maxRank, v -> true, this::defaultDomain);
    }

    /** A fresh int64/uint64 input with random values over (nearly) the whole range, written exactly. */
    private Val bigIntegers(MLOperandDataType t, int[] shape) {
        if (!caps.io(t)) return null;
        String name = newName("x");
        ObjectNode o = inputs.putObject(name);
        ArrayNode data = o.putArray("data");
        int n = (int) size(shape);
        for (int i = 0; i < n; i++) {
            long v = rnd.nextLong() >> 1; // |v| < 2^62: no overflow in the domain bounds
            if (t == UINT64) data.add(Long.toUnsignedString(rnd.nextLong() >>> 1 | (chance(0.5) ? Long.MIN_VALUE : 0)));
            else data.add(Long.toString(v));
        }
        o.set("descriptor", descriptor(t, shape));
        Domain d = t == UINT64 ? new Domain(1, 0, 1.8446744073709552E19, true) : Domain.interval(-4.62e18, 4.62e18, true);
        Val v = new Val(name, t, shape, d, Err.EXACT, false);
        vals.add(v);
        return v;
    }

    private boolean concat() {
        Set<MLOperandDataType> types = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : ALL) if (caps.io(t) && caps.types("concat", "inputs").contains(t)) types.add(t);
        Val a = source("concat", "inputs", types, 1, 5, v -> true, this::defaultDomain);
        if (a == null) return false;
        int axis = rnd.nextInt(a.rank());
        int extra = between(0, 3);
        List<Val> ins = new ArrayList<>(Arrays.asList(a));
        List<Val> created = new ArrayList<>();
        int total = a.shape[axis];
        Domain od = a.dom;
        for (int i = 0; i < extra; i++) {
            int[] s = a.shape.clone();
            s[axis] = between(1, 4);
            Val v = null;
            if (chance(0.3)) {
                v = pick(u -> u.type == a.type && u.rank() == a.rank() && sameExcept(u.shape, a.shape, axis));
                if (v != null) s = v.shape;
            }
            if (v == null) {
                v = fresh(a.type, s, a.isFloat() ? defaultDomain(a.type) : a.dom, chance(0.3), false);
                if (v == null) return refuse(created.toArray(new Val[0]));
                created.add(v);
            }
            total += v.shape[axis];
            od = od.union(v.dom);
            ins.add(v);
        }
        int[] out = a.shape.clone();
        out[axis] = total;
        if (!caps.ok("concat", "output", a.type, out.length)) return refuse(created.toArray(new Val[0]));
        for (Val v : ins) if (!caps.ok("concat", "inputs", v.type, v.rank())) return refuse(created.toArray(new Val[0]));
        return emit1("concat", Arrays.asList(arg("inputs", new ArrayList<Object>(ins)), arg("axis", axis)), ins,
                new Out(a.type, out, od, worst(ins.toArray(new Val[0]))), 0, null) || refuse(created.toArray(new Val[0]));
    }

    private static boolean sameExcept(int[] a, int[] b, int axis) {
        for (int i = 0; i < a.length; i++) if (i != axis && a[i] != b[i]) return false;
        return true;
    }

    private boolean expand() {
        Val x = movable("expand", 0, 5);
        if (x == null) return false;
        int lead = Math.min(between(0, 2), Math.min(5, caps.maxRank()) - x.rank());
        if (lead < 0) return false;
        int[] out = new int[x.rank() + lead];
        for (int i = 0; i < lead; i++) out[i] = between(1, 3);
        for (int i = 0; i < x.rank(); i++) out[lead + i] = x.shape[i] == 1 && chance(0.6) ? between(2, 4) : x.shape[i];
        if (!caps.ok("expand", "output", x.type, out.length)) return false;
        return emit1("expand", Arrays.asList(arg("input", x), arg("newShape", out)), Arrays.asList(x), new Out(x.type, out, x.dom, x.err), 0, null);
    }

    private boolean reshape() {
        Val x = movable("reshape", 0, 5);
        if (x == null) return false;
        int[] out = factorShape((int) x.size());
        if (out == null || !caps.ok("reshape", "output", x.type, out.length)) return false;
        return emit1("reshape", Arrays.asList(arg("input", x), arg("newShape", out)), Arrays.asList(x), new Out(x.type, out, x.dom, x.err), 0, null);
    }

    /** A random shape with exactly n elements and rank 0..5. */
    private int[] factorShape(int n) {
        List<Integer> primes = new ArrayList<>();
        int m = n;
        for (int p = 2; p * p <= m; p++) while (m % p == 0) {
            primes.add(p);
            m /= p;
        }
        if (m > 1) primes.add(m);
        int rank = between(n == 1 ? 0 : 1, Math.min(5, caps.maxRank()));
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        if (rank == 0) return n == 1 ? s : null;
        for (int p : primes) s[rnd.nextInt(rank)] *= p;
        return s;
    }

    private boolean transpose() {
        Val x = movable("transpose", 0, 5);
        if (x == null) return false;
        int r = x.rank();
        int[] perm = null;
        int[] eff = new int[r];
        for (int i = 0; i < r; i++) eff[i] = r - 1 - i;
        if (chance(0.75)) {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < r; i++) l.add(i);
            java.util.Collections.shuffle(l, new java.util.Random(rnd.nextLong()));
            perm = l.stream().mapToInt(Integer::intValue).toArray();
            eff = perm;
        }
        int[] out = new int[r];
        for (int i = 0; i < r; i++) out[i] = x.shape[eff[i]];
        if (!caps.ok("transpose", "output", x.type, r)) return false;
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x)));
        if (perm != null) args.add(arg("options", options("permutation", perm)));
        return emit1("transpose", args, Arrays.asList(x), new Out(x.type, out, x.dom, x.err), 0, null);
    }

    private boolean reverse() {
        Val x = movable("reverse", 0, 5);
        if (x == null) return false;
        int[] axes = randomAxes(x.rank(), true);
        if (!caps.ok("reverse", "output", x.type, x.rank())) return false;
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x)));
        if (axes != null) args.add(arg("options", options("axes", axes)));
        return emit1("reverse", args, Arrays.asList(x), new Out(x.type, x.shape, x.dom, x.err), 0, null);
    }

    private boolean slice() {
        Val x = movable("slice", 0, 5);
        if (x == null) return false;
        int r = x.rank();
        int[] starts = new int[r], sizes = new int[r], strides = new int[r];
        boolean useStrides = chance(0.4);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int d = x.shape[i];
            starts[i] = chance(0.5) ? 0 : rnd.nextInt(d);
            sizes[i] = between(1, d - starts[i]);
            strides[i] = useStrides ? between(1, 3) : 1;
            out[i] = (sizes[i] + strides[i] - 1) / strides[i];
        }
        if (!caps.ok("slice", "output", x.type, r)) return false;
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("starts", starts), arg("sizes", sizes)));
        if (useStrides) args.add(arg("options", options("strides", strides)));
        return emit1("slice", args, Arrays.asList(x), new Out(x.type, out, x.dom, x.err), 0, null);
    }

    private boolean split() {
        Val x = source("split", "input", ALL, 1, 5, v -> true, this::defaultDomain);
        if (x == null) return false;
        int axis = rnd.nextInt(x.rank());
        int d = x.shape[axis];
        Object splits;
        int[] sizes;
        if (chance(0.5)) {
            int k = oneOf(divisors(d));
            splits = k;
            sizes = new int[k];
            Arrays.fill(sizes, d / k);
        } else {
            List<Integer> parts = new ArrayList<>();
            int left = d;
            while (left > 0) {
                int p = between(1, left);
                parts.add(p);
                left -= p;
            }
            sizes = parts.stream().mapToInt(Integer::intValue).toArray();
            splits = sizes;
        }
        if (sizes.length > 6) return false;
        if (!caps.ok("split", "outputs", x.type, x.rank())) return false;
        List<Out> outs = new ArrayList<>();
        for (int s : sizes) {
            int[] o = x.shape.clone();
            o[axis] = s;
            outs.add(new Out(x.type, o, x.dom, x.err));
        }
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("splits", splits)));
        if (axis != 0 || chance(0.5)) args.add(arg("options", options("axis", axis)));
        return emit("split", args, Arrays.asList(x), outs, 0, null) != null;
    }

    private boolean tile() {
        Val x = movable("tile", 0, 5);
        if (x == null) return false;
        int[] rep = new int[x.rank()];
        int[] out = new int[x.rank()];
        for (int i = 0; i < rep.length; i++) {
            rep[i] = chance(0.5) ? 1 : between(2, 3);
            out[i] = x.shape[i] * rep[i];
        }
        if (!caps.ok("tile", "output", x.type, out.length)) return false;
        return emit1("tile", Arrays.asList(arg("input", x), arg("repetitions", rep)), Arrays.asList(x), new Out(x.type, out, x.dom, x.err), 0, null);
    }

    private boolean triangular() {
        Val x = movable("triangular", 2, 5);
        if (x == null) return false;
        Boolean upper = chance(0.3) ? null : chance(0.5);
        Integer diag = chance(0.3) ? null : between(-3, 3);
        if (!caps.ok("triangular", "output", x.type, x.rank())) return false;
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x)));
        ObjectNode opts = options("upper", upper, "diagonal", diag);
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1("triangular", args, Arrays.asList(x), new Out(x.type, x.shape, x.dom.withZero(), x.err), 0, null);
    }

    private boolean pad() {
        Val x = movable("pad", 0, 5);
        if (x == null) return false;
        int r = x.rank();
        String mode = oneOf("constant", "constant", "edge", "reflection");
        int[] b = new int[r], e = new int[r], out = new int[r];
        for (int i = 0; i < r; i++) {
            int lim = mode.equals("reflection") ? x.shape[i] - 1 : 3;
            b[i] = chance(0.4) ? 0 : between(0, Math.max(0, Math.min(3, lim)));
            e[i] = chance(0.4) ? 0 : between(0, Math.max(0, Math.min(3, lim)));
            out[i] = x.shape[i] + b[i] + e[i];
        }
        Domain od = x.dom;
        Object value = null;
        if (mode.equals("constant")) {
            if (chance(0.6) && (x.isFloat() || x.dom.maxAbs() <= 1e15)) {
                double v = x.isFloat() ? quarter(x.dom.lo(), x.dom.hi()) : Math.rint(uniform(x.dom.lo(), x.dom.hi()));
                value = x.isFloat() ? (Object) v : (Object) (long) v;
                od = od.union(Domain.interval(v, v, !x.isFloat() || v == Math.rint(v)));
            } else {
                od = od.withZero();
            }
        }
        if (!caps.ok("pad", "output", x.type, r)) return false;
        ObjectNode opts = options("mode", mode.equals("constant") && chance(0.5) ? null : mode, "value", value);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("beginningPadding", b), arg("endingPadding", e)));
        if (!opts.isEmpty()) args.add(arg("options", opts));
        return emit1("pad", args, Arrays.asList(x), new Out(x.type, out, od, x.err), 0, null);
    }

    /** Index values in [-dim, dim) (negative only for signed index types), as a fresh constant or input. */
    private Val indices(String op, int[] shape, int dim, boolean allowNegative) {
        Set<MLOperandDataType> ts = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : INDEX_TYPES) if (caps.io(t) && caps.ok(op, "indices", t, shape.length)) ts.add(t);
        MLOperandDataType t = oneOf(ts);
        if (t == null) return null;
        boolean neg = allowNegative && t != UINT32 && chance(0.3);
        return fresh(t, shape, Domain.ints(neg ? -dim : 0, dim - 1), chance(0.6), false);
    }

    private boolean gather() {
        Val x = movable("gather", 1, 5);
        if (x == null) return false;
        int axis = rnd.nextInt(x.rank());
        int[] is = randomShape(0, 2, 16);
        if (is == null) return false;
        for (int i = 0; i < is.length; i++) is[i] = Math.min(is[i], 4);
        if (x.rank() - 1 + is.length > 5) return false;
        Val idx = indices("gather", is, x.shape[axis], true);
        if (idx == null) return false;
        int[] out = new int[x.rank() - 1 + is.length];
        int k = 0;
        for (int i = 0; i < axis; i++) out[k++] = x.shape[i];
        for (int d : is) out[k++] = d;
        for (int i = axis + 1; i < x.rank(); i++) out[k++] = x.shape[i];
        if (!caps.ok("gather", "output", x.type, out.length)) return refuse(idx);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("indices", idx)));
        if (axis != 0 || chance(0.5)) args.add(arg("options", options("axis", axis)));
        return emit1("gather", args, Arrays.asList(x, idx), new Out(x.type, out, x.dom, x.err), 0, null) || refuse(idx);
    }

    private boolean gatherElements() {
        Val x = movable("gatherElements", 1, 5);
        if (x == null) return false;
        int axis = rnd.nextInt(x.rank());
        int[] is = x.shape.clone();
        is[axis] = between(1, 4);
        Val idx = indices("gatherElements", is, x.shape[axis], true);
        if (idx == null) return false;
        if (!caps.ok("gatherElements", "output", x.type, is.length)) return refuse(idx);
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("indices", idx)));
        if (axis != 0 || chance(0.5)) args.add(arg("options", options("axis", axis)));
        return emit1("gatherElements", args, Arrays.asList(x, idx), new Out(x.type, is, x.dom, x.err), 0, null) || refuse(idx);
    }

    private boolean gatherND() {
        Val x = movable("gatherND", 1, 5);
        if (x == null) return false;
        int k = between(1, x.rank());
        int lead = between(0, 2);
        int[] is = new int[lead + 1];
        for (int i = 0; i < lead; i++) is[i] = between(1, 3);
        is[lead] = k;
        int[] out = new int[lead + x.rank() - k];
        System.arraycopy(is, 0, out, 0, lead);
        System.arraycopy(x.shape, k, out, lead, x.rank() - k);
        if (out.length > 5) return false;
        // one index tuple per row, each coordinate within its dimension
        Set<MLOperandDataType> ts = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : INDEX_TYPES) if (caps.io(t) && caps.ok("gatherND", "indices", t, is.length)) ts.add(t);
        MLOperandDataType t = oneOf(ts);
        if (t == null) return false;
        int rows = (int) size(is) / k;
        double[] v = new double[rows * k];
        boolean neg = t != UINT32 && chance(0.3);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                int d = x.shape[j];
                v[r * k + j] = neg && chance(0.5) ? -between(1, d) : rnd.nextInt(d);
            }
        }
        Val idx = literal(t, is, v, chance(0.6));
        if (idx == null) return false;
        if (!caps.ok("gatherND", "output", x.type, out.length)) return refuse(idx);
        return emit1("gatherND", Arrays.asList(arg("input", x), arg("indices", idx)), Arrays.asList(x, idx), new Out(x.type, out, x.dom, x.err), 0, null)
                || refuse(idx);
    }

    private boolean scatterElements() {
        Val x = movable("scatterElements", 1, 5);
        if (x == null) return false;
        int axis = rnd.nextInt(x.rank());
        int d = x.shape[axis];
        int[] is = x.shape.clone();
        is[axis] = between(1, d);
        Set<MLOperandDataType> ts = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : INDEX_TYPES) if (caps.io(t) && caps.ok("scatterElements", "indices", t, is.length)) ts.add(t);
        MLOperandDataType t = oneOf(ts);
        if (t == null) return false;
        // along the axis, each line gets distinct targets: the result does not depend on the write order
        int n = (int) size(is);
        double[] v = new double[n];
        int inner = 1;
        for (int i = axis + 1; i < is.length; i++) inner *= is[i];
        int outer = n / (is[axis] * inner);
        boolean neg = t != UINT32 && chance(0.3);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                List<Integer> perm = new ArrayList<>();
                for (int i = 0; i < d; i++) perm.add(i);
                java.util.Collections.shuffle(perm, new java.util.Random(rnd.nextLong()));
                for (int a = 0; a < is[axis]; a++) {
                    int target = perm.get(a);
                    v[(o * is[axis] + a) * inner + in] = neg && chance(0.5) ? target - d : target;
                }
            }
        }
        Val idx = literal(t, is, v, chance(0.6));
        if (idx == null) return false;
        Val upd = fresh(x.type, is, x.isFloat() ? defaultDomain(x.type) : x.dom, chance(0.3), false);
        if (upd == null) return refuse(idx);
        if (!caps.ok("scatterElements", "updates", x.type, is.length) || !caps.ok("scatterElements", "output", x.type, x.rank())) {
            return refuse(idx, upd);
        }
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("indices", idx), arg("updates", upd)));
        if (axis != 0 || chance(0.5)) args.add(arg("options", options("axis", axis)));
        return emit1("scatterElements", args, Arrays.asList(x, idx, upd), new Out(x.type, x.shape, x.dom.union(upd.dom), worst(x, upd)), 0, null)
                || refuse(idx, upd);
    }

    private boolean scatterND() {
        Val x = movable("scatterND", 1, 5);
        if (x == null) return false;
        int k = between(1, x.rank());
        long slots = 1;
        for (int i = 0; i < k; i++) slots *= x.shape[i];
        int rows = (int) Math.min(slots, between(1, 4));
        int[] is = {rows, k};
        if (chance(0.3) && rows % 2 == 0) is = new int[] {2, rows / 2, k};
        Set<MLOperandDataType> ts = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : INDEX_TYPES) if (caps.io(t) && caps.ok("scatterND", "indices", t, is.length)) ts.add(t);
        MLOperandDataType t = oneOf(ts);
        if (t == null) return false;
        // distinct index tuples
        List<Long> picks = new ArrayList<>();
        while (picks.size() < rows) {
            long p = (long) Math.floor(rnd.nextDouble() * slots);
            if (!picks.contains(p)) picks.add(p);
        }
        double[] v = new double[rows * k];
        boolean neg = t != UINT32 && chance(0.3);
        for (int r = 0; r < rows; r++) {
            long p = picks.get(r);
            for (int j = k - 1; j >= 0; j--) {
                int d = x.shape[j];
                int c = (int) (p % d);
                p /= d;
                v[r * k + j] = neg && chance(0.5) ? c - d : c;
            }
        }
        Val idx = literal(t, is, v, chance(0.6));
        if (idx == null) return false;
        int lead = is.length - 1;
        int[] us = new int[lead + x.rank() - k];
        System.arraycopy(is, 0, us, 0, lead);
        System.arraycopy(x.shape, k, us, lead, x.rank() - k);
        Val upd = fresh(x.type, us, x.isFloat() ? defaultDomain(x.type) : x.dom, chance(0.3), false);
        if (upd == null) return refuse(idx);
        if (!caps.ok("scatterND", "updates", x.type, us.length) || !caps.ok("scatterND", "output", x.type, x.rank())) {
            return refuse(idx, upd);
        }
        return emit1("scatterND", Arrays.asList(arg("input", x), arg("indices", idx), arg("updates", upd)), Arrays.asList(x, idx, upd),
                new Out(x.type, x.shape, x.dom.union(upd.dom), worst(x, upd)), 0, null) || refuse(idx, upd);
    }

    // =================================================================== recurrent

    /**
     * lstm, lstmCell, gru, gruCell with non-negative inputs, weights, biases and states: the gates'
     * dot products see terms of one sign, and pre-activations stay small (below about 1.5) so that
     * sigmoid gates stay away from 1 and {@code 1 - z} keeps its relative accuracy.
     */
    private boolean recurrent(String op) {
        boolean cell = op.endsWith("Cell");
        boolean lstm = op.startsWith("lstm");
        int gates = lstm ? 4 : 3;
        Predicate<Val> ok = v -> v.dom.sign() > 0 && v.dom.maxAbs() <= 1 && v.shape[v.rank() - 1] <= 6
                && (cell || v.shape[0] <= 4) && (cell ? v.shape[0] <= 4 : v.shape[1] <= 4);
        Set<MLOperandDataType> allowed = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType t : FLOATS) if (caps.io(t) && caps.ok(op, "input", t, cell ? 2 : 3)) allowed.add(t);
        if (allowed.isEmpty()) return false;
        Val x = chance(0.6) ? pick(v -> allowed.contains(v.type) && v.rank() == (cell ? 2 : 3) && ok.test(v)) : null;
        if (x == null) {
            MLOperandDataType t = pickFloat(allowed);
            int[] shape = cell ? new int[] {between(1, 3), between(1, 4)} : new int[] {between(1, 3), between(1, 3), between(1, 4)};
            x = fresh(t, shape, Domain.pos(0, 1), chance(0.15), false);
            if (x == null) return false;
        }
        MLOperandDataType t = x.type;
        int steps = cell ? 1 : x.shape[0];
        int batch = cell ? x.shape[0] : x.shape[1];
        int inputSize = x.shape[x.rank() - 1];
        int hidden = between(1, 4);
        String direction = cell ? null : oneOf("forward", "forward", "backward", "both");
        int dirs = "both".equals(direction) ? 2 : 1;
        // |W x + R h + b| <= inputSize * wMax + hidden * rMax * hMax + 2 * bMax stays about 1.5 at most
        double wMax = 0.6 / inputSize, rMax = 0.4 / hidden, bMax = 0.1;
        Domain wd = Domain.pos(0, wMax), rd = Domain.pos(0, rMax), bd = Domain.pos(0, bMax), hd = Domain.pos(0, 1);
        List<Val> created = new ArrayList<>();
        java.util.function.BiFunction<int[], Domain, Val> weight = (shape, d) -> {
            Val v = fresh(t, shape, d, chance(0.8), false);
            if (v != null) created.add(v);
            return v;
        };
        int[] wShape = cell ? new int[] {gates * hidden, inputSize} : new int[] {dirs, gates * hidden, inputSize};
        int[] rShape = cell ? new int[] {gates * hidden, hidden} : new int[] {dirs, gates * hidden, hidden};
        int[] bShape = cell ? new int[] {gates * hidden} : new int[] {dirs, gates * hidden};
        int[] hShape = cell ? new int[] {batch, hidden} : new int[] {dirs, batch, hidden};
        Val w = weight.apply(wShape, wd), r = weight.apply(rShape, rd);
        if (w == null || r == null) return refuse(created.toArray(new Val[0]));
        Val bias = chance(0.6) ? weight.apply(bShape, bd) : null;
        Val rbias = chance(0.5) ? weight.apply(bShape, bd) : null;
        Val peep = lstm && chance(0.4) ? weight.apply(cell ? new int[] {3 * hidden} : new int[] {dirs, 3 * hidden}, Domain.pos(0, 0.2)) : null;
        Val h0 = cell || chance(0.5) ? weight.apply(hShape, hd) : null;
        Val c0 = lstm && (cell || chance(0.5)) ? weight.apply(hShape, Domain.pos(0, 1)) : null;
        if (created.contains(null)) return refuse(created.toArray(new Val[0]));
        boolean returnSequence = !cell && chance(0.5);
        String layout = lstm ? (chance(0.5) ? null : oneOf("iofg", "ifgo")) : (chance(0.5) ? null : oneOf("zrn", "rzn"));
        Boolean resetAfter = lstm || chance(0.4) ? null : chance(0.5);
        List<String> acts = null;
        if (chance(0.3)) {
            acts = lstm ? new ArrayList<>(Arrays.asList("sigmoid", "tanh", "tanh")) : new ArrayList<>(Arrays.asList("sigmoid", "tanh"));
            if (chance(0.5)) acts.set(1, "relu");
        }
        // output bounds: gates in (0, 1); cell states grow by at most 1 (or the relu pre-activation) per step
        double g = acts != null && acts.contains("relu") ? 1.6 : 1;
        double cBound = 1 + steps * g;
        double hBound = lstm ? (acts != null && acts.get(2).equals("relu") ? cBound : 1) : Math.max(1, g);
        for (String name : List.of("weight", "recurrentWeight")) {
            if (!caps.ok(op, name, t, wShape.length)) return refuse(created.toArray(new Val[0]));
        }
        List<ObjectNode> args = new ArrayList<>(Arrays.asList(arg("input", x), arg("weight", w), arg("recurrentWeight", r)));
        List<Val> uses = new ArrayList<>(Arrays.asList(x, w, r, bias, rbias, peep, h0, c0));
        List<Out> outs = new ArrayList<>();
        Domain hOut = Domain.pos(0, hBound), cOut = Domain.pos(0, cBound);
        if (cell) {
            args.add(arg("hiddenState", h0));
            if (lstm) args.add(arg("cellState", c0));
            args.add(arg("hiddenSize", hidden));
            outs.add(new Out(t, hShape, hOut, Err.ULP));
            if (lstm) outs.add(new Out(t, hShape, cOut, Err.ULP));
        } else {
            args.add(arg("steps", steps));
            args.add(arg("hiddenSize", hidden));
            outs.add(new Out(t, hShape, hOut, Err.ULP));
            if (lstm) outs.add(new Out(t, hShape, cOut, Err.ULP));
            if (returnSequence) outs.add(new Out(t, new int[] {steps, dirs, batch, hidden}, hOut, Err.ULP));
        }
        ObjectNode opts = options("bias", bias, "recurrentBias", rbias, "peepholeWeight", peep,
                "initialHiddenState", cell ? null : h0, "initialCellState", cell ? null : c0,
                "returnSequence", cell ? null : returnSequence || chance(0.3) ? returnSequence : null,
                "direction", direction == null || direction.equals("forward") && chance(0.5) ? null : direction,
                "resetAfter", resetAfter, "layout", layout, "activations", acts);
        if (!opts.isEmpty()) args.add(arg("options", opts));
        double ulp = OpTolerance.ulp(op, t);
        return emit(op, args, uses, outs, ulp, null) != null || refuse(created.toArray(new Val[0]));
    }

    // =================================================================== quantization

    /** A blockwise-broadcastable scale shape for {@code in}: per tensor, per axis or in blocks, same rank. */
    private int[] scaleShape(int[] in) {
        int[] s = new int[in.length];
        Arrays.fill(s, 1);
        if (in.length == 0) return s;
        double u = rnd.nextDouble();
        if (u < 0.35) return s;
        int axis = rnd.nextInt(in.length);
        if (u < 0.75) {
            s[axis] = in[axis];
        } else {
            s[axis] = oneOf(divisors(in[axis]));
        }
        return s;
    }

    private boolean quantizeLinear() {
        Val x = source("quantizeLinear", "input", FLOATS, 0, 5, v -> v.exact() && v.dom.maxAbs() <= 10, t -> Domain.mixed(0, 2));
        if (x == null) return false;
        MLOperandDataType t = x.type;
        Set<MLOperandDataType> zts = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType z : caps.types("quantizeLinear", "zeroPoint")) if (caps.io(z)) zts.add(z);
        MLOperandDataType zt = oneOf(zts);
        if (zt == null) return false;
        int[] ss = scaleShape(x.shape);
        Val scale = freshConst(t, ss, Domain.pos(0.01, 0.1));
        if (scale == null) return false;
        Domain zd = switch (zt) {
            case INT8 -> Domain.ints(-20, 20);
            case UINT8 -> Domain.ints(100, 150);
            case INT32 -> Domain.ints(-100, 100);
            default -> Domain.ints(0, 100);
        };
        Val zp = freshConst(zt, ss, zd);
        if (zp == null) return refuse(scale);
        if (!caps.ok("quantizeLinear", "scale", t, ss.length) || !caps.ok("quantizeLinear", "zeroPoint", zt, ss.length)
                || !caps.ok("quantizeLinear", "output", zt, x.rank())) {
            return refuse(scale, zp);
        }
        double reach = x.dom.maxAbs() / 0.01;
        Domain od = Domain.interval(Math.max(typeMin(zt), zd.lo() - reach), Math.min(typeMax(zt), zd.hi() + reach), true);
        return emit1("quantizeLinear", Arrays.asList(arg("input", x), arg("scale", scale), arg("zeroPoint", zp)), Arrays.asList(x, scale, zp),
                new Out(zt, x.shape, od, t == FLOAT32 ? Err.EXACT : Err.ULP), OpTolerance.ulp("quantizeLinear", zt), null)
                || refuse(scale, zp);
    }

    private boolean dequantizeLinear() {
        Set<MLOperandDataType> its = EnumSet.of(INT8, UINT8, INT32, UINT32);
        Val x = source("dequantizeLinear", "input", its, 0, 5, v -> v.exact() && v.dom.maxAbs() <= 1000, this::defaultDomain);
        if (x == null) return false;
        Set<MLOperandDataType> sts = EnumSet.noneOf(MLOperandDataType.class);
        for (MLOperandDataType s : caps.types("dequantizeLinear", "scale")) if (caps.io(s) && FLOATS.contains(s)) sts.add(s);
        MLOperandDataType st = pickFloat(sts);
        if (st == null) return false;
        int[] ss = scaleShape(x.shape);
        Val scale = freshConst(st, ss, Domain.pos(0.01, 0.5));
        if (scale == null) return false;
        Domain zd = switch (x.type) {
            case UINT8, UINT32 -> Domain.ints(0, (long) Math.min(5, Math.max(0, x.dom.lo())));
            default -> Domain.ints(-5, 5);
        };
        Val zp = freshConst(x.type, ss, zd);
        if (zp == null) return refuse(scale);
        if (!caps.ok("dequantizeLinear", "scale", st, ss.length) || !caps.ok("dequantizeLinear", "zeroPoint", x.type, ss.length)
                || !caps.ok("dequantizeLinear", "output", st, x.rank())) {
            return refuse(scale, zp);
        }
        double m = (x.dom.maxAbs() + 5) * 0.5;
        Domain od = Domain.interval(-m, m, false);
        return emit1("dequantizeLinear", Arrays.asList(arg("input", x), arg("scale", scale), arg("zeroPoint", zp)), Arrays.asList(x, scale, zp),
                new Out(st, x.shape, od, Err.ULP), OpTolerance.ulp("dequantizeLinear", st), null) || refuse(scale, zp);
    }

    /** For reports: the operand table of a graph. */
    Map<String, String> operandSummary() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Val v : vals) m.put(v.name, v.toString());
        return m;
    }

    String atolOperator() { return atolOp; }
}
