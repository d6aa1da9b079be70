package dev.anneau.conformance;

/** Outcome of one conformance test. Everything but passed and failed counts as skipped. */
public enum TestStatus {
    PASSED("passed"),
    FAILED("failed"),
    /** Not run (filtered, or not applicable to the backend). */
    SKIPPED("skipped"),
    /** The backend does not claim an operator or data type the test uses (its opSupportLimits() says so). */
    UNSUPPORTED("unsupported"),
    /** The test uses something the current spec removed; it must throw the expected error, and did. */
    EXPECTED_UNSUPPORTED("expected-unsupported"),
    /** The test's expected data are known to be wrong; it ran, its error is recorded, but it does not count. */
    KNOWN_WRONG_EXPECTATION("known-wrong-expectation");

    private final String id;

    TestStatus(String id) { this.id = id; }

    /** The spelling used in reports, e.g. {@code known-wrong-expectation}. */
    public String id() { return id; }

    public boolean countsAsSkipped() { return this != PASSED && this != FAILED; }

    public static TestStatus fromId(String id) {
        for (TestStatus s : values()) if (s.id.equals(id)) return s;
        throw new IllegalArgumentException("unknown test status '" + id + "'");
    }

    @Override
    public String toString() { return id; }
}
