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

    private static final MapperRegistry STANDARD = createStandard();

    static MapperRegistry standard() { return STANDARD; }

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
        return r;
    }

    /** Registers a default-domain mapper for opsets {@code since..until} (inclusive). */
    void register(String opType, int since, int until, OpMapper mapper) {
        register("", opType, since, until, mapper);
    }

    /** Registers a default-domain mapper for every opset up to {@link #MAX_OPSET}. */
    void register(String opType, OpMapper mapper) { register("", opType, 1, MAX_OPSET, mapper); }

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
