package dev.anneau.webnn;

/** The chosen backend cannot do what was asked (an operator, data type or option it does not implement). */
public class NotSupportedError extends WebNNException {
    public NotSupportedError(String message) { super(message); }

    public NotSupportedError(String message, Throwable cause) { super(message, cause); }

    @Override
    public String errorName() { return "NotSupportedError"; }
}
