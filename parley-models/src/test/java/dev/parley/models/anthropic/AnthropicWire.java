package dev.parley.models.anthropic;

import dev.parley.models.ProviderWire;
import dev.parley.models.internal.Secret;
import dev.parley.models.internal.StreamFraming;

import java.time.Clock;

/** The Anthropic adapter's package-private reply parsing, for {@link dev.parley.models.ProviderRepliesFuzzTest}. */
public final class AnthropicWire {
    private AnthropicWire() {
    }

    public static ProviderWire of(String provider, Secret secret) {
        AnthropicErrors errors = new AnthropicErrors(provider, Clock.systemUTC(), secret);
        AnthropicReplies replies = new AnthropicReplies(provider, secret);
        return new ProviderWire(provider, replies::parse,
                model -> new AnthropicStreamDecoder(provider, model, secret, replies, errors), StreamFraming.SERVER_SENT_EVENTS, errors);
    }
}
