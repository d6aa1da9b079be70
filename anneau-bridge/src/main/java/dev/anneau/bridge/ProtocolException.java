package dev.anneau.bridge;

/**
 * A malformed or over-limit protocol message. The message is safe to send to the client: it names
 * the rule that was broken, never tensor data, tokens, stack traces or file paths.
 */
public final class ProtocolException extends Exception {
    /** The error name sent on the wire: {@code "ProtocolError"} or {@code "QuotaExceededError"}. */
    private final String errorName;
    /** An HTTP-like status for the reason: 400 malformed, 413 too large, 429 quota. */
    private final int status;

    public ProtocolException(String message) { this("ProtocolError", 400, message); }

    public ProtocolException(String errorName, int status, String message) {
        super(message, null, false, false);
        this.errorName = errorName;
        this.status = status;
    }

    public static ProtocolException tooLarge(String message) { return new ProtocolException("QuotaExceededError", 413, message); }

    public static ProtocolException quota(String message) { return new ProtocolException("QuotaExceededError", 429, message); }

    public String errorName() { return errorName; }

    public int status() { return status; }
}
