package dev.parley.models.internal;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;

import java.util.List;
import java.util.Map;

/** Building the neutral reply from what a provider sent. */
public final class Replies {
    private Replies() {
    }

    /**
     * The assistant message holding {@code parts}; a reply with no content at all (a provider may stop at once,
     * e.g. on a stop sequence) is one empty text part, since a message always has at least one part.
     */
    public static Message assistant(List<Part> parts) {
        return new Message(Role.ASSISTANT, parts.isEmpty() ? List.of(new Part.Text("")) : parts, null, Map.of());
    }
}
