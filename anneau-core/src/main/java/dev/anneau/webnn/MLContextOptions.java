package dev.anneau.webnn;

/**
 * The WebNN {@code MLContextOptions} dictionary. {@code backend} is an Anneau extension: the name
 * of a backend provider to use (null = choose automatically, honouring {@code -Danneau.backend}
 * and {@code ANNEAU_BACKEND}).
 */
public record MLContextOptions(MLPowerPreference powerPreference, boolean accelerated, String backend) {
    public MLContextOptions {
        if (powerPreference == null) powerPreference = MLPowerPreference.DEFAULT;
    }

    public MLContextOptions() { this(MLPowerPreference.DEFAULT, true, null); }

    public MLContextOptions(MLPowerPreference powerPreference, boolean accelerated) {
        this(powerPreference, accelerated, null);
    }

    public static MLContextOptions defaults() { return new MLContextOptions(); }

    public MLContextOptions withBackend(String name) { return new MLContextOptions(powerPreference, accelerated, name); }
}
