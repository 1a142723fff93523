package dev.parley.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The master keys a deployment knows: the primary, which wraps every new key, and older ones, kept so that keys
 * wrapped before a rotation can still be unwrapped (and rewrapped under the primary). Configured as a comma-separated
 * list, primary first: {@code PARLEY_MASTER_KEY=k2:NEWKEY,k1:OLDKEY}.
 */
public final class KeyRing {
    private final MasterKey primary;
    private final Map<String, MasterKey> byId;

    private KeyRing(MasterKey primary, Map<String, MasterKey> byId) {
        this.primary = primary;
        this.byId = byId;
    }

    public static KeyRing of(MasterKey primary, MasterKey... older) {
        Objects.requireNonNull(primary, "primary");
        List<MasterKey> all = new ArrayList<>();
        all.add(primary);
        all.addAll(List.of(older));
        return of(all);
    }

    /** A ring of {@code keys}, the first being the primary; two keys with one id are an error. */
    public static KeyRing of(List<MasterKey> keys) {
        if (keys == null || keys.isEmpty()) {
            throw new KeyException("a key ring needs at least one master key");
        }
        Map<String, MasterKey> byId = new LinkedHashMap<>();
        for (MasterKey key : keys) {
            Objects.requireNonNull(key, "master key");
            if (byId.putIfAbsent(key.id(), key) != null) {
                throw new KeyException("two master keys share the id '" + key.id() + "'; give each key its own id");
            }
        }
        return new KeyRing(keys.getFirst(), Map.copyOf(byId));
    }

    /**
     * Reads {@code [ID:]KEY[,[ID:]KEY…]}, primary first. {@code source} names where the value came from in errors,
     * e.g. {@code "PARLEY_MASTER_KEY"}.
     */
    public static KeyRing parse(String value, String source) {
        if (value == null || value.isBlank()) {
            throw new KeyException(source + " is empty; expected [ID:]KEY[,[ID:]KEY…] with each KEY 64 hex digits or base64 of 32 bytes");
        }
        List<MasterKey> keys = new ArrayList<>();
        String[] items = value.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            try {
                keys.add(MasterKey.parse(items[i]));
            } catch (KeyException e) {
                String which = items.length == 1 ? "" : " (key " + (i + 1) + " of " + items.length + ")";
                throw new KeyException(source + " is not a valid master key" + which + ": " + e.getMessage(), e);
            }
        }
        try {
            return of(keys);
        } catch (KeyException e) {
            throw new KeyException(source + ": " + e.getMessage(), e);
        }
    }

    public MasterKey primary() {
        return primary;
    }

    public Optional<MasterKey> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The ids of every key, the primary's first. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        ids.add(primary.id());
        byId.keySet().stream().filter(id -> !id.equals(primary.id())).sorted().forEach(ids::add);
        return ids;
    }

    @Override
    public String toString() {
        return "KeyRing" + ids();
    }
}
