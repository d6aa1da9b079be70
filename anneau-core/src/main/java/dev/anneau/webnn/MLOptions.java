package dev.anneau.webnn;

/** Common shape of every operator options dictionary: the spec's {@code MLOperatorOptions.label}. */
public interface MLOptions {
    /** Label that error messages carry as {@code [label]}; may be null or empty. */
    String label();
}
