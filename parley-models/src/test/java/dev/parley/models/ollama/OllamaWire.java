package dev.parley.models.ollama;

import dev.parley.models.ProviderWire;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.StreamFraming;

import java.time.Clock;

/** The Ollama adapter's package-private reply parsing, for {@link dev.parley.models.ProviderRepliesFuzzTest}. */
public final class OllamaWire {
    private OllamaWire() {
    }

    public static ProviderWire of(String provider, Secret secret) {
        OllamaErrors errors = new OllamaErrors(provider, Clock.systemUTC(), secret);
        OllamaReplies replies = new OllamaReplies(provider, secret, errors);
        return new ProviderWire(provider, replies::parse,
                model -> new OllamaStreamDecoder(provider, model, secret, replies), StreamFraming.JSON_LINES, errors);
    }
}
