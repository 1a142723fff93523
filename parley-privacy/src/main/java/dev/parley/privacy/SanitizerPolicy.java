package dev.parley.privacy;

import dev.parley.InvalidInputException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The action the {@link Sanitizer} takes per entity type. {@link #defaults()} pseudonymises everything (nothing is
 * kept); change single types with {@link #with(String, Action)}:
 *
 * <pre>{@code
 * SanitizerPolicy policy = SanitizerPolicy.defaults()
 *         .with(EntityType.SECRET, Action.REDACT)
 *         .with(EntityType.IP_ADDRESS, Action.KEEP);
 * }</pre>
 *
 * @param actions   the actions of the types named explicitly
 * @param otherwise the action of every other type
 */
public record SanitizerPolicy(Map<String, Action> actions, Action otherwise) {
    public SanitizerPolicy {
        Objects.requireNonNull(actions, "actions");
        if (otherwise == null) {
            throw new InvalidInputException("otherwise", "the default action must not be null");
        }
        actions.forEach((type, action) -> requireSettable(type, action));
        actions = Map.copyOf(actions);
    }

    /** Pseudonymise every type. */
    public static SanitizerPolicy defaults() {
        return new SanitizerPolicy(Map.of(), Action.PSEUDONYMISE);
    }

    /** Apply {@code action} to every type not named explicitly. */
    public static SanitizerPolicy otherwise(Action action) {
        return new SanitizerPolicy(Map.of(), action);
    }

    /** A copy of this policy that applies {@code action} to {@code type}. */
    public SanitizerPolicy with(String type, Action action) {
        requireSettable(type, action);
        Map<String, Action> copy = new LinkedHashMap<>(actions);
        copy.put(type, action);
        return new SanitizerPolicy(copy, otherwise);
    }

    public Action actionFor(String type) {
        if (EntityType.LITERAL.equals(type)) {
            return Action.PSEUDONYMISE;
        }
        return actions.getOrDefault(type, otherwise);
    }

    private static void requireSettable(String type, Action action) {
        EntityType.requireValid(type);
        if (action == null) {
            throw new InvalidInputException("action", "the action of type " + type + " must not be null");
        }
        if (EntityType.LITERAL.equals(type)) {
            throw new InvalidInputException("type", "type LITERAL is the sanitiser's own escape and is always pseudonymised;"
                    + " it cannot be given an action");
        }
    }
}
