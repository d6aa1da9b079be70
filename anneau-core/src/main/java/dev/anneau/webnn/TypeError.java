package dev.anneau.webnn;

/** A graph-building or argument validation failure (WebIDL/JS TypeError). Messages carry the operator label as [label]. */
public class TypeError extends WebNNException {
    public TypeError(String message) { super(message); }

    public TypeError(String message, Throwable cause) { super(message, cause); }

    @Override
    public String errorName() { return "TypeError"; }
}
