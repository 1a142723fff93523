package dev.parley.store.sqlite;

import dev.parley.domain.Payload;
import dev.parley.json.ParleyJson;
import dev.parley.store.EntryDraft;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a request's payloads, encoded by the calling thread before the request reaches the
 * writer. Encoding is a quarter of an append's work; done by the callers it runs in parallel,
 * leaving the single writer thread only the work it alone can do. Entries the planner builds carry
 * the drafts' payload objects, so they are found by identity.
 */
final class PayloadTexts {
    static final PayloadTexts NONE = new PayloadTexts(Map.of());

    private final Map<Payload, String> texts;

    private PayloadTexts(Map<Payload, String> texts) {
        this.texts = texts;
    }

    static PayloadTexts of(List<EntryDraft> drafts) {
        if (drafts.isEmpty()) {
            return NONE;
        }
        Map<Payload, String> texts = new IdentityHashMap<>(drafts.size() * 2);
        for (EntryDraft draft : drafts) {
            texts.put(draft.payload(), ParleyJson.payloadText(draft.payload()));
        }
        return new PayloadTexts(texts);
    }

    String text(Payload payload) {
        String text = texts.get(payload);
        return text != null ? text : ParleyJson.payloadText(payload);
    }
}
