package dev.parley.models.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a tool the model may call; {@link ToolRegistry#register(Object)} finds it.
 *
 * <pre>{@code
 * class Weather {
 *     @Tool(description = "Current temperature in a city, in °C")
 *     double temperature(@ToolParam(description = "City name, e.g. Paris") String city) { ... }
 * }
 * }</pre>
 *
 * The parameters become the arguments' JSON schema (a single record parameter stands for its components).
 * Parameter names come from {@code @ToolParam(name)} or, when the class was compiled with {@code -parameters},
 * from the code.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {
    /** The tool's name as the model sees it; default: the method's name. */
    String name() default "";

    /** What the tool does and when to use it: the model decides from this. */
    String description();
}
