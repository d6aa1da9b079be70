package dev.anneau.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bridge's message framing (protocol version {@value #PROTOCOL_VERSION}, see docs/bridge-protocol.md).
 * A binary WebSocket message is {@code u32le headerLength | header (UTF-8 JSON object) | payload};
 * a text message is a header alone. {@link #decode} throws nothing but {@link ProtocolException}.
 */
public final class Frames {
    public static final int PROTOCOL_VERSION = 1;

    private Frames() {}

    /** A decoded message: its JSON header and the payload bytes that follow it (empty for none). */
    public record Frame(ObjectNode header, ByteBuffer payload) {
        /** The request id echoed in the reply, or null when absent or malformed. */
        public Long idOrNull() {
            JsonNode id = header.get("id");
            if (id != null && id.isIntegralNumber() && id.canConvertToLong()) {
                long v = id.longValue();
                if (v >= 0 && v <= Json.MAX_SAFE_INTEGER) return v;
            }
            return null;
        }
    }

    /** A mapper safe for hostile input: bounded nesting, string and number lengths, no duplicate keys. */
    public static ObjectMapper mapper(int maxDocumentBytes) {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxNumberLength(400)
                        .maxStringLength(Math.max(1024, maxDocumentBytes))
                        .maxNameLength(1024)
                        .maxDocumentLength(maxDocumentBytes)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(f)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** Decodes a binary message. */
    public static Frame decode(ByteBuffer message, ObjectMapper mapper, int maxHeaderBytes) throws ProtocolException {
        ByteBuffer m = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (m.remaining() < 4) throw new ProtocolException("frame too short: " + m.remaining() + " bytes, the 4-byte header length is missing");
        long headerLength = Integer.toUnsignedLong(m.getInt());
        if (headerLength > maxHeaderBytes) {
            throw ProtocolException.tooLarge("frame header of " + headerLength + " bytes exceeds the limit of " + maxHeaderBytes);
        }
        if (headerLength > m.remaining()) {
            throw new ProtocolException("frame truncated: the header claims " + headerLength + " bytes, " + m.remaining() + " follow");
        }
        byte[] json = new byte[(int) headerLength];
        m.get(json);
        ObjectNode header = parseHeader(json, mapper);
        return new Frame(header, m.slice().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Decodes a text message (a header without payload). */
    public static Frame decodeText(String text, ObjectMapper mapper, int maxHeaderBytes) throws ProtocolException {
        byte[] json = text.getBytes(StandardCharsets.UTF_8);
        if (json.length > maxHeaderBytes) {
            throw ProtocolException.tooLarge("text message of " + json.length + " bytes exceeds the header limit of " + maxHeaderBytes);
        }
        return new Frame(parseHeader(json, mapper), ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN));
    }

    private static ObjectNode parseHeader(byte[] json, ObjectMapper mapper) throws ProtocolException {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (Exception | StackOverflowError e) {
            // Jackson's messages can quote input; keep only a generic reason
            throw new ProtocolException("frame header is not valid JSON (UTF-8, no duplicate keys, bounded nesting and lengths)");
        }
        if (node == null || !node.isObject()) throw new ProtocolException("frame header must be a JSON object");
        return (ObjectNode) node;
    }

    /** Encodes a header and optional payload as one binary message. */
    public static ByteBuffer encode(ObjectNode header, ByteBuffer payload, ObjectMapper mapper) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(header);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode a reply header", e);
        }
        int p = payload == null ? 0 : payload.remaining();
        ByteBuffer out = ByteBuffer.allocate(4 + json.length + p).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(json.length).put(json);
        if (payload != null) out.put(payload.duplicate());
        return out.flip();
    }
}
