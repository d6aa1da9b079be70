package dev.anneau.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLOpSupportLimits;
import dev.anneau.webnn.MLOperandDataType;
import dev.anneau.webnn.MLTensorLimits;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code anneau info}: the backends on the class path, which one is the default, and what each supports. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = Anneau.Version.class,
        description = {
            "Lists the WebNN backends and what each supports.",
            "",
            "Shows the backends found on the class path (highest priority first) with",
            "their availability (and why one is unavailable or not the default), the",
            "backend a context gets by default, and for each available backend a",
            "summary of MLContext.opSupportLimits(): operators supported, data types,",
            "ranks; for ONNX Runtime the execution providers and EP devices the loaded",
            "native library offers and which ones a default context uses. Then the",
            "ONNX operators the importer maps (anneau run, ONNX conformance).",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  anneau info",
            "  anneau info --operators          also list the supported operator names",
            "                                   (WebNN per backend, and ONNX)",
            "  anneau info --json | jq '.backends[].limits.operatorCount'",
            "  ANNEAU_BACKEND=cpu anneau info   the default follows ANNEAU_BACKEND and",
            "                                   -Danneau.backend"
        })
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Option(names = "--operators", description = "List the names of the supported operators.")
    boolean operators;

    /** What one backend reports: its limits, whether a default context is accelerated, or why no context could be made. */
    record Summary(ML.BackendInfo info, MLOpSupportLimits limits, Boolean accelerated, String error) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<ML.BackendInfo> backends = ML.backends();
        List<Summary> summaries = backends.stream().map(InfoCommand::summarize).toList();
        String defaultName;
        String defaultError = null;
        try {
            MLContext ctx = ML.createContextNow(MLContextOptions.defaults());
            defaultName = ctx.backendName();
            ctx.destroy();
        } catch (RuntimeException e) {
            defaultName = null;
            defaultError = e.getMessage();
        }
        if (json) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("version", Anneau.Version.version());
            root.put("java", Runtime.version().toString());
            if (defaultName != null) root.put("default", defaultName);
            else root.put("defaultError", defaultError);
            ArrayNode arr = root.putArray("backends");
            for (Summary s : summaries) {
                ObjectNode b = arr.addObject();
                b.put("name", s.info().name());
                b.put("priority", s.info().priority());
                b.put("available", s.info().availability().available());
                b.put("detail", s.info().availability().detail());
                String why = whyNotDefault(s.info(), defaultName);
                if (why != null) b.put("notDefaultBecause", why);
                List<String> eps = listIn(s.info().availability().detail(), "providers");
                if (eps != null) b.set("executionProviders", m.valueToTree(eps));
                List<String> devices = listIn(s.info().availability().detail(), "EP devices");
                if (devices != null) b.set("epDevices", m.valueToTree(devices));
                if (s.accelerated() != null) b.put("accelerated", s.accelerated());
                if (s.error() != null) b.put("error", s.error());
                if (s.limits() != null) {
                    MLOpSupportLimits l = s.limits();
                    ObjectNode lj = b.putObject("limits");
                    lj.put("operatorCount", l.supportedOperators().size());
                    lj.set("operators", m.valueToTree(new TreeSet<>(l.supportedOperators())));
                    lj.set("dataTypes", m.valueToTree(names(allTypes(l))));
                    lj.set("input", limitsJson(m, l.input()));
                    lj.set("constant", limitsJson(m, l.constant()));
                    lj.set("output", limitsJson(m, l.output()));
                    lj.put("preferredInputLayout", l.preferredInputLayout());
                    lj.put("maxTensorByteLength", l.maxTensorByteLength());
                }
            }
            ObjectNode onnx = root.putObject("onnxImporter");
            List<String> onnxOps = onnxOperators();
            onnx.put("operatorCount", onnxOps.size());
            onnx.set("operators", m.valueToTree(onnxOps));
            out.println(m.writeValueAsString(root));
            out.flush();
            return 0;
        }
        out.println("anneau " + Anneau.Version.version() + " on Java " + Runtime.version());
        if (backends.isEmpty()) {
            out.println("no backend on the class path (add anneau-backend-cpu)");
        } else {
            out.println("backends (highest priority first):");
            int w = backends.stream().mapToInt(b -> b.name().length()).max().orElse(4);
            for (ML.BackendInfo b : backends) {
                out.printf("  %-" + w + "s  priority %3d  %-11s  %s%n", b.name(), b.priority(),
                        b.availability().available() ? "available" : "unavailable", b.availability().detail());
            }
        }
        out.println("default backend: " + (defaultName != null ? defaultName : "none (" + defaultError + ")"));
        for (ML.BackendInfo b : backends) {
            String why = whyNotDefault(b, defaultName);
            if (why != null) out.println("  " + b.name() + " skipped: " + why);
        }
        for (Summary s : summaries) {
            if (s.limits() == null) {
                if (s.error() != null) out.println(s.info().name() + ": cannot create a context: " + s.error());
                continue;
            }
            MLOpSupportLimits l = s.limits();
            out.println();
            out.println(s.info().name() + ":");
            List<String> eps = listIn(s.info().availability().detail(), "providers");
            if (eps != null) out.println("  providers:        " + String.join(", ", eps));
            List<String> devices = listIn(s.info().availability().detail(), "EP devices");
            if (devices != null) out.println("  EP devices:       " + (devices.isEmpty() ? "none reported" : String.join("; ", devices)));
            if (s.accelerated() != null) out.println("  accelerated:      " + (s.accelerated() ? "yes" : "no (CPU only)"));
            out.println("  operators:        " + l.supportedOperators().size());
            out.println("  data types:       " + String.join(", ", names(allTypes(l))));
            out.println("  graph inputs:     " + describe(l.input()));
            out.println("  constants:        " + describe(l.constant()));
            out.println("  graph outputs:    " + describe(l.output()));
            out.println("  preferred layout: " + l.preferredInputLayout());
            out.println("  max tensor bytes: " + l.maxTensorByteLength());
            if (operators) {
                out.println("  operator names:   " + String.join(", ", new TreeSet<>(l.supportedOperators())));
            }
        }
        List<String> onnxOps = onnxOperators();
        out.println();
        out.println("ONNX importer (anneau run, ONNX conformance tests):");
        out.println("  operators:        " + onnxOps.size() + " ("
                + (onnxOps.stream().anyMatch(o -> o.contains("::")) ? "" : "default domain, ") + "opsets 1-" + maxOpset(onnxOps) + ")");
        if (operators) out.println("  operator names:   " + String.join(", ", onnxOps.stream().map(o -> o.replaceFirst(" \\[.*", "")).toList()));
        out.flush();
        return 0;
    }

    private static Summary summarize(ML.BackendInfo b) {
        if (!b.availability().available()) return new Summary(b, null, null, null);
        try {
            MLContext ctx = ML.createContextNow(new MLContextOptions().withBackend(b.name()));
            try {
                return new Summary(b, ctx.opSupportLimits(), ctx.accelerated(), null);
            } finally {
                ctx.destroy();
            }
        } catch (RuntimeException e) {
            return new Summary(b, null, null, e.getMessage());
        }
    }

    /** Why a backend is not the one a default context gets (null for the default itself). */
    static String whyNotDefault(ML.BackendInfo b, String defaultName) {
        if (b.name().equals(defaultName)) return null;
        if (!b.availability().available()) return "unavailable: " + b.availability().detail();
        if (defaultName == null) return "no default context could be created";
        ML.BackendInfo d = ML.backends().stream().filter(x -> x.name().equals(defaultName)).findFirst().orElse(null);
        String forced = System.getProperty(ML.BACKEND_PROPERTY);
        if (forced == null || forced.isBlank()) forced = System.getenv(ML.BACKEND_ENV);
        if (forced != null && !forced.isBlank()) return "the default is chosen by -D" + ML.BACKEND_PROPERTY + " / " + ML.BACKEND_ENV + " = " + forced;
        if (d != null && d.priority() >= b.priority()) {
            return "priority " + b.priority() + " is below " + defaultName + "'s " + d.priority()
                    + (b.name().equals("ort") ? " (ort ranks first only when an accelerator execution provider is present)" : "")
                    + "; use --backend " + b.name() + " or -D" + ML.BACKEND_PROPERTY + "=" + b.name();
        }
        return "not chosen";
    }

    /** A bracketed list "LABEL [a, b]" in a probe detail (the ort backend reports "providers [CPU], EP devices [...]"), or null. */
    static List<String> listIn(String detail, String label) {
        if (detail == null) return null;
        int i = detail.indexOf(label + " [");
        if (i < 0) return null;
        int start = i + label.length() + 2;
        int depth = 1;
        int j = start;
        for (; j < detail.length() && depth > 0; j++) {
            char c = detail.charAt(j);
            if (c == '[') depth++;
            else if (c == ']') depth--;
        }
        if (depth != 0) return null;
        String inner = detail.substring(start, j - 1).trim();
        if (inner.isEmpty()) return List.of();
        List<String> out = new java.util.ArrayList<>();
        int level = 0;
        int from = 0;
        for (int k = 0; k < inner.length(); k++) {
            char c = inner.charAt(k);
            if (c == '(' || c == '[') level++;
            else if (c == ')' || c == ']') level--;
            else if (c == ',' && level == 0) {
                out.add(inner.substring(from, k).trim());
                from = k + 1;
            }
        }
        out.add(inner.substring(from).trim());
        return out;
    }

    /** The importer's operators, sorted ("Conv [1-28]"). */
    static List<String> onnxOperators() {
        return dev.anneau.onnx.OnnxImporter.supportedOperators().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }

    private static int maxOpset(List<String> ops) {
        int max = 0;
        for (String o : ops) {
            java.util.regex.Matcher mm = java.util.regex.Pattern.compile("-(\\d+)\\]").matcher(o);
            while (mm.find()) max = Math.max(max, Integer.parseInt(mm.group(1)));
        }
        return max;
    }

    /** Every data type some operand of some operator accepts. */
    static Set<MLOperandDataType> allTypes(MLOpSupportLimits l) {
        Set<MLOperandDataType> all = EnumSet.noneOf(MLOperandDataType.class);
        for (Map<String, MLTensorLimits> op : l.operators().values()) {
            for (MLTensorLimits t : op.values()) all.addAll(t.dataType());
        }
        return all;
    }

    static List<String> names(Set<MLOperandDataType> types) {
        return EnumSet.copyOf(types.isEmpty() ? EnumSet.noneOf(MLOperandDataType.class) : types).stream()
                .map(MLOperandDataType::specName).toList();
    }

    private static String describe(MLTensorLimits t) {
        if (t == null) return "-";
        return t.dataType().stream().sorted().map(MLOperandDataType::specName).collect(Collectors.joining(", "))
                + "; rank " + t.rankRange().min() + ".." + t.rankRange().max();
    }

    private static ObjectNode limitsJson(ObjectMapper m, MLTensorLimits t) {
        ObjectNode n = m.createObjectNode();
        if (t == null) return n;
        n.set("dataTypes", m.valueToTree(t.dataType().stream().sorted().map(MLOperandDataType::specName).toList()));
        n.put("minRank", t.rankRange().min());
        n.put("maxRank", t.rankRange().max());
        return n;
    }
}
