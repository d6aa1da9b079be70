package dev.anneau.webnn;

/** An object is used in a state that does not allow the call: a built builder, a destroyed context, graph or tensor. */
public class InvalidStateError extends WebNNException {
    public InvalidStateError(String message) { super(message); }

    public InvalidStateError(String message, Throwable cause) { super(message, cause); }

    @Override
    public String errorName() { return "InvalidStateError"; }
}
