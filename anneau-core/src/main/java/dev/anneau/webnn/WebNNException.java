package dev.anneau.webnn;

/**
 * Base of the errors the WebNN API raises. {@link #errorName()} is the name the spec uses
 * ({@code TypeError}, or a DOMException name such as {@code InvalidStateError}), so the bridge
 * and the tests can match on it.
 */
public abstract class WebNNException extends RuntimeException {
    protected WebNNException(String message) { super(message); }

    protected WebNNException(String message, Throwable cause) { super(message, cause); }

    /** The spec's error name. */
    public abstract String errorName();

    @Override
    public String toString() { return errorName() + ": " + getMessage(); }
}
