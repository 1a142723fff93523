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

    /** A payload's JSON, and its weight in the {@link CommittedView}. */
    private record Text(String json, int weight) {
    }

    private final Map<Payload, Text> texts;

    private PayloadTexts(Map<Payload, Text> texts) {
        this.texts = texts;
    }

    static PayloadTexts of(List<EntryDraft> drafts) {
        if (drafts.isEmpty()) {
            return NONE;
        }
        Map<Payload, Text> texts = new IdentityHashMap<>(drafts.size() * 2);
        for (EntryDraft draft : drafts) {
            String json = ParleyJson.payloadText(draft.payload());
            texts.put(draft.payload(), new Text(json, 1 + json.length() / CommittedView.CHARS_PER_WEIGHT));
        }
        return new PayloadTexts(texts);
    }

    String text(Payload payload) {
        Text text = texts.get(payload);
        return text != null ? text.json() : ParleyJson.payloadText(payload);
    }

    /** The payload's weight in the {@link CommittedView}; -1 if it was not encoded here, so its size is unknown. */
    int weight(Payload payload) {
        Text text = texts.get(payload);
        return text != null ? text.weight() : -1;
    }
}
