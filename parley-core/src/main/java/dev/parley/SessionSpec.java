package dev.parley;

import dev.parley.domain.Message;
import dev.parley.domain.Role;
import dev.parley.domain.SessionId;
import dev.parley.domain.UserId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to create a session. Everything is optional: a session with a generated id for the anonymous
 * user is {@code SessionSpec.builder().build()}.
 */
public record SessionSpec(SessionId id, UserId user, String systemPrompt, List<Message> initialPrompts,
                          Map<String, String> metadata, Map<String, Object> state, Duration ttl, Duration idleTtl,
                          int checkpointEvery, Map<String, String> modelDefaults, Long tokenBudget,
                          Map<String, String> settings) {

    public SessionSpec {
        initialPrompts = List.copyOf(initialPrompts);
        metadata = Map.copyOf(metadata);
        state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
        modelDefaults = Map.copyOf(modelDefaults);
        settings = Map.copyOf(settings);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private SessionId id;
        private UserId user;
        private String systemPrompt;
        private final List<Message> initialPrompts = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, Object> state = new LinkedHashMap<>();
        private Duration ttl;
        private Duration idleTtl;
        private int checkpointEvery;
        private final Map<String, String> modelDefaults = new LinkedHashMap<>();
        private Long tokenBudget;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder id(SessionId value) {
            this.id = value;
            return this;
        }

        public Builder id(String value) {
            return id(SessionId.of(value));
        }

        public Builder user(UserId value) {
            this.user = value;
            return this;
        }

        public Builder user(String value) {
            return user(UserId.of(value));
        }

        public Builder systemPrompt(String value) {
            this.systemPrompt = value;
            return this;
        }

        /** Messages that follow the system prompt in every context (few-shot examples, standing instructions). */
        public Builder initialPrompt(Message message) {
            initialPrompts.add(message);
            return this;
        }

        public Builder initialPrompts(List<Message> messages) {
            initialPrompts.addAll(messages);
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public Builder metadata(Map<String, String> values) {
            metadata.putAll(values);
            return this;
        }

        /** Initial session-scope state; restored by {@code clear()}. */
        public Builder state(String key, Object value) {
            state.put(key, value);
            return this;
        }

        public Builder state(Map<String, ?> values) {
            state.putAll(values);
            return this;
        }

        /** Absolute lifetime from creation. */
        public Builder ttl(Duration value) {
            this.ttl = value;
            return this;
        }

        /** Expiry after this long without a write. */
        public Builder idleTtl(Duration value) {
            this.idleTtl = value;
            return this;
        }

        /** Checkpoint automatically ({@code auto/<seq>}) every {@code n} messages on a path; 0 turns it off. */
        public Builder checkpointEvery(int n) {
            this.checkpointEvery = n;
            return this;
        }

        /** This session's own lifetime token budget (overrides the Parley-wide per-session limit). */
        public Builder tokenBudget(long tokens) {
            if (tokens < 1) {
                throw new InvalidInputException("tokenBudget", "tokenBudget must be >= 1: " + tokens);
            }
            this.tokenBudget = tokens;
            return this;
        }

        /**
         * An engine setting written with the session (modules keep their switches here, e.g.
         * {@code privacy.sanitize}); keys are 1-64 characters of {@code [a-zA-Z0-9_.]}.
         */
        public Builder setting(String key, String value) {
            requireSettingKey("setting", "setting keys", key, value);
            settings.put(key, value);
            return this;
        }

        /** A default for model calls of this session (e.g. {@code model}, {@code provider}, {@code temperature}). */
        public Builder modelDefault(String key, String value) {
            modelDefaults.put(key, value);
            return this;
        }

        public Builder modelDefaults(Map<String, String> values) {
            modelDefaults.putAll(values);
            return this;
        }

        public SessionSpec build() {
            if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
                throw new InvalidInputException("ttl", "ttl must be positive: " + ttl);
            }
            if (idleTtl != null && (idleTtl.isZero() || idleTtl.isNegative())) {
                throw new InvalidInputException("idleTtl", "idleTtl must be positive: " + idleTtl);
            }
            if (checkpointEvery < 0) {
                throw new InvalidInputException("checkpointEvery", "checkpointEvery must be >= 0: " + checkpointEvery);
            }
            if (systemPrompt != null && systemPrompt.isBlank()) {
                throw new InvalidInputException("systemPrompt", "systemPrompt must not be blank when given");
            }
            for (Message m : initialPrompts) {
                if (m.role() == Role.SYSTEM && systemPrompt != null) {
                    throw new InvalidInputException("initialPrompts",
                            "initial prompts must not repeat the system role when systemPrompt is given");
                }
            }
            Metadatas.validate(metadata);
            modelDefaults.forEach((k, v) -> requireSettingKey("modelDefaults", "model default keys", k, v));
            return new SessionSpec(id, user, systemPrompt, initialPrompts, metadata, state, ttl, idleTtl, checkpointEvery,
                    modelDefaults, tokenBudget, settings);
        }

        private static final java.util.regex.Pattern SETTING_KEY = java.util.regex.Pattern.compile("[a-zA-Z][a-zA-Z0-9_.]{0,63}");

        private static void requireSettingKey(String field, String what, String key, String value) {
            if (key == null || !SETTING_KEY.matcher(key).matches() || value == null) {
                throw new InvalidInputException(field, what + " must be 1-64 characters of [a-zA-Z0-9_.] with a value: " + key);
            }
        }
    }
}
