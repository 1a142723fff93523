package dev.parley.privacy;

import dev.parley.InvalidInputException;
import dev.parley.privacy.internal.Placeholders;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link PlaceholderBook} held in memory. Good for one process and for tests; a session that outlives the process
 * needs the vault-backed book, which can also rebuild one of these from its rows with
 * {@link #InMemoryPlaceholderBook(Collection, Collection)}.
 */
public final class InMemoryPlaceholderBook implements PlaceholderBook {
    private final Map<String, Map<String, Mapping>> byTypeAndKey = new HashMap<>();
    private final Map<String, Mapping> byPlaceholder = new HashMap<>();
    private final Set<String> reserved = new HashSet<>();
    private final Map<String, Long> nextIndex = new HashMap<>();
    private final List<Mapping> inIssueOrder = new ArrayList<>();
    private int longest;

    public InMemoryPlaceholderBook() {
    }

    /**
     * A book that already holds {@code issued} and {@code reserved}; new placeholders of a type continue after the
     * highest index issued for it. Fails, changing nothing, when two mappings share a placeholder or a (type, key).
     */
    public InMemoryPlaceholderBook(Collection<Mapping> issued, Collection<String> reserved) {
        Objects.requireNonNull(issued, "issued");
        Objects.requireNonNull(reserved, "reserved");
        for (Mapping mapping : issued) {
            Objects.requireNonNull(mapping, "mapping");
            if (byPlaceholder.containsKey(mapping.placeholder())) {
                throw new InvalidInputException("issued", "placeholder " + mapping.placeholder() + " is issued twice");
            }
            if (keysOf(mapping.type()).containsKey(mapping.key())) {
                throw new InvalidInputException("issued", "two placeholders of type " + mapping.type()
                        + " share one key: " + keysOf(mapping.type()).get(mapping.key()).placeholder() + " and " + mapping.placeholder());
            }
            record(mapping);
            nextIndex.merge(mapping.type(), mapping.index() + 1, Math::max);
        }
        for (String placeholder : reserved) {
            if (placeholder == null || !Placeholders.isPlaceholder(placeholder)) {
                throw new InvalidInputException("reserved", "a reserved placeholder must look like <TYPE_n>, got '" + placeholder + "'");
            }
            if (!byPlaceholder.containsKey(placeholder)) {
                this.reserved.add(placeholder);
            }
        }
    }

    @Override
    public synchronized Issue placeholderFor(String type, String key, String original) {
        EntityType.requireValid(type);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(original, "original");
        Mapping existing = keysOf(type).get(key);
        if (existing != null) {
            return new Issue(existing, false);
        }
        long index = nextIndex.getOrDefault(type, 1L);
        String placeholder = Placeholders.format(type, index);
        while (reserved.contains(placeholder) || byPlaceholder.containsKey(placeholder)) {
            index++;
            placeholder = Placeholders.format(type, index);
        }
        nextIndex.put(type, index + 1);
        Mapping mapping = new Mapping(placeholder, type, key, original);
        record(mapping);
        return new Issue(mapping, true);
    }

    @Override
    public synchronized Optional<String> originalOf(String placeholder) {
        Mapping mapping = byPlaceholder.get(placeholder);
        return mapping == null ? Optional.empty() : Optional.of(mapping.original());
    }

    @Override
    public synchronized boolean reserve(String placeholder) {
        if (placeholder == null || !Placeholders.isPlaceholder(placeholder)) {
            throw new InvalidInputException("placeholder", "only placeholder-shaped text <TYPE_n> can be reserved, got '" + placeholder + "'");
        }
        return !byPlaceholder.containsKey(placeholder) && reserved.add(placeholder);
    }

    @Override
    public synchronized int longestPlaceholderLength() {
        return longest;
    }

    /** Every mapping, oldest first. */
    public synchronized List<Mapping> mappings() {
        return List.copyOf(inIssueOrder);
    }

    /** The reserved placeholders. */
    public synchronized Set<String> reserved() {
        return Set.copyOf(reserved);
    }

    private Map<String, Mapping> keysOf(String type) {
        return byTypeAndKey.computeIfAbsent(type, t -> new HashMap<>());
    }

    private void record(Mapping mapping) {
        keysOf(mapping.type()).put(mapping.key(), mapping);
        byPlaceholder.put(mapping.placeholder(), mapping);
        reserved.remove(mapping.placeholder());
        inIssueOrder.add(mapping);
        longest = Math.max(longest, mapping.placeholder().length());
    }
}
