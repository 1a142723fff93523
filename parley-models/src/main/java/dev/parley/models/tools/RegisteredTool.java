package dev.parley.models.tools;

import dev.parley.InvalidInputException;
import dev.parley.json.ParleyJson;
import dev.parley.models.ToolSpec;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A tool bound to the Java code that runs it: its spec, and how arguments (already parsed and checked for
 * required fields) become a call. Arguments bind strictly, so a model's misspelt or mistyped argument comes
 * back to it as an error it can correct.
 */
abstract sealed class RegisteredTool {
    static final JsonMapper ARGUMENTS = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    final ToolSpec spec;
    final List<String> required;

    private RegisteredTool(ToolSpec spec) {
        this.spec = spec;
        List<String> names = new ArrayList<>();
        spec.schema().path("required").forEach(n -> names.add(n.asString()));
        this.required = List.copyOf(names);
    }

    /** Runs the tool; whatever it throws is the tool's failure. */
    abstract Object invoke(ObjectNode arguments) throws Exception;

    /** A function of one record, whose components are the arguments. */
    static final class RecordTool<R extends Record> extends RegisteredTool {
        private final Class<R> type;
        private final Function<R, ?> function;

        RecordTool(String name, String description, Class<R> type, Function<R, ?> function) {
            super(new ToolSpec(name, description, ParleyJson.write(new JsonSchemas(name).forRecord(type))));
            this.type = type;
            this.function = function;
        }

        @Override
        Object invoke(ObjectNode arguments) {
            return function.apply(ARGUMENTS.treeToValue(arguments, type));
        }
    }

    /** An annotated method of a bean; a single record parameter stands for its components. */
    static final class MethodTool extends RegisteredTool {
        private final Object bean;
        private final Method method;
        private final List<JsonSchemas.Property> parameters;
        private final boolean recordArgument;

        private MethodTool(ToolSpec spec, Object bean, Method method, List<JsonSchemas.Property> parameters, boolean recordArgument) {
            super(spec);
            this.bean = bean;
            this.method = method;
            this.parameters = parameters;
            this.recordArgument = recordArgument;
        }

        static MethodTool of(Object bean, Method method, Tool annotation) {
            String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
            if (Modifier.isStatic(method.getModifiers()) || !method.trySetAccessible()) {
                throw new InvalidInputException("tool", "tool '" + name + "': " + method + " must be an accessible instance method");
            }
            Parameter[] params = method.getParameters();
            JsonSchemas schemas = new JsonSchemas(name);
            if (params.length == 1 && params[0].getType().isRecord() && params[0].getAnnotation(ToolParam.class) == null) {
                ToolSpec spec = new ToolSpec(name, annotation.description(), ParleyJson.write(schemas.forRecord(params[0].getType())));
                return new MethodTool(spec, bean, method, List.of(), true);
            }
            List<JsonSchemas.Property> properties = new ArrayList<>();
            for (Parameter p : params) {
                ToolParam param = p.getAnnotation(ToolParam.class);
                String paramName = param != null && !param.name().isEmpty() ? param.name() : p.isNamePresent() ? p.getName() : null;
                if (paramName == null) {
                    throw new InvalidInputException("tool", "tool '" + name + "': the names of " + method.getName()
                            + "'s parameters are not known; compile with -parameters or name them with @ToolParam(name = ...)");
                }
                properties.add(new JsonSchemas.Property(paramName, p.getParameterizedType(),
                        param != null ? param.description() : "", param == null || param.required()));
            }
            ToolSpec spec = new ToolSpec(name, annotation.description(),
                    ParleyJson.write(schemas.object(properties, new HashSet<>())));
            return new MethodTool(spec, bean, method, List.copyOf(properties), false);
        }

        @Override
        Object invoke(ObjectNode arguments) throws Exception {
            Object[] values;
            if (recordArgument) {
                values = new Object[] {ARGUMENTS.treeToValue(arguments, method.getParameterTypes()[0])};
            } else {
                checkNoUnknown(arguments);
                values = new Object[parameters.size()];
                for (int i = 0; i < values.length; i++) {
                    JsonSchemas.Property p = parameters.get(i);
                    JsonNode value = arguments.get(p.name());
                    Class<?> raw = JsonSchemas.raw(p.type());
                    if (value == null || value.isNull()) {
                        values[i] = raw == Optional.class ? Optional.empty() : raw.isPrimitive() ? missing(p) : null;
                    } else {
                        values[i] = ARGUMENTS.treeToValue(value, ARGUMENTS.constructType(p.type()));
                    }
                }
            }
            try {
                return method.invoke(bean, values);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }

        private void checkNoUnknown(ObjectNode arguments) {
            for (String given : arguments.propertyNames()) {
                if (parameters.stream().noneMatch(p -> p.name().equals(given))) {
                    throw new IllegalArgumentException("unknown argument '" + given + "'");
                }
            }
        }

        private static Object missing(JsonSchemas.Property p) {
            throw new IllegalArgumentException("argument '" + p.name() + "' must not be null");
        }
    }
}
