package dev.parley.models.openai;

import dev.parley.models.ProviderWire;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.StreamFraming;

import java.time.Clock;

/** The OpenAi adapter's package-private reply parsing, for {@link dev.parley.models.ProviderRepliesFuzzTest}. */
public final class OpenAiWire {
    private OpenAiWire() {
    }

    public static ProviderWire of(String provider, Secret secret) {
        OpenAiErrors errors = new OpenAiErrors(provider, Clock.systemUTC(), secret);
        OpenAiReplies replies = new OpenAiReplies(provider, secret);
        return new ProviderWire(provider, replies::parse,
                model -> new OpenAiStreamDecoder(provider, model, secret, replies, errors), StreamFraming.SERVER_SENT_EVENTS, errors);
    }
}
