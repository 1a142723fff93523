package dev.parley.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

import java.util.Objects;

/** An exact OpenAI byte-pair encoding, backed by JTokkit. */
final class EncodingTokenizer implements Tokenizer {

    /** Lazy, because loading one vocabulary takes a noticeable moment and most processes need only one. */
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    static final EncodingTokenizer O200K_BASE = new EncodingTokenizer(EncodingType.O200K_BASE);
    static final EncodingTokenizer CL100K_BASE = new EncodingTokenizer(EncodingType.CL100K_BASE);

    private final EncodingType type;
    private volatile Encoding encoding;

    private EncodingTokenizer(EncodingType type) {
        this.type = type;
    }

    @Override
    public String name() {
        return type.getName();
    }

    @Override
    public int count(String text) {
        Objects.requireNonNull(text, "text");
        // Ordinary: a user typing "<|endoftext|>" is text to count, not a control token to reject.
        return encoding().countTokensOrdinary(text);
    }

    private Encoding encoding() {
        Encoding loaded = encoding;
        if (loaded == null) {
            loaded = REGISTRY.getEncoding(type);
            encoding = loaded;
        }
        return loaded;
    }

    @Override
    public String toString() {
        return name();
    }
}
