package dev.parley.models.tools;

import dev.parley.InvalidInputException;
import dev.parley.domain.Part;
import dev.parley.json.ParleyJson;
import dev.parley.models.ToolSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tools a model may call, each bound to Java code, with the JSON schema of its arguments generated from the
 * Java types.
 *
 * <pre>{@code
 * record Weather(@ToolParam(description = "City name") String city, Optional<Unit> unit) {}
 *
 * ToolRegistry tools = new ToolRegistry()
 *         .register("get_weather", "Current weather in a city", Weather.class, w -> forecast.now(w.city()))
 *         .register(new CalendarTools());   // its @Tool methods
 * }</pre>
 *
 * {@link #execute} never throws for a tool's own failure: an unknown tool, arguments that are not JSON or do not
 * fit the schema, and an exception in the tool all become an error result the model can read and react to.
 * A tool's return value is sent as is when it is text, as JSON otherwise; {@code void} or {@code null} sends
 * an empty result. Thread-safe; register tools before handing the registry to a {@link ToolLoop}.
 */
public final class ToolRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ToolRegistry.class);

    private final Map<String, RegisteredTool> tools = new LinkedHashMap<>();

    /** Registers every {@link Tool}-annotated method of {@code bean}; a bean without one is an error. */
    public synchronized ToolRegistry register(Object bean) {
        Objects.requireNonNull(bean, "bean");
        List<RegisteredTool> found = new ArrayList<>();
        for (Class<?> type = bean.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                Tool annotation = method.getAnnotation(Tool.class);
                if (annotation != null) {
                    found.add(RegisteredTool.MethodTool.of(bean, method, annotation));
                }
            }
        }
        if (found.isEmpty()) {
            throw new InvalidInputException("tool", bean.getClass().getName() + " has no @Tool method");
        }
        found.sort((a, b) -> a.spec.name().compareTo(b.spec.name()));
        Map<String, RegisteredTool> added = new LinkedHashMap<>();
        for (RegisteredTool tool : found) {
            checkNew(tool);
            if (added.put(tool.spec.name(), tool) != null) {
                throw new InvalidInputException("tool", bean.getClass().getName() + " has two tools named '" + tool.spec.name() + "'");
            }
        }
        tools.putAll(added);
        return this;
    }

    /**
     * Registers a function of one record: the record's components are the tool's arguments (annotate them with
     * {@link ToolParam} to describe them), and the model's arguments are bound to a record instance.
     */
    public synchronized <R extends Record> ToolRegistry register(String name, String description, Class<R> argumentType,
                                                                 Function<R, ?> function) {
        Objects.requireNonNull(argumentType, "argumentType");
        Objects.requireNonNull(function, "function");
        RegisteredTool tool = new RegisteredTool.RecordTool<>(name, description, argumentType, function);
        checkNew(tool);
        tools.put(name, tool);
        return this;
    }

    /** The specs to send to a model, in registration order. */
    public synchronized List<ToolSpec> specs() {
        return tools.values().stream().map(t -> t.spec).toList();
    }

    public synchronized Optional<ToolSpec> spec(String name) {
        return Optional.ofNullable(tools.get(name)).map(t -> t.spec);
    }

    /** Runs one call and answers it; failures of any kind are an error result naming what went wrong. */
    public Part.ToolResult execute(Part.ToolCall call) {
        RegisteredTool tool;
        synchronized (this) {
            tool = tools.get(call.name());
        }
        if (tool == null) {
            return error(call, "unknown tool '" + call.name() + "'; the tools are: " + String.join(", ", names()));
        }
        ObjectNode arguments;
        try {
            JsonNode parsed = call.arguments().isBlank() ? ParleyJson.object() : ParleyJson.mapper().readTree(call.arguments());
            if (!(parsed instanceof ObjectNode object)) {
                return error(call, "the arguments of tool '" + call.name() + "' must be a JSON object");
            }
            arguments = object;
        } catch (JacksonException e) {
            return error(call, "the arguments of tool '" + call.name() + "' are not valid JSON: " + ParleyJson.describe(e));
        }
        for (String name : tool.required) {
            if (!arguments.hasNonNull(name)) {
                return error(call, "tool '" + call.name() + "' needs the argument '" + name + "'");
            }
        }
        Object value;
        try {
            value = tool.invoke(arguments);
        } catch (JacksonException e) {
            return error(call, "the arguments of tool '" + call.name() + "' do not fit its schema: " + ParleyJson.describe(e));
        } catch (Exception e) {
            // Only the type: the message may quote the arguments; it reaches the model and the caller in the result.
            LOG.warn("tool '{}' failed with {}", call.name(), e.getClass().getName());
            return error(call, "tool '" + call.name() + "' failed: " + describe(e));
        }
        return new Part.ToolResult(call.id(), render(value), false);
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String render(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        return ParleyJson.mapper().writeValueAsString(value);
    }

    private static Part.ToolResult error(Part.ToolCall call, String message) {
        return new Part.ToolResult(call.id(), message, true);
    }

    private synchronized List<String> names() {
        return List.copyOf(tools.keySet());
    }

    private void checkNew(RegisteredTool tool) {
        if (tools.containsKey(tool.spec.name())) {
            throw new InvalidInputException("tool", "a tool named '" + tool.spec.name() + "' is already registered");
        }
    }
}
