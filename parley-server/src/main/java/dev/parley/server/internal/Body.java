package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.json.ParleyJson;
import io.javalin.http.Context;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON request body (or an object inside one) read field by field. Every mistake is an
 * {@link InvalidInputException} naming the field by its path ({@code metadata.title}, {@code parts[0].type})
 * and the rule it broke; unknown fields are refused, so a typo never passes silently.
 */
final class Body {
    private static final String TEXT = "parley.body";
    private final JsonNode node;
    private final String path;

    private Body(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The request's JSON object; an empty body is an error. */
    static Body required(Context ctx) {
        String text = text(ctx);
        if (text.isBlank()) {
            throw new InvalidInputException("body", "a JSON object body is required");
        }
        return parse(text);
    }

    /** The request's JSON object, or an empty one when the body is empty. */
    static Body optional(Context ctx) {
        String text = text(ctx);
        return text.isBlank() ? new Body(ParleyJson.object(), "") : parse(text);
    }

    /**
     * The request body as text, read once per request. A body of declared length (what every HTTP/1.1 client sends
     * for a JSON body) is read straight into an array of that length: Javalin's {@code ctx.body()} copies every body
     * through an 8 KiB buffer of its own, which cost more CPU per append than parsing the JSON. A chunked body goes
     * through Javalin, which enforces {@code maxBodyBytes} on it; a declared length above it was refused before.
     */
    static String text(Context ctx) {
        String cached = ctx.attribute(TEXT);
        if (cached != null) {
            return cached;
        }
        long length = ctx.req().getContentLengthLong();
        String text;
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            text = ctx.body();
        } else {
            byte[] bytes = new byte[(int) length];
            int read;
            try {
                read = ctx.req().getInputStream().readNBytes(bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body failed: " + e.getMessage(), e);
            }
            if (read < bytes.length) {
                throw new InvalidInputException("body", "the request body ended after " + read + " of the "
                        + length + " bytes its Content-Length declares");
            }
            String encoding = ctx.characterEncoding();
            text = new String(bytes, encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding));
        }
        ctx.attribute(TEXT, text);
        return text;
    }

    static Body parse(String text) {
        JsonNode node = ParleyJson.mapper().readTree(text);
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("body", "the request body must be a JSON object");
        }
        ParleyJson.requireWellFormed(text, node, "");
        return new Body(node, "");
    }

    static Body of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(path, path + " must be a JSON object");
        }
        return new Body(node, path);
    }

    /** What went wrong in a JSON text, with its line and column, without echoing the text. */
    static String describe(JacksonException e) {
        return LogText.escape(ParleyJson.describe(e));
    }

    JsonNode node() {
        return node;
    }

    /** A field's name with this object's path, as errors show it. */
    String name(String field) {
        return path.isEmpty() ? field : field.isEmpty() ? path : path + "." + field;
    }

    String path() {
        return path;
    }

    /** Refuses any field not listed. */
    Body only(String... allowed) {
        for (String field : node.propertyNames()) {
            if (!isOneOf(field, allowed)) {
                // Sorted for the message only: a set built for every request cost more than the scan of a dozen names.
                Set<String> known = new TreeSet<>(List.of(allowed));
                throw new InvalidInputException(name(field), "unknown field '" + LogText.escape(name(field)) + "'; "
                        + (path.isEmpty() ? "the body" : path) + " takes " + String.join(", ", known));
            }
        }
        return this;
    }

    private static boolean isOneOf(String field, String[] allowed) {
        for (String name : allowed) {
            if (name.equals(field)) {
                return true;
            }
        }
        return false;
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** Whether the field is present, even as {@code null} (merge patches use null to remove). */
    boolean present(String field) {
        return node.has(field);
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    String string(String field) {
        String value = optString(field);
        if (value == null) {
            throw new InvalidInputException(name(field), name(field) + " is required");
        }
        return value;
    }

    String optString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new InvalidInputException(name(field), name(field) + " must be a string");
        }
        return value.stringValue();
    }

    Long optLong(String field, long min, long max) {
        return optLong(field, min, max, "a whole number");
    }

    /** {@link #optLong} of a duration given in seconds, which the error then names. */
    Long optSeconds(String field, long min, long max) {
        return optLong(field, min, max, "a whole number of seconds");
    }

    private Long optLong(String field, long min, long max, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw new InvalidInputException(name(field), name(field) + " must be " + what + " from " + min + " to " + max
                    + ", not " + shown(value));
        }
        return value.longValue();
    }

    /** A value the caller sent, as an error quotes it: a string in quotes, anything else as its JSON. */
    private static String shown(JsonNode value) {
        return value.isString() ? "'" + LogText.escape(value.asString()) + "'" : LogText.escape(ParleyJson.write(value));
    }

    Double optDouble(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidInputException(name(field), name(field) + " must be a number");
        }
        return doubleOf(value);
    }

    /**
     * A JSON number as a double, infinite when beyond a double's range: Jackson's {@code doubleValue()} throws for a
     * big integer or decimal out of range, which the error mapper would report as "not valid JSON" without naming the
     * field. An infinite value fails the callers' range checks, which do name it.
     */
    static double doubleOf(JsonNode number) {
        return number.isBigInteger() || number.isBigDecimal() ? number.decimalValue().doubleValue() : number.doubleValue();
    }

    Boolean optBool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(name(field), name(field) + " must be true or false");
        }
        return value.booleanValue();
    }

    Body object(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return of(value, name(field));
    }

    /** An object of string values; {@code null} when absent. */
    Map<String, String> stringMap(String field) {
        Map<String, String> patch = stringPatch(field);
        if (patch == null) {
            return null;
        }
        patch.forEach((k, v) -> {
            if (v == null) {
                throw new InvalidInputException(name(field) + "." + k, name(field) + "." + LogText.escape(k) + " must be a string");
            }
        });
        return patch;
    }

    /** An object of string values where {@code null} means "remove" (a JSON merge patch); {@code null} when absent. */
    Map<String, String> stringPatch(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidInputException(name(field), name(field) + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            JsonNode v = e.getValue();
            if (!v.isNull() && !v.isString()) {
                throw new InvalidInputException(name(field) + "." + e.getKey(), name(field) + "." + LogText.escape(e.getKey())
                        + " must be a string" + (v.isNumber() || v.isBoolean() ? " (write it in quotes)" : ""));
            }
            out.put(e.getKey(), v.isNull() ? null : v.stringValue());
        }
        return out;
    }

    List<String> strings(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new InvalidInputException(name(field), name(field) + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString()) {
                throw new InvalidInputException(name(field) + "[" + i + "]", name(field) + "[" + i + "] must be a string");
            }
            out.add(value.get(i).stringValue());
        }
        return out;
    }
}
