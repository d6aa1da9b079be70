package dev.anneau.backend.cpu.simd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Chooses the CPU backend's {@link FloatKernels}, once: the Vector API implementation when this
 * JVM can run it well, else the scalar one with one warning that says how to turn the Vector API
 * on. The checks, in order:
 * <ol>
 * <li>{@code -Danneau.vector=false} asks for the scalar kernels (no warning);</li>
 * <li>the module {@code jdk.incubator.vector} is readable (it is only resolved when the JVM is
 *     started with {@code --add-modules jdk.incubator.vector});</li>
 * <li>HotSpot with its C2 compiler on (the Vector API is only fast where C2 intrinsifies it);</li>
 * <li>vectors of at least 128 bits ({@code -Danneau.vectorBits=128|256} may narrow them, for tests).</li>
 * </ol>
 * The Vector API class is loaded by name, so no other class links {@code jdk.incubator.vector}.
 */
public final class VectorSupport {
    /** {@code -Danneau.vector=false}: use the scalar kernels (read once, and again by {@link #forContext()}). */
    public static final String ENABLE_PROPERTY = "anneau.vector";
    /** {@code -Danneau.vectorBits=128|256|512}: vectors narrower than the CPU's (parity tests). */
    public static final String BITS_PROPERTY = "anneau.vectorBits";
    /** The JVM option that makes the Vector API readable. */
    public static final String ADD_MODULES = "--add-modules jdk.incubator.vector";

    private static final String PANAMA_CLASS = "dev.anneau.backend.cpu.simd.PanamaSupport";
    private static final System.Logger LOG = System.getLogger("dev.anneau.backend.cpu");

    private VectorSupport() {}

    /**
     * The outcome of the checks: the kernels; why they are scalar and how to change that (both null
     * when vectorized, or when scalar was asked for).
     */
    record Probe(FloatKernels kernels, String whyScalar, String fix) {
        static Probe vector(FloatKernels kernels) { return new Probe(kernels, null, null); }

        static Probe scalar(String why, String fix) { return new Probe(ScalarSupport.INSTANCE, why, fix); }
    }

    /** Probes once, on first use; a holder class so that no class-initialization cycle can deadlock. */
    private static final class Holder {
        static final Probe PROBE = logged(lookup());
    }

    /** The kernels the CPU backend uses: Vector API when usable, else scalar. */
    public static FloatKernels kernels() { return Holder.PROBE.kernels(); }

    /** The scalar kernels (the contract the vector ones are tested against). */
    public static FloatKernels scalar() { return ScalarSupport.INSTANCE; }

    /**
     * The kernels for a new context: scalar when {@code -Danneau.vector=false} is set now (the
     * property is read at each call, so a benchmark can build a scalar context next to a vector one),
     * else {@link #kernels()}.
     */
    public static FloatKernels forContext() {
        return "false".equalsIgnoreCase(System.getProperty(ENABLE_PROPERTY, "").trim()) ? scalar() : kernels();
    }

    /** One line for diagnostics: what the kernels are, and why they are scalar when they are. */
    public static String status() {
        Probe p = Holder.PROBE;
        return p.whyScalar() == null ? p.kernels().describe() : p.kernels().describe() + " (" + p.whyScalar() + ")";
    }

    private static Probe logged(Probe p) {
        if (p.whyScalar() != null) {
            LOG.log(System.Logger.Level.WARNING, "CPU backend: " + p.whyScalar()
                    + "; using its scalar kernels. For the Vector API kernels, " + p.fix() + ".");
        }
        return p;
    }

    // visible for tests
    static Probe lookup() {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLE_PROPERTY, "").trim())) {
            return new Probe(scalar(), null, null);
        }
        Optional<Module> vectorModule = Optional.ofNullable(VectorSupport.class.getModule().getLayer())
                .orElse(ModuleLayer.boot())
                .findModule("jdk.incubator.vector");
        if (vectorModule.isEmpty()) {
            return Probe.scalar("the Java Vector API module jdk.incubator.vector is not readable",
                    "start java with " + ADD_MODULES + " (the ./anneau launcher does)");
        }
        VectorSupport.class.getModule().addReads(vectorModule.get());
        String noC2 = whyNoC2();
        if (noC2 != null) return Probe.scalar(noC2, "run on HotSpot with its C2 JIT (the default: no -Xint, no -XX:TieredStopAtLevel)");
        return load(PANAMA_CLASS);
    }

    /** Why C2 will not compile the vector code, or null when it will. */
    static String whyNoC2() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) return "the JIT is off (-Xint)";
        if (info.contains("emulated-client")) return "the C2 compiler is off (client emulation)";
        if (!hotSpot()) return "this JVM is not HotSpot (" + System.getProperty("java.vm.name") + ")";
        if (vmFlag("UseJVMCICompiler", false)) return "the JIT is a JVMCI compiler, which does not intrinsify the Vector API";
        if (!vmFlag("UseCompiler", true)) return "the JIT is off (-Xint)";
        String level = vmOption("TieredStopAtLevel");
        if (vmFlag("TieredCompilation", true) && level != null && !level.isEmpty() && Integer.parseInt(level) < 4) {
            return "the C2 compiler is off (-XX:TieredStopAtLevel=" + level + ")";
        }
        return null;
    }

    private static Probe load(String className) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> cls = lookup.findClass(className);
            var constructor = lookup.findConstructor(cls, MethodType.methodType(void.class));
            try {
                return Probe.vector((FloatKernels) constructor.invoke());
            } catch (UnsupportedOperationException e) {
                // vectors too narrow, or a forced size this CPU lacks
                return Probe.scalar("the Vector API kernels cannot run: " + e.getMessage(),
                        "drop -D" + BITS_PROPERTY + " or give it 128, 256 or 512, at most this CPU's width");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new LinkageError(className + " lacks its no-argument constructor", e);
        } catch (ClassNotFoundException e) {
            throw new LinkageError(className + " is missing from anneau-backend-cpu", e);
        }
    }

    private static boolean hotSpot() {
        try {
            return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class) != null;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A HotSpot boolean option, or {@code fallback} when it cannot be read. */
    static boolean vmFlag(String name, boolean fallback) {
        String v = vmOption(name);
        return v == null ? fallback : Boolean.parseBoolean(v);
    }

    private static String vmOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? null : bean.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
