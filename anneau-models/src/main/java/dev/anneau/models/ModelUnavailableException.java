package dev.anneau.models;

/** The model could not be fetched: the registry cannot be reached, or what came back does not match its pin. */
public class ModelUnavailableException extends Exception {
    private final boolean registryUnreachable;

    public ModelUnavailableException(String message, boolean registryUnreachable, Throwable cause) {
        super(message, cause);
        this.registryUnreachable = registryUnreachable;
    }

    /** True when no answer came from the registry (offline); false for a pin mismatch or a broken package. */
    public boolean registryUnreachable() { return registryUnreachable; }
}
