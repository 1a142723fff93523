package dev.parley.models.chat;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.models.ModelParams;

import java.util.Objects;

/**
 * One chat turn: the user's message and, optionally, another provider or model for this call only,
 * per-call parameters, the branch (default {@code main}) and an idempotency key.
 */
public record TurnOptions(Message message, String provider, String model, ModelParams params, String branch,
                          String idempotencyKey) {
    public TurnOptions {
        Objects.requireNonNull(message, "message");
        if (message.role() != dev.parley.domain.Role.USER) {
            throw new InvalidInputException("message", "a chat turn starts with a user message, not " + message.role().wireName());
        }
        params = Objects.requireNonNullElse(params, ModelParams.NONE);
        branch = branch == null ? Names.MAIN : Names.branch(branch);
    }

    public static TurnOptions of(String text) {
        return new TurnOptions(Message.user(Objects.requireNonNull(text, "text")), null, null, null, null, null);
    }

    public TurnOptions provider(String name, String modelName) {
        return new TurnOptions(message, name, modelName, params, branch, idempotencyKey);
    }

    public TurnOptions params(ModelParams newParams) {
        return new TurnOptions(message, provider, model, newParams, branch, idempotencyKey);
    }

    public TurnOptions branch(String name) {
        return new TurnOptions(message, provider, model, params, name, idempotencyKey);
    }

    public TurnOptions idempotencyKey(String key) {
        return new TurnOptions(message, provider, model, params, branch, key);
    }
}
