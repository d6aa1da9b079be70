package dev.anneau.backend.cpu;

import dev.anneau.webnn.MLContextOptions;
import dev.anneau.webnn.spi.Availability;
import dev.anneau.webnn.spi.Backend;
import dev.anneau.webnn.spi.BackendProvider;

/** The pure-Java backend: always available, the lowest priority so that accelerators win when present. */
public final class CpuBackendProvider implements BackendProvider {
    public static final String NAME = "cpu";

    @Override
    public String name() { return NAME; }

    @Override
    public int priority() { return 10; }

    @Override
    public Availability probe() {
        return Availability.available("pure Java, " + Runtime.getRuntime().availableProcessors() + " cores");
    }

    @Override
    public Backend create(MLContextOptions options) { return new CpuBackend(); }
}
