package dev.anneau.webnn.ops;

import dev.anneau.webnn.MLOperandDataType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The spec's per-operator tensor limits (allowed and required data types and ranks per operand),
 * read once from {@code op-constraints.tsv}. Validation and {@code opSupportLimits()} both read
 * this table, so an error message and the limits a backend reports cannot disagree.
 */
public final class OperatorLimits {

    /** Upper bound on rank that "N" stands for; the CPU backend supports it in full. */
    public static final int MAX_RANK = 8;

    /** One operand's rule. {@code sameTypeAs}/{@code sameRankAs} name another operand, or are null. */
    public record Rule(String operator, String operand,
                       Set<MLOperandDataType> allowedTypes, String sameTypeAs,
                       int minRank, int maxRank, String sameRankAs,
                       Set<MLOperandDataType> requiredTypes, int requiredMinRank, int requiredMaxRank) {
        public boolean isOutput() { return operand.startsWith("output"); }
    }

    private static final OperatorLimits SPEC = load();

    private final Map<String, Map<String, Rule>> rules;

    private OperatorLimits(Map<String, Map<String, Rule>> rules) { this.rules = rules; }

    /** The table of the spec. */
    public static OperatorLimits spec() { return SPEC; }

    /** The operators of the spec, in table order (95 of them). */
    public Set<String> operators() { return Collections.unmodifiableSet(rules.keySet()); }

    /** The operand rules of one operator (inputs first, then outputs), or an empty map. */
    public Map<String, Rule> rules(String operator) {
        return Collections.unmodifiableMap(rules.getOrDefault(operator, Map.of()));
    }

    public Rule rule(String operator, String operand) {
        Map<String, Rule> r = rules.get(operator);
        return r == null ? null : r.get(operand);
    }

    private static OperatorLimits load() {
        Map<String, Map<String, Rule>> all = new LinkedHashMap<>();
        try (InputStream in = OperatorLimits.class.getResourceAsStream("op-constraints.tsv")) {
            if (in == null) throw new IllegalStateException("op-constraints.tsv missing from the anneau-core jar");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t");
                String op = f[0];
                String operand = normalizeOperand(f[1]);
                TypeSpec allowed = parseTypes(f[2]);
                RankSpec ranks = parseRanks(f[3]);
                TypeSpec required = parseTypes(f[4]);
                RankSpec requiredRanks = parseRanks(f[5]);
                Rule rule = new Rule(op, operand, allowed.types, allowed.sameAs, ranks.min, ranks.max, ranks.sameAs,
                        required.types == null ? EnumSet.noneOf(MLOperandDataType.class) : required.types,
                        requiredRanks.min, requiredRanks.max);
                all.computeIfAbsent(op, k -> new LinkedHashMap<>()).put(operand, rule);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OperatorLimits(all);
    }

    private static String normalizeOperand(String raw) {
        if (raw.startsWith("inputs's")) return "inputs";
        int space = raw.indexOf(' ');
        return space < 0 ? raw : raw.substring(0, space);
    }

    private record TypeSpec(Set<MLOperandDataType> types, String sameAs) {}

    private record RankSpec(int min, int max, String sameAs) {}

    private static TypeSpec parseTypes(String s) {
        s = s.trim();
        if (s.startsWith("same as ")) return new TypeSpec(null, normalizeOperand(s.substring(8)));
        if (s.equals("any")) {
            // "any" in the spec means the eight MLOperandDataType values; int4/uint4 are an extension
            EnumSet<MLOperandDataType> all = EnumSet.allOf(MLOperandDataType.class);
            all.remove(MLOperandDataType.INT4);
            all.remove(MLOperandDataType.UINT4);
            return new TypeSpec(all, null);
        }
        EnumSet<MLOperandDataType> set = EnumSet.noneOf(MLOperandDataType.class);
        for (String t : s.split(",")) set.add(MLOperandDataType.fromSpecName(t.trim()));
        return new TypeSpec(set, null);
    }

    private static RankSpec parseRanks(String s) {
        s = s.trim();
        if (s.startsWith("same as ")) return new RankSpec(-1, -1, normalizeOperand(s.substring(8)));
        if (s.equals("N")) return new RankSpec(0, MAX_RANK, null);
        int to = s.indexOf(" to ");
        if (to >= 0) {
            int lo = Integer.parseInt(s.substring(0, to).trim());
            String hi = s.substring(to + 4).trim();
            return new RankSpec(lo, hi.equals("N") ? MAX_RANK : Integer.parseInt(hi), null);
        }
        int r = Integer.parseInt(s);
        return new RankSpec(r, r, null);
    }

    /** Operand names with a rule, inputs only. */
    public List<String> inputOperands(String operator) {
        List<String> names = new ArrayList<>();
        for (Rule r : rules(operator).values()) if (!r.isOutput()) names.add(r.operand());
        return names;
    }
}
