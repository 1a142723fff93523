package dev.parley.models.tools;

import dev.parley.domain.Part;

/**
 * A hook around each tool execution of a {@link ToolLoop}: the engine's privacy layer restores placeholders in
 * the arguments before a tool runs (a {@code send_email} tool needs the real address) and sanitises the result
 * before it is recorded and sent to the model. The recorded tool call keeps the model's own arguments.
 * An exception thrown here is not a tool failure: it ends the loop, so a broken privacy layer fails closed.
 */
public interface ToolInterceptor {

    /** Changes nothing. */
    ToolInterceptor NONE = new ToolInterceptor() {
    };

    /** The arguments the tool runs with; default: the model's. */
    default String beforeCall(Part.ToolCall call) {
        return call.arguments();
    }

    /** The result recorded and sent back to the model; default: the tool's. */
    default Part.ToolResult afterCall(Part.ToolCall call, Part.ToolResult result) {
        return result;
    }
}
