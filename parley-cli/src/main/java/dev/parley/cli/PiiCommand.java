package dev.parley.cli;

import dev.parley.json.ParleyJson;
import dev.parley.privacy.Action;
import dev.parley.privacy.Detector;
import dev.parley.privacy.Detectors;
import dev.parley.privacy.Finding;
import dev.parley.privacy.InMemoryPlaceholderBook;
import dev.parley.privacy.PlaceholderBook;
import dev.parley.privacy.Sanitizer;
import dev.parley.privacy.SanitizerPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code parley pii scan|redact}: the detectors and the sanitiser on standard input. Without {@code --jsonl} the whole
 * input is one text and gives one result; with it, every non-blank line is a JSON object with a {@code "text"} field
 * and gives one result line, in order. A malformed line stops the command with an error naming its number (the results
 * of earlier lines are already printed).
 */
@Command(name = "pii", mixinStandardHelpOptions = true, description = "Find, or replace, personal data and secrets in text read from stdin.",
        subcommands = {PiiCommand.Scan.class, PiiCommand.Redact.class})
final class PiiCommand {

    /** What both subcommands take: the input format and the detectors. */
    static final class Input {
        @Option(names = "--jsonl", description = "Read JSON lines with a \"text\" field and print one result line for each"
                + " (blank lines are skipped). Without it, all of stdin is one text.")
        boolean jsonl;

        @Option(names = "--region", paramLabel = "CC", split = ",",
                description = "Phone regions whose national numbers are found, e.g. GB (repeatable; default US,GB,DE,FR).")
        List<String> regions;

        @Option(names = "--regex", paramLabel = "TYPE=PATTERN",
                description = "A custom detector for an RE2 pattern, e.g. EMPLOYEE_ID=EMP-[0-9]{6} (repeatable).")
        List<String> regexes;

        @Option(names = "--terms", paramLabel = "TYPE=TERM[,TERM…]",
                description = "A custom detector for whole words, ignoring case, e.g. CODENAME=Orion,Blue Falcon (repeatable).")
        List<String> terms;

        Detector detector() {
            List<Detector> detectors = new ArrayList<>();
            detectors.add(regions == null ? Detectors.defaults() : Detectors.defaults(regions.stream().map(String::strip).toList()));
            for (String regex : regexes == null ? List.<String>of() : regexes) {
                String[] pair = typeAndValue(regex, "--regex", "TYPE=PATTERN");
                detectors.add(Detectors.regex(pair[0], pair[1]));
            }
            for (String dictionary : terms == null ? List.<String>of() : terms) {
                String[] pair = typeAndValue(dictionary, "--terms", "TYPE=TERM[,TERM…]");
                detectors.add(Detectors.dictionary(pair[0], List.of(pair[1].split(","))));
            }
            return Detectors.combine(detectors);
        }

        /** Applies {@code f} to the input: the whole of stdin, or each JSON line's {@code text}, printing each result. */
        void each(PrintWriter out, Function<String, String> wholeText, Function<ObjectNode, JsonNode> jsonLine) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(SessionsCommand.stdin, StandardCharsets.UTF_8));
            try {
                if (!jsonl) {
                    out.print(wholeText.apply(readAll(reader)));
                    out.flush();
                    return;
                }
                int number = 0;
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    out.println(ParleyJson.write(jsonLine.apply(parse(line, number))));
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read stdin: " + e.getMessage(), e);
            }
        }

        private static String readAll(BufferedReader reader) throws IOException {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                text.append(buffer, 0, n);
            }
            return text.toString();
        }

        private static ObjectNode parse(String line, int number) {
            JsonNode node;
            try {
                node = ParleyJson.mapper().readTree(line);
            } catch (JacksonException e) {
                throw new CliException("line " + number + " is not valid JSON: " + ParleyJson.describe(e));
            }
            if (!(node instanceof ObjectNode object) || !object.path("text").isString()) {
                throw new CliException("line " + number + " must be a JSON object with a string \"text\" field");
            }
            return object;
        }
    }

    private static String[] typeAndValue(String option, String name, String form) {
        int eq = option.indexOf('=');
        if (eq < 1 || eq == option.length() - 1) {
            throw new CliException(name + " must be " + form + ", got '" + option + "'");
        }
        return new String[]{option.substring(0, eq).strip(), option.substring(eq + 1)};
    }

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Print what the detectors find, one JSON line per input:",
                    "{\"findings\":[{\"type\":\"EMAIL\",\"start\":10,\"end\":27,\"score\":1.0}]}",
                    "Offsets count UTF-16 code units of the text; end is exclusive."})
    static final class Scan implements Callable<Integer> {
        @Mixin
        Input input;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Detector detector = input.detector();
            PrintWriter out = spec.commandLine().getOut();
            input.each(out, text -> ParleyJson.write(findings(detector, text)) + System.lineSeparator(),
                    line -> findings(detector, line.path("text").stringValue()));
            return 0;
        }

        private static ObjectNode findings(Detector detector, String text) {
            ObjectNode result = ParleyJson.object();
            ArrayNode list = result.putArray("findings");
            detector.detect(text).stream().sorted(Comparator.comparingInt(Finding::start)).forEach(f -> list.addObject()
                    .put("type", f.type()).put("start", f.start()).put("end", f.end()).put("score", f.score()));
            return result;
        }
    }

    @Command(name = "redact", mixinStandardHelpOptions = true,
            description = {"Print the text with what the detectors find replaced (as a model would see it).",
                    "With --jsonl, each line is printed back with its \"text\" replaced. One run keeps one set of",
                    "placeholders, so a value gets the same <TYPE_n> on every line."})
    static final class Redact implements Callable<Integer> {
        @Mixin
        Input input;

        @Spec
        CommandSpec spec;

        @Option(names = "--action", paramLabel = "[TYPE=]ACTION",
                description = "pseudonymise (the default: <EMAIL_1>), redact ([REDACTED_EMAIL]), mask (****1111) or keep;"
                        + " for every type, or for one with TYPE=ACTION (repeatable).")
        List<String> actions;

        @Override
        public Integer call() {
            Sanitizer sanitizer = Sanitizer.builder().detector(input.detector()).policy(policy()).build();
            PlaceholderBook book = new InMemoryPlaceholderBook();
            input.each(spec.commandLine().getOut(), text -> sanitizer.sanitize(text, book).text(),
                    line -> line.deepCopy().put("text", sanitizer.sanitize(line.path("text").stringValue(), book).text()));
            return 0;
        }

        private SanitizerPolicy policy() {
            SanitizerPolicy policy = SanitizerPolicy.defaults();
            for (String item : actions == null ? List.<String>of() : actions) {
                int eq = item.indexOf('=');
                if (eq < 0) {
                    policy = new SanitizerPolicy(policy.actions(), action(item));
                } else {
                    String[] pair = typeAndValue(item, "--action", "ACTION or TYPE=ACTION");
                    policy = policy.with(pair[0], action(pair[1]));
                }
            }
            return policy;
        }

        private static Action action(String name) {
            String normalised = name.strip().toUpperCase(Locale.ROOT).replace("PSEUDONYMIZE", "PSEUDONYMISE");
            for (Action action : Action.values()) {
                if (action.name().equals(normalised)) {
                    return action;
                }
            }
            throw new CliException("--action must be one of pseudonymise, redact, mask, keep (optionally TYPE=ACTION), got '"
                    + name + "'");
        }
    }
}
