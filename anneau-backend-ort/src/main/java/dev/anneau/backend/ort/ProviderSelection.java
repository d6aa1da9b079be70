package dev.anneau.backend.ort;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.MLPowerPreference;
import dev.anneau.webnn.NotSupportedError;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses execution providers for a context from what the native library offers, never from
 * what merely has a method: {@code accelerated=false} or {@code low-power} keep to the CPU EP;
 * otherwise the first accelerator EP present is tried, in an order that prefers dedicated GPUs
 * and NPUs. {@code -Danneau.ort.providers=cuda,cpu} (or {@code ANNEAU_ORT_PROVIDERS}) forces a list.
 */
final class ProviderSelection {
    static final String PROPERTY = "anneau.ort.providers";
    static final String ENV = "ANNEAU_ORT_PROVIDERS";

    /** Accelerator EPs in order of preference. */
    private static final List<OrtProvider> ACCELERATORS = List.of(OrtProvider.CUDA, OrtProvider.TENSOR_RT,
            OrtProvider.QNN, OrtProvider.CORE_ML, OrtProvider.DIRECT_ML, OrtProvider.OPEN_VINO, OrtProvider.ROCM,
            OrtProvider.NNAPI);

    private ProviderSelection() {}

    /** The providers to register, in order; the CPU EP is always the implicit last resort inside ORT. */
    static List<OrtProvider> choose(MLContextOptions options, EnumSet<OrtProvider> available) {
        String forced = System.getProperty(PROPERTY, System.getenv(ENV));
        if (forced != null && !forced.isBlank()) {
            List<OrtProvider> list = new ArrayList<>();
            for (String name : forced.split(",")) {
                OrtProvider p = parse(name.trim());
                if (!available.contains(p)) {
                    throw new NotSupportedError("execution provider " + p + " (forced by " + PROPERTY + ") is not in this ONNX Runtime build; available: " + available);
                }
                list.add(p);
            }
            return list;
        }
        if (!options.accelerated() || options.powerPreference() == MLPowerPreference.LOW_POWER) {
            return List.of(OrtProvider.CPU);
        }
        for (OrtProvider p : ACCELERATORS) {
            if (available.contains(p)) return List.of(p, OrtProvider.CPU);
        }
        return List.of(OrtProvider.CPU);
    }

    static boolean hasAccelerator(EnumSet<OrtProvider> available) {
        for (OrtProvider p : ACCELERATORS) if (available.contains(p)) return true;
        return false;
    }

    static OrtProvider parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("executionprovider", "").replace("_", "").replace("-", "");
        for (OrtProvider p : OrtProvider.values()) {
            String pn = p.name().toLowerCase(Locale.ROOT).replace("_", "");
            String en = p.getName().toLowerCase(Locale.ROOT).replace("executionprovider", "");
            if (n.equals(pn) || n.equals(en)) return p;
        }
        throw new NotSupportedError("unknown execution provider '" + name + "'");
    }

    /** Registers the providers on the session options (the CPU EP needs no call). */
    static void apply(OrtSession.SessionOptions so, List<OrtProvider> providers) throws OrtException {
        for (OrtProvider p : providers) {
            switch (p) {
                case CPU -> { }
                case CUDA -> so.addCUDA();
                case TENSOR_RT -> so.addTensorrt(0);
                case QNN -> so.addQnn(Map.of("backend_type", "htp"));
                case CORE_ML -> so.addCoreML();
                case DIRECT_ML -> so.addDirectML(0);
                case OPEN_VINO -> so.addOpenVINO("");
                case ROCM -> so.addROCM();
                case NNAPI -> so.addNnapi();
                case XNNPACK -> so.addXnnpack(Map.of());
                default -> throw new NotSupportedError("execution provider " + p + " is not wired in Anneau yet");
            }
        }
    }
}
