package dev.anneau.conformance;

import java.util.List;

/**
 * Result of one test on one backend.
 *
 * @param suite the folder of the test file (e.g. {@code conformance-2025-12})
 * @param file the test file name
 * @param name the test name
 * @param backend the backend that ran it
 * @param status outcome
 * @param metric how {@code worstError} is measured ("ULP", "ATOL", "exact"), null when nothing was compared
 * @param worstError the largest distance over all compared elements of all outputs (ULP count or absolute error), null when nothing was compared
 * @param tolerance the allowed distance (null: exact)
 * @param reason why it failed or was skipped (null when it passed cleanly)
 * @param notes adaptations the runner made (legacy overloads, casts to supported types)
 * @param millis wall time
 */
public record TestResult(String suite, String file, String name, String backend, TestStatus status, String metric, Double worstError,
                         Double tolerance, String reason, List<String> notes, long millis) {
    public TestResult {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public String id() { return file + "/" + name; }

    /** {@code suite/file}. */
    public String path() { return suite == null || suite.isEmpty() ? file : suite + "/" + file; }
}
