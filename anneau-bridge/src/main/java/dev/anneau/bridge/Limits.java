package dev.anneau.bridge;

import java.time.Duration;

/**
 * Every resource bound the bridge enforces. Values beyond a limit get a clear error (HTTP 413/429,
 * or a protocol error naming the limit), never an allocation attempt.
 *
 * @param maxRequestHeaderBytes     HTTP request line + headers
 * @param maxRequestBodyBytes       HTTP request bodies (the bridge's HTTP endpoints take none)
 * @param maxMessageBytes           one WebSocket message (header + payload)
 * @param maxHeaderJsonBytes        the JSON header inside one binary frame
 * @param maxRank                   tensor/operand rank
 * @param maxTensorElements         elements of one tensor, input or constant
 * @param maxTensorBytes            bytes of one tensor
 * @param maxResidentBytesPerOrigin tensors and graph constants held for one origin, all its contexts together
 * @param maxTensorsPerOrigin       live tensors per origin
 * @param maxGraphsPerOrigin        live graphs per origin
 * @param maxOpsPerGraph            operations in one build request
 * @param maxContextsPerOrigin      concurrent contexts (WebSockets) per origin
 * @param maxContextsTotal          concurrent contexts for the whole service
 * @param maxPendingPairings        pairing requests waiting for the user at once
 * @param dispatchDeadline          one dispatch (or build, or read) must finish within this
 * @param idleTimeout               a WebSocket with no traffic is closed after this
 * @param authTimeout               a context WebSocket must authenticate within this
 */
public record Limits(int maxRequestHeaderBytes, long maxRequestBodyBytes, long maxMessageBytes, int maxHeaderJsonBytes,
                     int maxRank, long maxTensorElements, long maxTensorBytes, long maxResidentBytesPerOrigin,
                     int maxTensorsPerOrigin, int maxGraphsPerOrigin, int maxOpsPerGraph, int maxContextsPerOrigin,
                     int maxContextsTotal, int maxPendingPairings, Duration dispatchDeadline, Duration idleTimeout,
                     Duration authTimeout) {

    public Limits {
        // the shape check multiplies a count <= maxTensorElements by a dimension < 2^32: keep it below 2^62
        if (maxTensorElements <= 0 || maxTensorElements > (1L << 30)) throw new IllegalArgumentException("maxTensorElements must be in 1..2^30");
        if (maxTensorBytes <= 0 || maxTensorBytes > Integer.MAX_VALUE - 64) throw new IllegalArgumentException("maxTensorBytes must be in 1..2^31-65");
        if (maxMessageBytes <= 0 || maxHeaderJsonBytes <= 0 || maxRank <= 0) throw new IllegalArgumentException("limits must be positive");
    }

    public static Limits defaults() {
        return new Limits(8 * 1024, 64 * 1024, 256L * 1024 * 1024 + 1024 * 1024, 1024 * 1024,
                8, 64L * 1024 * 1024, 256L * 1024 * 1024, 1024L * 1024 * 1024,
                4096, 256, 20_000, 8,
                64, 16, Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofSeconds(10));
    }

    public Limits withMaxMessageBytes(long v) {
        return new Limits(maxRequestHeaderBytes, maxRequestBodyBytes, v, maxHeaderJsonBytes, maxRank, maxTensorElements,
                maxTensorBytes, maxResidentBytesPerOrigin, maxTensorsPerOrigin, maxGraphsPerOrigin, maxOpsPerGraph,
                maxContextsPerOrigin, maxContextsTotal, maxPendingPairings, dispatchDeadline, idleTimeout, authTimeout);
    }

    public Limits withTensorLimits(long elements, long bytes, long residentPerOrigin, int tensorsPerOrigin) {
        return new Limits(maxRequestHeaderBytes, maxRequestBodyBytes, maxMessageBytes, maxHeaderJsonBytes, maxRank, elements,
                bytes, residentPerOrigin, tensorsPerOrigin, maxGraphsPerOrigin, maxOpsPerGraph,
                maxContextsPerOrigin, maxContextsTotal, maxPendingPairings, dispatchDeadline, idleTimeout, authTimeout);
    }

    public Limits withContexts(int perOrigin, int total) {
        return new Limits(maxRequestHeaderBytes, maxRequestBodyBytes, maxMessageBytes, maxHeaderJsonBytes, maxRank,
                maxTensorElements, maxTensorBytes, maxResidentBytesPerOrigin, maxTensorsPerOrigin, maxGraphsPerOrigin,
                maxOpsPerGraph, perOrigin, total, maxPendingPairings, dispatchDeadline, idleTimeout, authTimeout);
    }

    public Limits withTimeouts(Duration dispatch, Duration idle, Duration auth) {
        return new Limits(maxRequestHeaderBytes, maxRequestBodyBytes, maxMessageBytes, maxHeaderJsonBytes, maxRank,
                maxTensorElements, maxTensorBytes, maxResidentBytesPerOrigin, maxTensorsPerOrigin, maxGraphsPerOrigin,
                maxOpsPerGraph, maxContextsPerOrigin, maxContextsTotal, maxPendingPairings, dispatch, idle, auth);
    }
}
