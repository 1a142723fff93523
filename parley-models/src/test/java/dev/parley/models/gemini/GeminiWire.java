package dev.parley.models.gemini;

import dev.parley.models.ProviderWire;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.StreamFraming;

import java.time.Clock;

/** The Gemini adapter's package-private reply parsing, for {@link dev.parley.models.ProviderRepliesFuzzTest}. */
public final class GeminiWire {
    private GeminiWire() {
    }

    public static ProviderWire of(String provider, Secret secret) {
        GeminiErrors errors = new GeminiErrors(provider, Clock.systemUTC(), secret);
        GeminiReplies replies = new GeminiReplies(provider, secret);
        return new ProviderWire(provider, replies::parse,
                model -> new GeminiStreamDecoder(provider, model, secret, replies, errors), StreamFraming.SERVER_SENT_EVENTS, errors);
    }
}
