package dev.parley.template;

import dev.parley.InvalidInputException;
import dev.parley.SessionSpec;
import dev.parley.domain.Message;
import dev.parley.domain.Part;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named recipe for sessions: a system prompt with {@code {{variables}}}, initial prompts, metadata
 * and model defaults. {@link #apply} fills the variables (all must be given) and returns a spec
 * builder to add the user, id, TTL and so on.
 */
public record SessionTemplate(String name, String description, String systemPrompt, List<Message> initialPrompts,
                              Map<String, String> metadata, Map<String, String> modelDefaults) {
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public SessionTemplate {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("template name", "template name must be 1-64 characters of [a-z0-9-]: " + name);
        }
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        initialPrompts = List.copyOf(initialPrompts);
        metadata = Map.copyOf(metadata);
        modelDefaults = Map.copyOf(modelDefaults);
    }

    /** Every variable the template uses. */
    public Set<String> variables() {
        Set<String> found = new TreeSet<>();
        collect(systemPrompt, found);
        initialPrompts.forEach(m -> collect(m.text(), found));
        metadata.values().forEach(v -> collect(v, found));
        return found;
    }

    private static void collect(String text, Set<String> into) {
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    /** A spec builder with the variables filled in; a missing variable is an error naming it. */
    public SessionSpec.Builder apply(Map<String, String> variables) {
        Set<String> missing = new TreeSet<>(variables());
        missing.removeAll(variables.keySet());
        if (!missing.isEmpty()) {
            throw new InvalidInputException("template variable", "template " + name + " needs variable"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing));
        }
        List<Message> prompts = new ArrayList<>();
        for (Message m : initialPrompts) {
            List<Part> parts = m.parts().stream()
                    .map(p -> p instanceof Part.Text t ? (Part) new Part.Text(fill(t.text(), variables)) : p).toList();
            prompts.add(new Message(m.role(), parts, m.name(), m.metadata()));
        }
        Map<String, String> filledMetadata = new LinkedHashMap<>();
        metadata.forEach((k, v) -> filledMetadata.put(k, fill(v, variables)));
        filledMetadata.put("template", name);
        return SessionSpec.builder().systemPrompt(fill(systemPrompt, variables)).initialPrompts(prompts)
                .metadata(filledMetadata).modelDefaults(modelDefaults);
    }

    private static String fill(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(variables.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
