package dev.parley.bench.privacy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled corpus: texts with the spans of the sensitive entities in them (known by construction) and of the hard
 * negatives, things that look like an entity and are not. Stored as JSON lines: a header line
 * {@code {"corpus":"parley-privacy","version":1,"seed":…,"samples":…,"generator":"…"}}, then one line per sample,
 * {@code {"kind":"chat","text":"…","gold":[["EMAIL",10,31,"upper"],…],"neg":[["UUID",40,76],…]}}. Offsets count UTF-16
 * code units, end exclusive, as {@link dev.parley.privacy.Finding}'s do.
 *
 * @param seed      the generator's seed
 * @param generator what made it (the generator's version and the Datafaker version), so a reader knows how to remake it
 */
record Corpus(long seed, String generator, List<Sample> samples) {
    static final String NAME = "parley-privacy";
    static final int VERSION = 1;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    Corpus {
        samples = List.copyOf(samples);
    }

    /** A labelled span; {@code form} says how an entity was written (e.g. {@code "GB +44 (0)"}), empty for negatives. */
    record Span(String type, int start, int end, String form) {
        boolean overlaps(int otherStart, int otherEnd) {
            return start < otherEnd && otherStart < end;
        }
    }

    /** One text; {@code kind} is its template family (chat, email, ticket, config, log, prose). */
    record Sample(String kind, String text, List<Span> gold, List<Span> negatives) {
        Sample {
            gold = List.copyOf(gold);
            negatives = List.copyOf(negatives);
        }
    }

    /** Total characters of all texts. */
    long characters() {
        return samples.stream().mapToLong(s -> s.text().length()).sum();
    }

    /** Total UTF-8 bytes of all texts: what MB/s counts. */
    long utf8Bytes() {
        return samples.stream().mapToLong(s -> s.text().getBytes(StandardCharsets.UTF_8).length).sum();
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            ObjectNode header = JSON.createObjectNode().put("corpus", NAME).put("version", VERSION).put("seed", seed)
                    .put("samples", samples.size()).put("generator", generator);
            out.write(JSON.writeValueAsString(header));
            out.write('\n');
            for (Sample sample : samples) {
                ObjectNode line = JSON.createObjectNode().put("kind", sample.kind()).put("text", sample.text());
                ArrayNode gold = line.putArray("gold");
                for (Span span : sample.gold()) {
                    gold.addArray().add(span.type()).add(span.start()).add(span.end()).add(span.form());
                }
                ArrayNode negatives = line.putArray("neg");
                for (Span span : sample.negatives()) {
                    negatives.addArray().add(span.type()).add(span.start()).add(span.end());
                }
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        }
    }

    /** Reads a corpus written by {@link #write}; a malformed line is an error naming the file and the line. */
    static Corpus read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + " is empty: expected a " + NAME + " corpus");
            }
            JsonNode header = JSON.readTree(first);
            if (!NAME.equals(header.path("corpus").asString("")) || header.path("version").asInt(-1) != VERSION) {
                throw new IOException(file + " line 1 is not the header of a " + NAME + " corpus, version " + VERSION + ": " + first);
            }
            List<Sample> samples = new ArrayList<>();
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                samples.add(sample(JSON.readTree(line), file, number));
            }
            if (samples.size() != header.path("samples").asInt(-1)) {
                throw new IOException(file + " holds " + samples.size() + " samples, its header says " + header.path("samples"));
            }
            return new Corpus(header.path("seed").asLong(), header.path("generator").asString(""), samples);
        }
    }

    private static Sample sample(JsonNode node, Path file, int line) throws IOException {
        String text = node.path("text").asString(null);
        if (text == null || !node.path("gold").isArray() || !node.path("neg").isArray()) {
            throw new IOException(file + " line " + line + " needs text, gold and neg");
        }
        return new Sample(node.path("kind").asString(""), text, spans(node.get("gold"), text, file, line),
                spans(node.get("neg"), text, file, line));
    }

    private static List<Span> spans(JsonNode array, String text, Path file, int line) throws IOException {
        List<Span> spans = new ArrayList<>();
        for (JsonNode span : array) {
            int start = span.path(1).asInt(-1);
            int end = span.path(2).asInt(-1);
            if (start < 0 || end <= start || end > text.length()) {
                throw new IOException(file + " line " + line + " has a span outside its text: " + span);
            }
            spans.add(new Span(span.path(0).asString(""), start, end, span.path(3).asString("")));
        }
        return spans;
    }
}
