package dev.parley.models.chat;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.spi.PrivacyHook;

import java.util.ArrayList;
import java.util.List;

/**
 * A stored message as the caller of a turn sees it: restored by the privacy layer, with tool-call arguments restored
 * inside their JSON strings (so an original holding a quote still gives valid JSON). What a {@link Chat} returns as a
 * reply; a client that keeps its own copy of the conversation holds exactly this.
 */
public final class CallerView {
    private CallerView() {
    }

    public static Message of(PrivacyHook.Turn privacy, Message stored) {
        Message restored = privacy.restore(stored);
        if (stored.toolCalls().isEmpty()) {
            return restored;
        }
        List<Part.ToolCall> originals = stored.toolCalls();
        List<Part> parts = new ArrayList<>();
        int call = 0;
        for (Part part : restored.parts()) {
            parts.add(part instanceof Part.ToolCall c ? new Part.ToolCall(c.id(), c.name(), privacy.toolArguments(originals.get(call++)))
                    : part);
        }
        return new Message(restored.role(), parts, restored.name(), restored.metadata());
    }
}
