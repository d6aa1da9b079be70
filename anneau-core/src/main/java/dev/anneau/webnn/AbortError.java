package dev.anneau.webnn;

/** Work was cancelled before it completed, e.g. a pending read when its context was destroyed. */
public class AbortError extends WebNNException {
    public AbortError(String message) { super(message); }

    public AbortError(String message, Throwable cause) { super(message, cause); }

    @Override
    public String errorName() { return "AbortError"; }
}
