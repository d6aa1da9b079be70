package dev.anneau.backend.ort;

import ai.onnxruntime.OrtProvider;
import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.spi.Availability;
import dev.anneau.webnn.spi.Backend;
import dev.anneau.webnn.spi.BackendProvider;
import java.util.EnumSet;

/**
 * ONNX Runtime. Wins over the pure-Java backend only when the loaded library offers an
 * accelerator execution provider; with the CPU EP alone it ranks below it and is used when
 * named ({@code -Danneau.backend=ort}).
 */
public final class OrtBackendProvider implements BackendProvider {
    public static final String NAME = "ort";

    @Override
    public String name() { return NAME; }

    @Override
    public int priority() {
        return OrtRuntime.isAvailable() && ProviderSelection.hasAccelerator(OrtRuntime.providers()) ? 20 : 5;
    }

    @Override
    public Availability probe() {
        if (!OrtRuntime.isAvailable()) {
            return Availability.unavailable("ONNX Runtime native library did not load: " + OrtRuntime.unavailabilityCause());
        }
        EnumSet<OrtProvider> p = OrtRuntime.providers();
        return Availability.available("onnxruntime " + OrtRuntime.version() + ", providers " + p
                + (OrtRuntime.epDevices().isEmpty() ? "" : ", EP devices " + OrtRuntime.epDevices()));
    }

    @Override
    public Backend create(MLContextOptions options) { return new OrtBackend(options); }
}
