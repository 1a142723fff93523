package dev.parley.client;

import dev.parley.InvalidInputException;
import dev.parley.Metadata;
import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A remote session's metadata: each change is one {@code PATCH} (a JSON merge patch, where null removes a key). */
final class RemoteMetadata implements Metadata {
    private final RemoteSession session;

    RemoteMetadata(RemoteSession session) {
        this.session = session;
    }

    @Override
    public Optional<String> get(String key) {
        requireKey(key);
        return Optional.ofNullable(all().get(key));
    }

    @Override
    public void set(String key, String value) {
        update(java.util.Collections.singletonMap(key, value), Set.of());
    }

    @Override
    public void update(Map<String, String> put, Set<String> remove) {
        ObjectNode patch = ParleyJson.object();
        put.forEach((k, v) -> {
            requireKey(k);
            if (v == null) {
                throw new InvalidInputException("metadata." + k, "metadata value for '" + k + "' is null; remove the key instead");
            }
            patch.put(k, v);
        });
        remove.forEach(k -> patch.putNull(requireKey(k)));
        ObjectNode body = ParleyJson.object();
        body.set("metadata", patch);
        session.transport().patch(session.path("")).json(body).send();
    }

    @Override
    public void remove(String key) {
        update(Map.of(), Set.of(key));
    }

    @Override
    public Map<String, String> all() {
        return session.info().metadata();
    }

    private static String requireKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 128 || key.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("metadata key", "metadata key must be 1-128 characters without control characters");
        }
        return key;
    }
}
