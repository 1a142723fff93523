package dev.parley.models.tools;

import dev.parley.InvalidInputException;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JSON Schema for tool arguments, generated from Java types: strings, numbers, booleans, enums, lists, sets and
 * arrays, string-keyed maps, {@code java.time} values, nested records, and {@code Optional} (not required).
 * A type outside this set is an error at registration, naming the tool and the type.
 */
final class JsonSchemas {
    /** One property of an object schema. */
    record Property(String name, Type type, String description, boolean required) {
    }

    private final String tool;

    JsonSchemas(String tool) {
        this.tool = tool;
    }

    /** The object schema of a record's components. */
    ObjectNode forRecord(Class<?> recordType) {
        return object(properties(recordType), new HashSet<>(Set.of(recordType)));
    }

    /** The object schema of named properties. */
    ObjectNode object(List<Property> properties, Set<Class<?>> visiting) {
        ObjectNode schema = ParleyJson.object().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = ParleyJson.mapper().createArrayNode();
        for (Property property : properties) {
            ObjectNode node = forType(property.type(), visiting);
            if (!property.description().isEmpty()) {
                node.put("description", property.description());
            }
            props.set(property.name(), node);
            if (property.required() && !isOptional(property.type())) {
                required.add(property.name());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    static List<Property> properties(Class<?> recordType) {
        List<Property> properties = new ArrayList<>();
        for (RecordComponent component : recordType.getRecordComponents()) {
            ToolParam param = component.getAnnotation(ToolParam.class);
            String name = param != null && !param.name().isEmpty() ? param.name() : component.getName();
            properties.add(new Property(name, component.getGenericType(), param != null ? param.description() : "",
                    param == null || param.required()));
        }
        return properties;
    }

    static boolean isOptional(Type type) {
        return raw(type) == Optional.class;
    }

    private ObjectNode forType(Type type, Set<Class<?>> visiting) {
        Class<?> raw = raw(type);
        if (raw == String.class || raw == char.class || raw == Character.class || raw == CharSequence.class) {
            return ParleyJson.object().put("type", "string");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return ParleyJson.object().put("type", "boolean");
        }
        if (raw == int.class || raw == long.class || raw == short.class || raw == byte.class || raw == Integer.class
                || raw == Long.class || raw == Short.class || raw == Byte.class || raw == BigInteger.class) {
            return ParleyJson.object().put("type", "integer");
        }
        if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
            return ParleyJson.object().put("type", "number");
        }
        if (raw == LocalDate.class) {
            return ParleyJson.object().put("type", "string").put("format", "date");
        }
        if (raw == LocalTime.class) {
            return ParleyJson.object().put("type", "string").put("format", "time");
        }
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class || raw == LocalDateTime.class) {
            return ParleyJson.object().put("type", "string").put("format", "date-time");
        }
        if (raw.isEnum()) {
            ObjectNode schema = ParleyJson.object().put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return schema;
        }
        if (raw == Optional.class) {
            return forType(typeArgument(type, 0), visiting);
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            Type element = raw.isArray() ? elementOf(type) : typeArgument(type, 0);
            ObjectNode schema = ParleyJson.object().put("type", "array");
            schema.set("items", forType(element, visiting));
            return schema;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (raw(typeArgument(type, 0)) != String.class) {
                throw unsupported(type, "map keys must be strings");
            }
            ObjectNode schema = ParleyJson.object().put("type", "object");
            schema.set("additionalProperties", forType(typeArgument(type, 1), visiting));
            return schema;
        }
        if (JsonNode.class.isAssignableFrom(raw)) {
            return ParleyJson.object();
        }
        if (raw.isRecord()) {
            if (!visiting.add(raw)) {
                throw unsupported(type, "records that contain themselves have no finite schema");
            }
            ObjectNode schema = object(properties(raw), visiting);
            visiting.remove(raw);
            return schema;
        }
        throw unsupported(type, "use strings, numbers, booleans, enums, lists, string-keyed maps, java.time values or records");
    }

    private Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType parameterized) {
            Type argument = parameterized.getActualTypeArguments()[index];
            if (argument instanceof WildcardType wildcard) {
                return wildcard.getUpperBounds()[0];
            }
            return argument;
        }
        throw unsupported(type, "give the element type (e.g. List<String>, not a raw List)");
    }

    private static Type elementOf(Type arrayType) {
        if (arrayType instanceof GenericArrayType generic) {
            return generic.getGenericComponentType();
        }
        return ((Class<?>) arrayType).getComponentType();
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        if (type instanceof GenericArrayType generic) {
            return Array.newInstance(raw(generic.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType wildcard) {
            return raw(wildcard.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private InvalidInputException unsupported(Type type, String hint) {
        return new InvalidInputException("tool parameters", "tool '" + tool + "': argument type " + type.getTypeName()
                + " is not supported (" + hint + ")");
    }
}
