package dev.anneau.cli;

import dev.anneau.models.ModelCatalog;
import dev.anneau.models.ModelFetcher;
import dev.anneau.models.ModelSpec;
import dev.anneau.models.ModelUnavailableException;
import dev.anneau.onnx.ElementType;
import dev.anneau.onnx.ImportOptions;
import dev.anneau.onnx.ImportedGraph;
import dev.anneau.onnx.Npy;
import dev.anneau.onnx.OnnxImportException;
import dev.anneau.onnx.OnnxModel;
import dev.anneau.onnx.OnnxSession;
import dev.anneau.onnx.OnnxTensor;
import dev.anneau.onnx.OnnxUnsupportedException;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.WebNNException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code anneau run}: one ONNX model through the importer on a WebNN backend, NumPy .npy in and out. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = Anneau.Version.class,
        sortOptions = false,
        description = {
            "Runs an ONNX model on a WebNN backend.",
            "",
            "The model is imported as a WebNN graph (every ONNX node becomes",
            "MLGraphBuilder calls), built on the backend and run once. Inputs are NumPy",
            ".npy files (an input of another element type is converted, with a note);",
            "each model output is written to DIR/NAME.npy, where NAME is the output's",
            "name with characters other than letters, digits, '.', '-' and '_'",
            "replaced by '_'.",
            "",
            "MODEL is a .onnx file (external data is read from its folder) or the id of",
            "a catalog model (see 'anneau models list'), fetched and cached first.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  anneau run model.onnx --input x=x.npy --output-dir out",
            "  anneau run blazeface --random-inputs --output-dir /tmp/out --verbose",
            "  anneau run det.onnx --dim batch=1 --dim height=640 --dim width=640 \\",
            "             --random-inputs --seed 7 --backend ort --output-dir out",
            "  anneau run encoder.onnx --input input_ids=ids.npy \\",
            "             --input attention_mask=mask.npy --output-dir out",
            "",
            "In Python: np.save('x.npy', x.astype(np.float32)); np.load('out/y.npy').",
            "",
            "Exit codes: 0 success; 1 the model cannot run on this backend (unsupported",
            "operators, attributes or data types: all are listed) or the backend failed;",
            "2 usage error, unreadable or malformed model, bad .npy, inputs that do not",
            "match the model (name, element type, shape), unknown backend, or a model",
            "that cannot be fetched."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A .onnx file, or a catalog model id (blazeface, ppocr-det, silero-vad, minilm-l6-v2-q).")
    String model;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE.npy", mapFallbackValue = "",
            description = "A model input from a .npy file (repeat per input).")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", required = true,
            description = "Folder for the outputs (created if missing); existing files of the same names are replaced.")
    Path outputDir;

    @Option(names = {"-b", "--backend"}, paramLabel = "NAME",
            description = "Backend to run on (see 'anneau info'). Default: the automatic choice.")
    String backend;

    @Option(names = {"-d", "--dim"}, paramLabel = "NAME=SIZE",
            description = "Size of a symbolic (free) input dimension, as ONNX Runtime's freeDimensionOverrides (repeatable).")
    Map<String, Long> dims = new LinkedHashMap<>();

    @Option(names = {"-s", "--shape"}, paramLabel = "NAME=D1,D2,...",
            description = "The shape of a random input (with --random-inputs), e.g. --shape input=1,512; needed where a dimension has no name.")
    Map<String, String> shapeSpecs = new LinkedHashMap<>();

    /** --shape, parsed. */
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    @Option(names = "--random-inputs",
            description = "Fill every input not given with --input with random values (floats in [0, 1), integers in [0, 10), bools 0/1); free dimensions need --dim.")
    boolean randomInputs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed for --random-inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-v", "--verbose"}, description = "Print the inputs, outputs, the graph's backend report and the time of each phase.")
    boolean verbose;

    /** A usage or input problem: exit 2 with the message. */
    static final class UsageProblem extends Exception {
        private static final long serialVersionUID = 1L;

        UsageProblem(String message) { super(message); }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return execute(out, err);
        } catch (UsageProblem e) {
            err.println("anneau run: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    private int execute(PrintWriter out, PrintWriter err) throws UsageProblem {
        for (var d : dims.entrySet()) {
            if (d.getValue() == null || d.getValue() < 1) throw new UsageProblem("--dim " + d.getKey() + " must be >= 1, got " + d.getValue());
        }
        for (var in : inputs.entrySet()) {
            if (in.getValue() == null || in.getValue().toString().isEmpty()) {
                throw new UsageProblem("--input " + in.getKey() + " needs a file: --input " + in.getKey() + "=FILE.npy");
            }
        }
        for (var e : shapeSpecs.entrySet()) shapes.put(e.getKey(), parseShape(e.getKey(), e.getValue()));
        String chosen = checkBackend();

        // load
        long t0 = System.nanoTime();
        Path file = resolveModel(err);
        OnnxModel m;
        try {
            m = OnnxModel.load(file);
        } catch (OnnxImportException e) {
            throw new UsageProblem("cannot load " + file + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new UsageProblem("cannot load " + file + ": out of memory (" + e.getMessage() + ")");
        }
        long loadNanos = System.nanoTime() - t0;

        // inputs
        Map<String, OnnxTensor> feed = readInputs(m, err);

        if (outputDir != null && Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
            throw new UsageProblem("--output-dir " + outputDir + " exists and is not a folder");
        }

        // context, import, build, run
        long c0 = System.nanoTime();
        MLContext ctx;
        try {
            ctx = ML.createContextNow(new MLContextOptions().withBackend(chosen));
        } catch (WebNNException e) {
            throw new UsageProblem("cannot create a context: " + e.getMessage());
        }
        long contextNanos = System.nanoTime() - c0;
        Map<String, OnnxTensor> results;
        ImportedGraph g;
        long runNanos;
        long graphNanos;
        try (OnnxSession session = new OnnxSession(ctx, m, ImportOptions.defaults().freeDimensionOverrides(dims))) {
            try {
                long i0 = System.nanoTime();
                g = session.graphFor(feed);
                graphNanos = System.nanoTime() - i0;
                long r0 = System.nanoTime();
                results = session.run(feed);
                runNanos = System.nanoTime() - r0;
            } catch (OnnxUnsupportedException e) {
                err.println("anneau run: " + file.getFileName() + " cannot run on the " + ctx.backendName() + " backend: " + e.getMessage());
                err.flush();
                return 1;
            } catch (OnnxImportException e) {
                // malformed graph or inputs that do not fit the model (shape, type)
                throw new UsageProblem(e.getMessage());
            } catch (WebNNException e) {
                err.println("anneau run: the " + ctx.backendName() + " backend failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                err.flush();
                return 1;
            } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                err.println("anneau run: running " + file.getFileName() + " failed: " + e);
                err.flush();
                return 1;
            }
            if (verbose) {
                out.println("model: " + file + " (" + describeModel(m) + ")");
                out.println("backend: " + ctx.backendName() + (ctx.accelerated() ? " (accelerated)" : ""));
                if (g.graph() != null) out.println("graph: " + g.graph().describe());
                for (ImportedGraph.Input in : g.inputs()) out.println("input  " + in);
                if (!g.foldedInputs().isEmpty()) out.println("inputs folded as constants (their values fix shapes or branches): " + g.foldedInputs());
            }
        } finally {
            ctx.destroy();
        }

        // write
        long w0 = System.nanoTime();
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new UsageProblem("cannot create --output-dir " + outputDir + ": " + e.getMessage());
        }
        Map<String, String> fileNames = fileNames(results.keySet());
        for (var e : results.entrySet()) {
            Path target = outputDir.resolve(fileNames.get(e.getKey()) + ".npy");
            try {
                Npy.write(target, e.getValue());
            } catch (RuntimeException ex) {
                throw new UsageProblem("cannot write " + target + ": " + ex.getMessage());
            }
            OnnxTensor t = e.getValue();
            out.println(e.getKey() + ": " + t.type() + " " + Arrays.toString(t.shape()) + " -> " + target);
        }
        long writeNanos = System.nanoTime() - w0;
        if (verbose) {
            // import: mapping to builder calls, including a first try that finds inputs whose values must be folded
            out.printf(Locale.ROOT, "time: load %s, context %s, import %s, build %s, dispatch+read %s, write %s%n",
                    ms(loadNanos), ms(contextNanos), ms(Math.max(g.importNanos(), graphNanos - g.buildNanos())), ms(g.buildNanos()),
                    ms(runNanos), ms(writeNanos));
        }
        out.flush();
        return 0;
    }

    /** "1,512", "1x512" or "[1, 512]"; "" or "[]" is a scalar. */
    static long[] parseShape(String name, String spec) throws UsageProblem {
        String t = spec == null ? "" : spec.trim();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1).trim();
        if (t.isEmpty()) return new long[0];
        String[] parts = t.split("\\s*[,xX]\\s*");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageProblem("--shape " + name + "=" + spec + ": '" + parts[i] + "' is not a size; write e.g. --shape " + name + "=1,3,224,224");
            }
            if (out[i] < 0) throw new UsageProblem("--shape " + name + "=" + spec + ": sizes must be >= 0");
        }
        return out;
    }

    private static String ms(long nanos) { return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6); }

    private String checkBackend() throws UsageProblem {
        if (backend == null) return null;
        String want = backend.trim().toLowerCase(Locale.ROOT);
        ML.BackendInfo found = ML.backends().stream().filter(b -> b.name().equals(want)).findFirst().orElse(null);
        if (found == null) {
            throw new UsageProblem("unknown backend '" + backend + "'; known: " + ML.backends().stream().map(ML.BackendInfo::name).toList()
                    + " (see 'anneau info')");
        }
        if (!found.availability().available()) {
            throw new UsageProblem("backend '" + want + "' is not available here: " + found.availability().detail());
        }
        return want;
    }

    /** A file path as given, else a catalog id (fetched), else a usage problem saying both. */
    private Path resolveModel(PrintWriter err) throws UsageProblem {
        Path p = Path.of(model);
        if (Files.isRegularFile(p)) return p;
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve("model.onnx"))) return p.resolve("model.onnx");
            throw new UsageProblem(model + " is a folder; name the .onnx file");
        }
        ModelSpec spec;
        try {
            spec = ModelCatalog.byId(model);
        } catch (IllegalArgumentException e) {
            throw new UsageProblem("no such file: " + model + " (nor a catalog model id; known ids: "
                    + ModelCatalog.all().stream().map(ModelSpec::id).toList() + ")");
        }
        try {
            return ModelsCommand.fetch(new ModelFetcher(), spec, err);
        } catch (ModelUnavailableException e) {
            throw new UsageProblem("cannot fetch model '" + spec.id() + "': " + e.getMessage());
        }
    }

    private Map<String, OnnxTensor> readInputs(OnnxModel m, PrintWriter err) throws UsageProblem {
        Map<String, OnnxModel.ValueInfo> declared = new LinkedHashMap<>();
        for (OnnxModel.ValueInfo v : m.inputs()) declared.put(v.name(), v);
        for (String name : inputs.keySet()) {
            if (!declared.containsKey(name)) {
                throw new UsageProblem("--input " + name + ": the model has no input '" + name + "'; its inputs: " + describeInputs(m));
            }
        }
        Set<String> usedDims = new HashSet<>();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        Random random = new Random(seed);
        List<String> missing = new ArrayList<>();
        for (OnnxModel.ValueInfo in : m.inputs()) {
            if (!"tensor".equals(in.kind())) {
                throw new UsageProblem("input '" + in.name() + "' is a " + in.kind() + "; only tensor inputs are supported");
            }
            ElementType type = in.type();
            if (type == null) {
                throw new UsageProblem("input '" + in.name() + "' has element type " + ElementType.describe(in.elemTypeCode())
                        + ", which has no WebNN equivalent");
            }
            if (in.dims() != null) {
                for (OnnxModel.Dim d : in.dims()) if (d.param() != null) usedDims.add(d.param());
            }
            Path f = inputs.get(in.name());
            if (f != null) {
                OnnxTensor t;
                try {
                    t = Npy.read(f);
                } catch (Npy.NpyException e) {
                    throw new UsageProblem("--input " + in.name() + ": " + e.getMessage());
                } catch (OnnxImportException e) {
                    throw new UsageProblem("--input " + in.name() + ": " + f + ": " + e.getMessage());
                }
                checkShape(in, t.shape(), f.toString());
                if (t.type() != type && !(type == ElementType.BOOL && t.type() == ElementType.UINT8)) {
                    err.println("note: input '" + in.name() + "': " + f + " holds " + t.type() + ", converted to the model's " + type);
                    err.flush();
                    t = t.convertTo(type);
                }
                feed.put(in.name(), t);
            } else if (randomInputs) {
                long[] shape = shapes.get(in.name());
                if (shape != null) {
                    checkShape(in, shape, "--shape");
                } else {
                    if (in.dims() == null) {
                        throw new UsageProblem("--random-inputs: input '" + in.name() + "' declares no shape; give it with --shape "
                                + in.name() + "=D1,D2,... or give the input with --input " + in.name() + "=FILE.npy");
                    }
                    String free = freeDims(in);
                    if (!free.isEmpty()) {
                        throw new UsageProblem("--random-inputs: input '" + in.name() + "' " + in.dims() + " has free dimensions: " + free
                                + "; or give its shape with --shape " + in.name() + "=D1,D2,..., or the input with --input "
                                + in.name() + "=FILE.npy");
                    }
                    shape = in.resolveShape(dims);
                }
                try {
                    feed.put(in.name(), OnnxTensor.random(type, shape, random));
                } catch (OnnxImportException e) {
                    throw new UsageProblem("--random-inputs: input '" + in.name() + "': " + e.getMessage());
                } catch (OutOfMemoryError e) {
                    throw new UsageProblem("--random-inputs: input '" + in.name() + "' of shape " + Arrays.toString(shape)
                            + " does not fit in memory (raise -Xmx through ANNEAU_JAVA_OPTS, or bind smaller free dimensions)");
                }
            } else {
                missing.add(in.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new UsageProblem("missing " + (missing.size() == 1 ? "input " : "inputs ") + missing + "; give each with --input NAME=FILE.npy"
                    + " (or use --random-inputs); the model's inputs: " + describeInputs(m));
        }
        for (String name : shapes.keySet()) {
            if (!declared.containsKey(name)) {
                throw new UsageProblem("--shape " + name + ": the model has no input '" + name + "'; its inputs: " + describeInputs(m));
            }
            if (inputs.containsKey(name)) throw new UsageProblem("--shape " + name + ": the input comes from a file (--input); give one or the other");
            if (!randomInputs) throw new UsageProblem("--shape is for --random-inputs (an input read with --input has the file's shape)");
        }
        for (String d : dims.keySet()) {
            if (!usedDims.contains(d)) {
                throw new UsageProblem("--dim " + d + ": no input has a dimension named '" + d + "'; the model's inputs: " + describeInputs(m));
            }
        }
        return feed;
    }

    /** The free dimensions of an input that no --dim binds, with how to bind each ("" when none). */
    private String freeDims(OnnxModel.ValueInfo in) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < in.dims().size(); i++) {
            OnnxModel.Dim d = in.dims().get(i);
            if (d.value() >= 0) continue;
            if (d.param() == null) out.add("dimension " + i + " (unnamed: use --shape)");
            else if (!dims.containsKey(d.param())) out.add("dimension " + i + " '" + d.param() + "' (give --dim " + d.param() + "=SIZE)");
        }
        return String.join(", ", out);
    }

    /** The data's shape against the model's declared dims (fixed sizes, and the --dim bindings of named ones). */
    private void checkShape(OnnxModel.ValueInfo in, long[] shape, String file) throws UsageProblem {
        if (in.dims() == null) return;
        String declared = in.dims().toString();
        if (in.dims().size() != shape.length) {
            throw new UsageProblem("input '" + in.name() + "': " + file + " has shape " + Arrays.toString(shape) + " (rank " + shape.length
                    + "), the model wants rank " + in.dims().size() + " " + declared);
        }
        for (int i = 0; i < shape.length; i++) {
            OnnxModel.Dim d = in.dims().get(i);
            long want = d.value() >= 0 ? d.value() : d.param() != null && dims.containsKey(d.param()) ? dims.get(d.param()) : -1;
            if (want >= 0 && want != shape[i]) {
                throw new UsageProblem("input '" + in.name() + "': " + file + " has shape " + Arrays.toString(shape) + ", the model wants "
                        + declared + (d.value() < 0 ? " with " + d.param() + "=" + want + " (--dim)" : "") + ": dimension " + i
                        + " must be " + want);
            }
        }
    }

    static String describeInputs(OnnxModel m) {
        List<String> s = new ArrayList<>();
        for (OnnxModel.ValueInfo v : m.inputs()) s.add(v.toString());
        return String.join(", ", s);
    }

    private static String describeModel(OnnxModel m) {
        return "inputs " + describeInputs(m) + "; outputs " + String.join(", ", m.outputs().stream().map(OnnxModel.ValueInfo::toString).toList());
    }

    /**
     * File names for the outputs: characters outside {@code [A-Za-z0-9._-]} become '_', a name that
     * is empty or only dots becomes "output", and a name taken twice (case-insensitively, for
     * case-insensitive file systems) gets "_2", "_3", ...
     */
    static Map<String, String> fileNames(Iterable<String> outputNames) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (String name : outputNames) {
            String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
            if (s.isEmpty() || s.chars().allMatch(c -> c == '.')) s = "output";
            String candidate = s;
            for (int k = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); k++) candidate = s + "_" + k;
            out.put(name, candidate);
        }
        return out;
    }
}
