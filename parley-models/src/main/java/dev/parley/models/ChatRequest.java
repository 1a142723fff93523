package dev.parley.models;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One call to a model: the model's name ({@code null} means the adapter's default model), the history in the
 * neutral form, the tools the model may call, and the sampling parameters.
 */
public record ChatRequest(String model, List<Message> messages, List<ToolSpec> tools, ModelParams params) {

    public ChatRequest {
        if (model != null && model.isBlank()) {
            throw new InvalidInputException("model", "model must not be blank (null means the adapter's default model)");
        }
        if (messages == null || messages.isEmpty()) {
            throw new InvalidInputException("messages", "a chat request needs at least one message");
        }
        if (messages.stream().anyMatch(Objects::isNull)) {
            throw new InvalidInputException("messages", "messages must not contain null");
        }
        messages = List.copyOf(messages);
        tools = List.copyOf(Objects.requireNonNullElse(tools, List.of()));
        Set<String> names = new HashSet<>();
        for (ToolSpec tool : tools) {
            if (!names.add(tool.name())) {
                throw new InvalidInputException("tools", "two tools are named '" + tool.name() + "'");
            }
        }
        params = Objects.requireNonNullElse(params, ModelParams.NONE);
    }

    public static ChatRequest of(String model, List<Message> messages) {
        return new ChatRequest(model, messages, List.of(), ModelParams.NONE);
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(newModel, messages, tools, params);
    }

    public ChatRequest withMessages(List<Message> newMessages) {
        return new ChatRequest(model, newMessages, tools, params);
    }

    public ChatRequest withTools(List<ToolSpec> newTools) {
        return new ChatRequest(model, messages, newTools, params);
    }

    public ChatRequest withParams(ModelParams newParams) {
        return new ChatRequest(model, messages, tools, newParams);
    }
}
