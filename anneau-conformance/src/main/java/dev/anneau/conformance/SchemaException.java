package dev.anneau.conformance;

/** A test file or test that does not follow the schema of SUITE-README; reported as a failure of that file or test. */
public final class SchemaException extends RuntimeException {
    public SchemaException(String message) { super(message); }
}
