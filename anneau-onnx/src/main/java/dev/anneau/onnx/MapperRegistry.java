package dev.anneau.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Operator mappers by domain, operator type and opset range. One family class registers each
 * group of related operators ({@link ElementwiseMappers}, {@link ConvMappers}, ...).
 */
final class MapperRegistry {
    /**
     * Highest default-domain opset the mappers cover. The mappers follow opsets 1 to 21; the
     * operator versions of opsets 22 to 28 that the registered operators gained were checked
     * against ONNX's Changelog: they add data types (bfloat16, float8, 4- and 2-bit) or attributes
     * (QuantizeLinear precision, DequantizeLinear output_dtype, Range stash_type) that the mappers
     * read, or reword the documentation; the semantics are otherwise unchanged.
     */
    static final int MAX_OPSET = 28;

    record Entry(int since, int until, OpMapper mapper) {}

    private final Map<String, List<Entry>> entries = new TreeMap<>();

    private static final class Holder {
        // built on first use, after the static tables above are initialized
        static final MapperRegistry STANDARD = createStandard();
    }

    static MapperRegistry standard() { return Holder.STANDARD; }

    private static MapperRegistry createStandard() {
        MapperRegistry r = new MapperRegistry();
        ElementwiseMappers.register(r);
        ActivationMappers.register(r);
        ShapeMappers.register(r);
        ReductionMappers.register(r);
        NormalizationMappers.register(r);
        ConvMappers.register(r);
        PoolMappers.register(r);
        MatrixMappers.register(r);
        ResizeMappers.register(r);
        QuantizationMappers.register(r);
        RecurrentMappers.register(r);
        ControlFlowMappers.register(r);
        MiscMappers.register(r);
        EinsumMapper.register(r);
        AttentionMapper.register(r);
        return r;
    }

    /** Registers a default-domain mapper for opsets {@code since..until} (inclusive). */
    void register(String opType, int since, int until, OpMapper mapper) {
        register("", opType, since, until, mapper);
    }

    /** The opset that introduced each operator added after opset 1 (as the ONNX operator docs list them). */
    private static final Map<String, Integer> SINCE = Map.ofEntries(
            Map.entry("Gelu", 20), Map.entry("LayerNormalization", 17), Map.entry("GroupNormalization", 18),
            Map.entry("Mish", 18), Map.entry("CastLike", 15), Map.entry("Trilu", 14), Map.entry("HardSwish", 14),
            Map.entry("Einsum", 12), Map.entry("Celu", 12), Map.entry("GreaterOrEqual", 12), Map.entry("LessOrEqual", 12),
            Map.entry("CumSum", 11), Map.entry("Range", 11), Map.entry("Round", 11), Map.entry("ScatterElements", 11),
            Map.entry("ScatterND", 11), Map.entry("GatherElements", 11), Map.entry("GatherND", 11),
            Map.entry("DynamicQuantizeLinear", 11), Map.entry("QuantizeLinear", 10), Map.entry("DequantizeLinear", 10),
            Map.entry("MatMulInteger", 10), Map.entry("ConvInteger", 10), Map.entry("Mod", 10), Map.entry("IsInf", 10),
            Map.entry("ThresholdedRelu", 10), Map.entry("IsNaN", 9), Map.entry("OneHot", 9), Map.entry("EyeLike", 9),
            Map.entry("Erf", 9), Map.entry("Sign", 9), Map.entry("Where", 9), Map.entry("ConstantOfShape", 9),
            Map.entry("Shrink", 9), Map.entry("MeanVarianceNormalization", 9), Map.entry("Expand", 8),
            Map.entry("Tan", 7), Map.entry("Sin", 7), Map.entry("Cos", 7));

    /** Registers a default-domain mapper from the operator's first opset up to {@link #MAX_OPSET}. */
    void register(String opType, OpMapper mapper) { register("", opType, SINCE.getOrDefault(opType, 1), MAX_OPSET, mapper); }

    void register(String domain, String opType, int since, int until, OpMapper mapper) {
        entries.computeIfAbsent(domain + "::" + opType, k -> new ArrayList<>()).add(new Entry(since, until, mapper));
    }

    /** The mapper for an operator at an opset, or null. */
    OpMapper find(String domain, String opType, int opset) {
        List<Entry> l = entries.get(domain + "::" + opType);
        if (l == null) return null;
        for (Entry e : l) if (opset >= e.since && opset <= e.until) return e.mapper;
        return null;
    }

    boolean knows(String domain, String opType) { return entries.containsKey(domain + "::" + opType); }

    /** Every registered {@code domain::op} with its opset ranges, for documentation. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (var e : entries.entrySet()) {
            TreeSet<String> ranges = new TreeSet<>();
            for (Entry x : e.getValue()) ranges.add(x.since + "-" + x.until);
            out.add(e.getKey().replaceFirst("^::", "") + " " + ranges);
        }
        return out;
    }
}
