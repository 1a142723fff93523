package dev.parley.models.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Predicate;

/** Opens {@link StreamingCall}'s package-private framing loop to tests of other packages. */
public final class Framing {
    private Framing() {
    }

    public static boolean decode(InputStream body, StreamFraming framing, Predicate<SseEvent> onEvent) throws IOException {
        return StreamingCall.decode(body, framing, onEvent, () -> {
        });
    }
}
