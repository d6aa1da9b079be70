package dev.anneau.webnn.spi;

/** Result of probing a backend: whether it can be used here, and if not, why (for logs and {@code anneau info}). */
public record Availability(boolean available, String detail) {
    public static Availability available(String detail) { return new Availability(true, detail); }

    public static Availability unavailable(String reason) { return new Availability(false, reason); }
}
