package dev.parley.models.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Describes one argument of a tool: a method parameter or a record component. Optional. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface ToolParam {
    /** The argument's name; default: the parameter's or component's own. */
    String name() default "";

    /** What the argument means, for the model. */
    String description() default "";

    /** Whether the model must give it; {@code Optional} arguments are never required. */
    boolean required() default true;
}
