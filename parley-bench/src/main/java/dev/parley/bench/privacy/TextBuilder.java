package dev.parley.bench.privacy;

import java.util.ArrayList;
import java.util.List;

/** Builds a sample piece by piece, so every entity's and every negative's span is known by construction. */
final class TextBuilder {
    /**
     * A piece of generated text: an entity ({@code type} and {@code form}) or a negative ({@code type} is its kind).
     * {@code before} and {@code after} are written around it and are not part of its span (the brackets and port of
     * {@code [2001:db8::1]:443}).
     */
    record Value(String type, String text, String form, String before, String after) {
        Value(String type, String text, String form) {
            this(type, text, form, "", "");
        }
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Corpus.Span> gold = new ArrayList<>();
    private final List<Corpus.Span> negatives = new ArrayList<>();

    TextBuilder add(String plain) {
        text.append(plain);
        return this;
    }

    TextBuilder entity(Value value) {
        text.append(value.before());
        gold.add(new Corpus.Span(value.type(), text.length(), text.length() + value.text().length(), value.form()));
        text.append(value.text()).append(value.after());
        return this;
    }

    TextBuilder negative(Value value) {
        text.append(value.before());
        negatives.add(new Corpus.Span(value.type(), text.length(), text.length() + value.text().length(), ""));
        text.append(value.text()).append(value.after());
        return this;
    }

    /** Fills a template: each {@code {}} in {@code template} takes the next value, as an entity or a negative. */
    TextBuilder fill(String template, Value value, boolean isEntity) {
        int at = template.indexOf("{}");
        if (at < 0) {
            throw new IllegalArgumentException("template has no {}: " + template);
        }
        add(template.substring(0, at));
        if (isEntity) {
            entity(value);
        } else {
            negative(value);
        }
        return add(template.substring(at + 2));
    }

    int length() {
        return text.length();
    }

    Corpus.Sample build(String kind) {
        return new Corpus.Sample(kind, text.toString(), gold, negatives);
    }
}
