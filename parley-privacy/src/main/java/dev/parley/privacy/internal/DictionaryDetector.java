package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.Finding;
import org.ahocorasick.trie.Trie;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A configured list of terms (names, project code names, customer ids), found as whole words in one Aho-Corasick pass
 * however many terms there are. Matching ignores case unless told otherwise; so does the normalisation, so
 * "Orion" and "ORION" share one placeholder.
 */
public final class DictionaryDetector implements Detector {
    private final String type;
    private final boolean ignoreCase;
    private final double score;
    private final Trie trie;

    public DictionaryDetector(String type, Collection<String> terms, boolean ignoreCase, double score) {
        this.type = type;
        this.ignoreCase = ignoreCase;
        this.score = score;
        Trie.TrieBuilder builder = Trie.builder();
        if (ignoreCase) {
            builder.ignoreCase();
        }
        for (String term : terms) {
            builder.addKeyword(ignoreCase ? term.toLowerCase(Locale.ROOT) : term);
        }
        this.trie = builder.build();
    }

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        trie.parseText(text, emit -> {
            int end = emit.getEnd() + 1;
            if (Chars.wordStartsAt(text, emit.getStart()) && Chars.wordEndsAt(text, end)) {
                out.add(new Finding(type, emit.getStart(), end, score));
            }
            return true;
        });
        return out;
    }

    @Override
    public String normalise(String type, String value) {
        return this.type.equals(type) && ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    }

    @Override
    public String toString() {
        return "DictionaryDetector[" + type + "]";
    }
}
