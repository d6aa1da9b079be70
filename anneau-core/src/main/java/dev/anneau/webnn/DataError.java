package dev.anneau.webnn;

/** Data handed to the API does not fit the tensor or descriptor it is meant for. */
public class DataError extends WebNNException {
    public DataError(String message) { super(message); }

    public DataError(String message, Throwable cause) { super(message, cause); }

    @Override
    public String errorName() { return "DataError"; }
}
