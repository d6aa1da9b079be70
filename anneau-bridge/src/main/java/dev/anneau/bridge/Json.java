package dev.anneau.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Strict field readers for protocol headers; every failure is a {@link ProtocolException}. */
final class Json {
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private Json() {}

    static JsonNode required(ObjectNode o, String field) throws ProtocolException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) throw new ProtocolException("'" + field + "' is required");
        return v;
    }

    /** A non-negative integer id (at most 2^53-1, what JavaScript numbers hold exactly). */
    static long id(JsonNode v, String what) throws ProtocolException {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) throw new ProtocolException(what + " must be an integer id");
        long l = v.longValue();
        if (l < 0 || l > MAX_SAFE_INTEGER) throw new ProtocolException(what + " must be between 0 and 2^53-1");
        return l;
    }

    static long id(ObjectNode o, String field) throws ProtocolException { return id(required(o, field), "'" + field + "'"); }

    static long nonNegative(JsonNode v, String what, long max) throws ProtocolException {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) throw new ProtocolException(what + " must be an integer");
        long l = v.longValue();
        if (l < 0 || l > max) throw new ProtocolException(what + " must be between 0 and " + max + ", got " + l);
        return l;
    }

    static String string(ObjectNode o, String field) throws ProtocolException {
        JsonNode v = required(o, field);
        if (!v.isTextual()) throw new ProtocolException("'" + field + "' must be a string");
        return v.textValue();
    }

    static String optString(ObjectNode o, String field) throws ProtocolException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new ProtocolException("'" + field + "' must be a string");
        return v.textValue();
    }

    static boolean optBool(ObjectNode o, String field, boolean dflt) throws ProtocolException {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) throw new ProtocolException("'" + field + "' must be true or false");
        return v.booleanValue();
    }

    static ObjectNode object(JsonNode v, String what) throws ProtocolException {
        if (v == null || !v.isObject()) throw new ProtocolException(what + " must be an object");
        return (ObjectNode) v;
    }

    static JsonNode array(JsonNode v, String what, int maxLength) throws ProtocolException {
        if (v == null || !v.isArray()) throw new ProtocolException(what + " must be an array");
        if (v.size() > maxLength) throw ProtocolException.tooLarge(what + " has " + v.size() + " entries; the limit is " + maxLength);
        return v;
    }

    /** A {name: id} map, names non-empty and at most 1024 chars. */
    static Map<String, Long> nameToId(JsonNode v, String what, int maxEntries) throws ProtocolException {
        ObjectNode o = object(v, what);
        if (o.size() > maxEntries) throw ProtocolException.tooLarge(what + " has " + o.size() + " entries; the limit is " + maxEntries);
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().isEmpty()) throw new ProtocolException(what + ": names must not be empty");
            out.put(e.getKey(), id(e.getValue(), what + "." + "<entry>"));
        }
        return out;
    }
}
