package dev.parley.store.jsonl;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Arrays;

/**
 * What every line of every file shares: a format version {@code "v"} first, so later versions can
 * read files written by this one (and this one refuses, clearly, files written by a later one).
 */
final class Lines {
    /** The format this version writes. Readers accept every version up to their own. */
    static final int FORMAT = 1;

    private Lines() {
    }

    /** A new line: {@code {"v":1, "op": op, …}}. */
    static ObjectNode start(String op) {
        ObjectNode line = ParleyJson.object();
        line.put("v", FORMAT);
        line.put("op", op);
        return line;
    }

    /** The bytes of a line as written: compact JSON (no raw newline can occur inside) and a newline. */
    static byte[] bytes(JsonNode line) {
        byte[] json = ParleyJson.mapper().writeValueAsBytes(line);
        byte[] out = Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    /** The operation of a loaded line, after checking its format version. */
    static String op(JsonNode line) {
        long version = Fields.integer(line, "v");
        if (version > FORMAT) {
            throw new IllegalArgumentException("format version " + version + " was written by a newer Parley; this one reads"
                    + " versions 1 to " + FORMAT);
        }
        if (version < 1) {
            throw new IllegalArgumentException("format version must be a positive integer: " + version);
        }
        return Fields.string(line, "op");
    }
}
