package dev.anneau.bridge;

/**
 * A failed inference-endpoint request: the HTTP status and a message for the client, sent as the Open
 * Inference Protocol's error body {@code {"error": "..."}}. Messages name the rule that was broken and
 * the values involved, never tensor data, tokens, stack traces or file paths.
 */
public final class InferenceError extends Exception {
    private final int status;

    public InferenceError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static InferenceError badRequest(String message) { return new InferenceError(400, message); }

    public int status() { return status; }
}
