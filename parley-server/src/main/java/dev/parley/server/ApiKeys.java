package dev.parley.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.parley.ConflictException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.store.Scope;
import dev.parley.store.SessionStore;
import dev.parley.store.Versioned;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API keys of a deployment, kept in the store itself so every server sharing a backend sees the same keys.
 * Each key belongs to one tenant; an {@link Role#ADMIN admin} key also manages keys. Only a SHA-256 hash of a
 * key is stored; the key itself is shown once, when it is created. Keys look like {@code pk_<id>_<secret>}
 * (160 random bits of secret); the id finds the stored hash in one lookup, and hashes are compared in constant time.
 *
 * <p>Keys live as app-scope state of the reserved tenant {@value #RESERVED_TENANT}, which no key can be bound to,
 * so no API call can read them.
 *
 * <p>A server may remember a key it accepted for a short while ({@link #ApiKeys(SessionStore, Clock, Duration)}):
 * checking every request against the store cost an eighth of the server's CPU under load. A key revoked through
 * this instance is forgotten at once; one revoked elsewhere (another server, {@code parley keys revoke}) is refused
 * here once the remembered acceptance is older than the cache time. Refusals are never remembered, so a key created
 * anywhere works at once.
 */
public final class ApiKeys {
    /** The tenant whose app state holds the keys; reserved, never the tenant of a key. */
    public static final String RESERVED_TENANT = "parley-admin";
    static final TenantId STORE_TENANT = TenantId.of(RESERVED_TENANT);
    private static final String PREFIX = "apikey:";
    private static final String BOOTSTRAPPED = "bootstrapped";
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final Pattern ISSUED = Pattern.compile("pk_([0-9a-z]{12})_([0-9a-z]{32})");
    private static final Pattern CONFIGURED = Pattern.compile("[A-Za-z0-9_-]{16,256}");
    private static final Pattern NAME = Pattern.compile("[^\\p{Cntrl}]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a key may do. */
    public enum Role {
        /** Works with its tenant's sessions. */
        TENANT,
        /** Works with its tenant's sessions and manages every tenant's keys. */
        ADMIN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role parse(String text) {
            for (Role role : values()) {
                if (role.wireName().equals(text)) {
                    return role;
                }
            }
            throw new InvalidInputException("role", "role must be tenant or admin: '" + text + "'");
        }
    }

    /** A stored key, without its secret. */
    public record Key(String id, TenantId tenant, Role role, String name, Instant createdAt, Instant revokedAt) {
        public Key {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        public boolean active() {
            return revokedAt == null;
        }
    }

    /** A key just created: {@code secret} is the whole key, shown this once and never stored. */
    public record Created(Key key, String secret) {
    }

    /** Keys accepted by this server in the last {@code cacheFor}, by the key as presented. */
    private static final int CACHED_KEYS = 10_000;

    private final SessionStore store;
    private final Clock clock;
    private final Cache<String, Key> accepted;
    /** Counts revocations by this instance, so an acceptance read before one is not remembered after it. */
    private final AtomicLong revocations = new AtomicLong();

    /** Keys checked against the store on every request. */
    public ApiKeys(SessionStore store, Clock clock) {
        this(store, clock, Duration.ZERO);
    }

    /**
     * Keys whose acceptance is remembered for {@code cacheFor} (measured on {@code clock}): a key revoked elsewhere
     * is still accepted here for at most that long. {@link Duration#ZERO} checks the store on every request.
     */
    public ApiKeys(SessionStore store, Clock clock, Duration cacheFor) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(cacheFor, "cacheFor");
        if (cacheFor.isNegative()) {
            throw new IllegalArgumentException("cacheFor must not be negative: " + cacheFor);
        }
        this.accepted = cacheFor.isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(cacheFor)
                .maximumSize(CACHED_KEYS)
                // the injected clock, so tests can move time; Caffeine only compares differences of this reading
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /** Creates a key for {@code tenant}; {@code name} (optional) says what it is for. */
    public Created create(TenantId tenant, Role role, String name) {
        requireUsableTenant(tenant);
        requireName(name);
        for (int attempt = 0; ; attempt++) {
            String id = random(12);
            String secret = "pk_" + id + "_" + random(32);
            Key key = new Key(id, tenant, role, name, now(), null);
            try {
                store.putScoped(STORE_TENANT, Scope.app(), PREFIX + id, toJson(key, hash(secret)), 0L);
                return new Created(key, secret);
            } catch (ConflictException e) {
                if (attempt > 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Accepts a key chosen by configuration ({@code PARLEY_API_KEY}): stores its hash as an active key of
     * {@code tenant} with {@code role}, unless it is already stored. Idempotent; a revoked one stays revoked.
     */
    public Key register(String presented, TenantId tenant, Role role, String name) {
        requireUsableTenant(tenant);
        requireName(name);
        String id = idOf(presented).orElseThrow(() -> new InvalidInputException("apiKey",
                "an API key must be 16-256 characters of [A-Za-z0-9_-]"));
        Optional<Key> existing = find(id);
        if (existing.isPresent()) {
            return existing.get();
        }
        Key key = new Key(id, tenant, role, name, now(), null);
        try {
            store.putScoped(STORE_TENANT, Scope.app(), PREFIX + id, toJson(key, hash(presented)), 0L);
            return key;
        } catch (ConflictException e) {
            return find(id).orElseThrow(() -> e);
        }
    }

    /** The first admin key of a deployment that has none: created once (also when servers start together), else empty. */
    public Optional<Created> bootstrap(TenantId tenant) {
        if (!list().isEmpty()) {
            return Optional.empty();
        }
        try {
            store.putScoped(STORE_TENANT, Scope.app(), BOOTSTRAPPED, ParleyJson.write(ParleyJson.object()
                    .put("at", now().toString())), 0L);
        } catch (ConflictException alreadyDone) {
            return Optional.empty();
        }
        return Optional.of(create(tenant, Role.ADMIN, "first admin key"));
    }

    /** Every key, active and revoked, oldest first. */
    public List<Key> list() {
        List<Key> keys = new ArrayList<>();
        for (Map.Entry<String, Versioned<String>> e : store.scopedState(STORE_TENANT, Scope.app()).entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                keys.add(fromJson(e.getKey().substring(PREFIX.length()), ParleyJson.parse(e.getValue().value(), "api key")));
            }
        }
        keys.sort(Comparator.comparing(Key::createdAt).thenComparing(Key::id));
        return keys;
    }

    public Optional<Key> find(String id) {
        if (id == null || !id.matches("[0-9A-Za-z]{1,32}")) {
            return Optional.empty();
        }
        return store.scopedValue(STORE_TENANT, Scope.app(), PREFIX + id)
                .map(v -> fromJson(id, ParleyJson.parse(v.value(), "api key")));
    }

    /** Revokes a key at once, everywhere; revoking a revoked key changes nothing. */
    public Key revoke(String id) {
        for (int attempt = 0; ; attempt++) {
            Versioned<String> stored = (id == null || !id.matches("[0-9A-Za-z]{1,32}")) ? null
                    : store.scopedValue(STORE_TENANT, Scope.app(), PREFIX + id).orElse(null);
            if (stored == null) {
                throw new NotFoundException("no API key " + (id == null ? "null" : "'" + id.replaceAll("[^ -~]", "?") + "'"));
            }
            JsonNode json = ParleyJson.parse(stored.value(), "api key");
            Key key = fromJson(id, json);
            if (!key.active()) {
                return key;
            }
            Key revoked = new Key(key.id(), key.tenant(), key.role(), key.name(), key.createdAt(), now());
            try {
                store.putScoped(STORE_TENANT, Scope.app(), PREFIX + id, toJson(revoked, json.get("hash").stringValue()),
                        stored.version());
                forget(id);
                return revoked;
            } catch (ConflictException e) {
                if (attempt > 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * The active key {@code presented} is, if it is one; the hash comparison takes the same time whatever it holds.
     * An acceptance may come from the cache (see the class comment); a refusal is always the store's answer.
     */
    public Optional<Key> authenticate(String presented) {
        if (accepted != null && presented != null) {
            Key known = accepted.getIfPresent(presented);
            if (known != null) {
                return Optional.of(known);
            }
        }
        long revocationsBefore = revocations.get();
        Optional<Key> key = authenticateInStore(presented);
        if (accepted != null && key.isPresent()) {
            accepted.put(presented, key.get());
            // a revocation that ran meanwhile may have read the cache before this put: undo it
            if (revocations.get() != revocationsBefore) {
                accepted.invalidate(presented);
            }
        }
        return key;
    }

    /** Drops a just-revoked key from the cache; counted first, so an acceptance in flight cannot put it back. */
    private void forget(String id) {
        revocations.incrementAndGet();
        if (accepted != null) {
            accepted.asMap().values().removeIf(k -> k.id().equals(id));
        }
    }

    private Optional<Key> authenticateInStore(String presented) {
        Optional<String> id = idOf(presented);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Optional<Versioned<String>> stored = store.scopedValue(STORE_TENANT, Scope.app(), PREFIX + id.get());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        JsonNode json = ParleyJson.parse(stored.get().value(), "api key");
        byte[] expected = HexFormat.of().parseHex(json.get("hash").stringValue());
        if (!MessageDigest.isEqual(expected, sha256(presented))) {
            return Optional.empty();
        }
        Key key = fromJson(id.get(), json);
        return key.active() ? Optional.of(key) : Optional.empty();
    }

    /** The id a presented key is stored under: the id part of an issued key, or one derived from a configured key. */
    static Optional<String> idOf(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher issued = ISSUED.matcher(presented);
        if (issued.matches()) {
            return Optional.of(issued.group(1));
        }
        if (!CONFIGURED.matcher(presented).matches()) {
            return Optional.empty();
        }
        return Optional.of("cfg" + HexFormat.of().formatHex(sha256(presented), 0, 6));
    }

    private static void requireUsableTenant(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        if (tenant.equals(STORE_TENANT)) {
            throw new InvalidInputException("tenant", "tenant " + RESERVED_TENANT + " is reserved for Parley's own records");
        }
    }

    private static void requireName(String name) {
        if (name != null && !NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", "key name must be 1-64 characters without control characters");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String toJson(Key key, String hash) {
        ObjectNode node = ParleyJson.object().put("hash", hash).put("tenant", key.tenant().value())
                .put("role", key.role().wireName()).put("createdAt", key.createdAt().toString());
        if (key.name() != null) {
            node.put("name", key.name());
        }
        if (key.revokedAt() != null) {
            node.put("revokedAt", key.revokedAt().toString());
        }
        return ParleyJson.write(node);
    }

    private static Key fromJson(String id, JsonNode node) {
        return new Key(id, TenantId.of(node.get("tenant").stringValue()), Role.parse(node.get("role").stringValue()),
                node.hasNonNull("name") ? node.get("name").stringValue() : null,
                Instant.parse(node.get("createdAt").stringValue()),
                node.hasNonNull("revokedAt") ? Instant.parse(node.get("revokedAt").stringValue()) : null);
    }

    private static String hash(String presented) {
        return HexFormat.of().formatHex(sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return out.toString();
    }
}
