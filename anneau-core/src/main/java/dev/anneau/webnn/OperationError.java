package dev.anneau.webnn;

/** A failure while executing work that validation could not foresee (a backend fault, an allocation that failed). */
public class OperationError extends WebNNException {
    public OperationError(String message) { super(message); }

    public OperationError(String message, Throwable cause) { super(message, cause); }

    @Override
    public String errorName() { return "OperationError"; }
}
