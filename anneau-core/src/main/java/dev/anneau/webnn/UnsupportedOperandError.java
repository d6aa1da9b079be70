package dev.anneau.webnn;

/**
 * A {@link TypeError} raised because the context's backend does not support an operand's data
 * type or rank (as its {@code opSupportLimits()} says), although the spec allows it. Its
 * {@link #errorName()} is still {@code TypeError}, as the spec requires; the subclass lets tools
 * tell "this backend lacks it" from "the call is invalid".
 */
public class UnsupportedOperandError extends TypeError {
    public UnsupportedOperandError(String message) { super(message); }
}
