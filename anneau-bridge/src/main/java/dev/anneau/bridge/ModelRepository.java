package dev.anneau.bridge;

import dev.anneau.onnx.ElementType;
import dev.anneau.onnx.ImportOptions;
import dev.anneau.onnx.OnnxImportException;
import dev.anneau.onnx.OnnxModel;
import dev.anneau.onnx.OnnxSession;
import dev.anneau.onnx.OnnxTensor;
import dev.anneau.onnx.OnnxUnsupportedException;
import dev.anneau.webnn.ML;
import dev.anneau.webnn.MLContext;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.WebNNException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The ONNX models the inference endpoint serves ({@code anneau serve --model NAME=FILE.onnx}): each runs
 * through an {@link OnnxSession} on its own {@link MLContext} (the backend the context options pick).
 * Requests to one model run one at a time; a run that passes the deadline gets an error and the model's
 * context is replaced (the stuck one is destroyed), so later requests are not held up by it.
 */
public final class ModelRepository implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.anneau.bridge");
    /** Model names: they appear in URLs, so a safe alphabet. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** The only version of each model. */
    public static final String VERSION = "1";
    /** Distinct input shapes kept built per model (each holds the model's weights on the backend). */
    static final int CACHED_GRAPHS = 4;

    private final Map<String, Model> models = new LinkedHashMap<>();
    private volatile boolean closed;

    /** A served tensor's metadata: ONNX name, element type, shape with -1 for free dimensions (null: unknown rank). */
    public record TensorInfo(String name, ElementType type, long[] shape) {}

    /** Loads {@code file} and serves it as {@code name} on a context made with {@code options}. */
    public Model register(String name, Path file, MLContextOptions options) {
        checkName(name);
        return register(name, OnnxModel.load(file), options);
    }

    /**
     * Serves {@code model} as {@code name}. Models whose input shapes are all fixed are imported now, so that
     * an operator the backend lacks is reported at start-up rather than on the first request.
     */
    public synchronized Model register(String name, OnnxModel model, MLContextOptions options) {
        checkName(name);
        if (closed) throw new IllegalStateException("the repository is closed");
        if (models.containsKey(name)) throw new IllegalArgumentException("a model named '" + name + "' is already registered");
        Model m = new Model(name, model, options == null ? MLContextOptions.defaults() : options);
        m.warmUp();
        models.put(name, m);
        return m;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model names use letters, digits, '_', '.' and '-' (at most 128, starting with a letter or digit): '"
                    + Requests.clip(String.valueOf(name)) + "'");
        }
    }

    public synchronized Model get(String name) { return models.get(name); }

    public synchronized Collection<Model> all() { return List.copyOf(models.values()); }

    /** True while open (every registered model is loaded at registration). */
    public boolean ready() { return !closed; }

    /** Marks the repository as going away (readiness false), then frees every model's context. */
    @Override
    public void close() {
        closed = true;
        List<Model> all;
        synchronized (this) {
            all = List.copyOf(models.values());
        }
        for (Model m : all) m.close();
    }

    /** One served model. */
    public static final class Model {
        private final String name;
        private final OnnxModel model;
        private final MLContextOptions options;
        private final List<TensorInfo> inputs, outputs;
        private final ReentrantLock lock = new ReentrantLock(true);
        private Instance instance; // guarded by lock
        private volatile boolean closed;
        private volatile String backend = "";

        /** A context and the session on it. */
        private record Instance(MLContext context, OnnxSession session) {
            /**
             * Destroys the context first (never blocks: a run waiting on it fails at once), then closes the session
             * on a thread of its own, as a run that is still unwinding holds the session.
             */
            void destroy() {
                context.destroy();
                Thread.ofVirtual().name("anneau-model-close").start(() -> {
                    try {
                        session.close();
                    } catch (RuntimeException ignored) {
                        // the context is gone already; nothing else to free
                    }
                });
            }
        }

        private Model(String name, OnnxModel model, MLContextOptions options) {
            this.name = name;
            this.model = model;
            this.options = options;
            this.inputs = infos(model.inputs(), "input");
            this.outputs = infos(model.outputs(), "output");
        }

        private List<TensorInfo> infos(List<OnnxModel.ValueInfo> values, String kind) {
            List<TensorInfo> out = new ArrayList<>();
            for (OnnxModel.ValueInfo v : values) {
                ElementType t = v.type();
                if (t == null || OipCodec.datatype(t) == null || t.webnn() == null) {
                    throw new OnnxImportException("model '" + name + "': " + kind + " '" + v.name() + "' has type "
                            + (t == null ? ("tensor".equals(v.kind()) ? ElementType.describe(v.elemTypeCode()) : v.kind()) : t)
                            + ", which WebNN graphs or the inference endpoint cannot carry");
                }
                long[] shape = null;
                if (v.dims() != null) {
                    shape = new long[v.dims().size()];
                    for (int i = 0; i < shape.length; i++) shape[i] = v.dims().get(i).value() >= 0 ? v.dims().get(i).value() : -1;
                }
                out.add(new TensorInfo(v.name(), t, shape));
            }
            return List.copyOf(out);
        }

        public String name() { return name; }

        public String version() { return VERSION; }

        public List<TensorInfo> inputs() { return inputs; }

        public List<TensorInfo> outputs() { return outputs; }

        /** The backend of the model's context (known once it was created). */
        public String backend() { return backend; }

        public boolean ready() { return !closed; }

        /** Creates the context; imports the graph now when every input shape is fixed. */
        private void warmUp() {
            lock.lock();
            try {
                Instance in = instance();
                boolean fixed = inputs.stream().allMatch(i -> i.shape() != null && Arrays.stream(i.shape()).allMatch(d -> d > 0));
                if (!fixed) return;
                Map<String, OnnxTensor> zeros = new LinkedHashMap<>();
                for (TensorInfo i : inputs) zeros.put(i.name(), OnnxTensor.zeros(i.type(), i.shape()));
                try {
                    in.session().graphFor(zeros);
                } catch (OnnxUnsupportedException e) {
                    if (!e.inputsNeedingValues().isEmpty()) return; // value-driven inputs: imported per request
                    throw e;
                }
            } catch (RuntimeException e) {
                dropInstance();
                throw e;
            } finally {
                lock.unlock();
            }
        }

        private Instance instance() {
            if (instance == null) {
                MLContext ctx = ML.createContextNow(options);
                backend = ctx.backendName();
                instance = new Instance(ctx, new OnnxSession(ctx, model, ImportOptions.defaults(), CACHED_GRAPHS));
            }
            return instance;
        }

        private void dropInstance() {
            if (instance != null) {
                instance.destroy();
                instance = null;
            }
        }

        /**
         * Checks the inputs against the model (names, types, ranks, fixed dimensions), runs it, and returns
         * every output by name. Waits for the model at most {@code deadline}; the run itself gets
         * {@code deadline} too, after which the model's context is replaced.
         */
        public Map<String, OnnxTensor> infer(Map<String, OnnxTensor> given, Duration deadline) throws InferenceError {
            check(given);
            boolean locked;
            try {
                locked = lock.tryLock(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InferenceError(503, "interrupted while waiting for model '" + name + "'");
            }
            if (!locked) {
                throw new InferenceError(503, "model '" + name + "' is busy: the request waited " + deadline.toMillis() + " ms for earlier ones");
            }
            try {
                if (closed) throw new InferenceError(503, "the service is shutting down");
                Instance in = instance();
                CompletableFuture<Map<String, OnnxTensor>> f = new CompletableFuture<>();
                Thread.ofVirtual().name("anneau-infer-" + name).start(() -> {
                    try {
                        f.complete(in.session().run(given));
                    } catch (Throwable t) {
                        f.completeExceptionally(t);
                    }
                });
                try {
                    return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    LOG.log(System.Logger.Level.WARNING, "inference on model '" + name + "' passed the deadline; replacing its context");
                    dropInstance();
                    throw new InferenceError(503, "inference did not finish within " + deadline.toMillis() + " ms; model '" + name
                            + "' was given a new context");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InferenceError(503, "interrupted");
                } catch (ExecutionException e) {
                    throw failure(e.getCause());
                }
            } finally {
                lock.unlock();
            }
        }

        private InferenceError failure(Throwable c) {
            if (c instanceof OnnxUnsupportedException u) {
                return InferenceError.badRequest("model '" + name + "' cannot run with these inputs: " + clip(u.getMessage()));
            }
            if (c instanceof OnnxImportException e) return InferenceError.badRequest("model '" + name + "': " + clip(e.getMessage()));
            if (c instanceof WebNNException e) return InferenceError.badRequest("model '" + name + "': " + e.errorName() + ": " + clip(e.getMessage()));
            if (c instanceof OutOfMemoryError) {
                dropInstance();
                return new InferenceError(503, "the service ran out of memory running model '" + name + "'; it was given a new context");
            }
            LOG.log(System.Logger.Level.WARNING, "internal error running model '" + name + "': " + c.getClass().getName());
            if (instance != null && instance.context().isDestroyed()) instance = null;
            return new InferenceError(500, "internal error in the service");
        }

        private static String clip(String s) {
            if (s == null) return "";
            return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
        }

        /** Names, data types, ranks and fixed dimensions must match the model's inputs. */
        private void check(Map<String, OnnxTensor> given) throws InferenceError {
            List<String> missing = new ArrayList<>();
            for (TensorInfo want : inputs) {
                OnnxTensor t = given.get(want.name());
                if (t == null) {
                    missing.add(want.name());
                    continue;
                }
                String what = "input '" + OipCodec.clip(want.name()) + "'";
                if (t.type() != want.type()) {
                    throw InferenceError.badRequest(what + " must be " + OipCodec.datatype(want.type()) + ", got " + OipCodec.datatype(t.type()));
                }
                if (want.shape() == null) continue;
                long[] s = t.shape();
                boolean ok = s.length == want.shape().length;
                for (int i = 0; ok && i < s.length; i++) ok = want.shape()[i] < 0 || want.shape()[i] == s[i];
                if (!ok) {
                    throw InferenceError.badRequest(what + ": shape " + Arrays.toString(s) + " does not fit the model's "
                            + Arrays.toString(want.shape()) + " (-1: any size)");
                }
            }
            if (!missing.isEmpty()) throw InferenceError.badRequest("missing inputs " + missing + " of model '" + name + "'");
            if (given.size() != inputs.size()) {
                for (String k : given.keySet()) {
                    if (inputs.stream().noneMatch(i -> i.name().equals(k))) {
                        throw InferenceError.badRequest("'" + OipCodec.clip(k) + "' is not an input of model '" + name + "'; its inputs are "
                                + inputs.stream().map(TensorInfo::name).toList());
                    }
                }
            }
        }

        private void close() {
            closed = true;
            lock.lock();
            try {
                dropInstance();
            } finally {
                lock.unlock();
            }
        }
    }
}
