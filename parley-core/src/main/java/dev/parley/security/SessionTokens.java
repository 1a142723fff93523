package dev.parley.security;

import dev.parley.InvalidInputException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.security.InvalidSessionTokenException.Reason;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Issues and verifies session tokens: a bearer credential that grants access to one session of one
 * tenant until it expires, for handing to a browser or another untrusted client instead of an API key.
 *
 * <p>A token is {@code base64url(payload) + "." + base64url(HMAC-SHA256(secret, payload))} with the
 * payload {@code {"kid", "tenant", "session", "exp"}} (exp in epoch seconds). Secrets carry ids so they
 * can be rotated: tokens are signed with the primary secret and verified with whichever secret their
 * {@code kid} names, so a secret kept after a rotation keeps its tokens valid until they expire.
 * Signatures are compared in constant time.
 *
 * <pre>{@code
 * SessionTokens tokens = SessionTokens.parse(System.getenv("PARLEY_TOKEN_SECRET"), "PARLEY_TOKEN_SECRET").build();
 * String token = tokens.issue(tenant, sessionId, Duration.ofHours(1));
 * SessionToken granted = tokens.verify(token);   // or InvalidSessionTokenException
 * }</pre>
 *
 * Thread-safe.
 */
public final class SessionTokens {
    /** The longest token accepted; anything longer is refused before it is decoded. */
    static final int MAX_TOKEN_LENGTH = 2048;
    private static final int MIN_SECRET_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64,}");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String primary;
    private final Map<String, byte[]> secrets;
    private final Clock clock;
    private final Duration maxTtl;

    private SessionTokens(Builder b) {
        this.primary = b.primary;
        this.secrets = Map.copyOf(b.secrets);
        this.clock = b.clock;
        this.maxTtl = b.maxTtl;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding the secrets of {@code value}: {@code [ID:]SECRET[,[ID:]SECRET…]}, primary first, each
     * SECRET 64+ hex digits or base64 of 32+ bytes; a bare SECRET gets an id derived from it. Errors name
     * {@code source} (e.g. the environment variable) and never echo the secret.
     */
    public static Builder parse(String value, String source) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(source, source + " is empty; expected [ID:]SECRET[,[ID:]SECRET…] with each SECRET "
                    + "64 hex digits or base64 of 32 bytes (generate one with: openssl rand -base64 32)");
        }
        Builder builder = builder();
        String[] items = value.split(",");
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            int colon = item.indexOf(':');
            byte[] secret = decode(colon < 0 ? item : item.substring(colon + 1), source, i + 1);
            builder.secret(colon < 0 ? derivedId(secret) : item.substring(0, colon), secret);
        }
        return builder;
    }

    /** A new random secret in the form {@link #parse} reads ({@code ID:base64}); store it like a password. */
    public static String generateSecret() {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return derivedId(secret) + ":" + Base64.getEncoder().encodeToString(secret);
    }

    /** The id of the secret new tokens are signed with. */
    public String primaryKeyId() {
        return primary;
    }

    /** The longest lifetime {@link #issue} grants. */
    public Duration maxTtl() {
        return maxTtl;
    }

    /** A token for {@code session} of {@code tenant}, valid for {@code ttl} (whole seconds, at most {@link #maxTtl()}). */
    public String issue(TenantId tenant, SessionId session, Duration ttl) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(session, "session");
        if (ttl == null || ttl.getSeconds() < 1) {
            throw new InvalidInputException("ttl", "token ttl must be at least 1 second: " + ttl);
        }
        if (ttl.compareTo(maxTtl) > 0) {
            throw new InvalidInputException("ttl", "token ttl must be at most " + maxTtl.getSeconds() + " seconds: "
                    + ttl.getSeconds());
        }
        ObjectNode payload = ParleyJson.object().put("kid", primary).put("tenant", tenant.value())
                .put("session", session.value()).put("exp", clock.instant().getEpochSecond() + ttl.getSeconds());
        byte[] body = ParleyJson.write(payload).getBytes(StandardCharsets.UTF_8);
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString(body) + "." + encoder.encodeToString(sign(secrets.get(primary), body));
    }

    /** What {@code token} grants; {@link InvalidSessionTokenException} saying why if it is malformed, forged or expired. */
    public SessionToken verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidSessionTokenException(Reason.MALFORMED, "session token is empty or longer than "
                    + MAX_TOKEN_LENGTH + " characters");
        }
        int dot = token.indexOf('.');
        if (dot < 1 || dot != token.lastIndexOf('.') || dot == token.length() - 1
                || !BASE64URL.matcher(token.substring(0, dot)).matches() || !BASE64URL.matcher(token.substring(dot + 1)).matches()) {
            throw new InvalidSessionTokenException(Reason.MALFORMED, "session token must be two base64url parts joined by '.'");
        }
        byte[] body;
        byte[] signature;
        try {
            body = Base64.getUrlDecoder().decode(token.substring(0, dot));
            signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidSessionTokenException(Reason.MALFORMED, "session token is not valid base64url");
        }
        JsonNode payload = payload(body);
        String kid = text(payload, "kid");
        byte[] secret = secrets.get(kid);
        if (secret == null) {
            throw new InvalidSessionTokenException(Reason.UNKNOWN_KEY, "session token was signed with an unknown key '"
                    + (KEY_ID.matcher(kid).matches() ? kid : "?") + "'");
        }
        if (!MessageDigest.isEqual(sign(secret, body), signature)) {
            throw new InvalidSessionTokenException(Reason.BAD_SIGNATURE, "session token signature does not match");
        }
        SessionToken granted;
        try {
            JsonNode exp = payload.get("exp");
            if (exp == null || !exp.isIntegralNumber() || !exp.canConvertToLong()) {
                throw new InvalidSessionTokenException(Reason.MALFORMED, "session token has no valid exp");
            }
            granted = new SessionToken(kid, TenantId.of(text(payload, "tenant")), SessionId.of(text(payload, "session")),
                    Instant.ofEpochSecond(exp.longValue()));
        } catch (InvalidInputException | java.time.DateTimeException e) {
            throw new InvalidSessionTokenException(Reason.MALFORMED, "session token carries invalid claims");
        }
        if (!clock.instant().isBefore(granted.expiresAt())) {
            throw new InvalidSessionTokenException(Reason.EXPIRED, "session token expired at " + granted.expiresAt());
        }
        return granted;
    }

    private static JsonNode payload(byte[] body) {
        JsonNode node;
        try {
            node = ParleyJson.mapper().readTree(body);
        } catch (tools.jackson.core.JacksonException e) {
            throw new InvalidSessionTokenException(Reason.MALFORMED, "session token payload is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidSessionTokenException(Reason.MALFORMED, "session token payload is not a JSON object");
        }
        return node;
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || !value.isString()) {
            throw new InvalidSessionTokenException(Reason.MALFORMED, "session token has no " + field);
        }
        return value.stringValue();
    }

    private static byte[] sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    private static byte[] decode(String encoded, String source, int position) {
        byte[] secret;
        try {
            secret = HEX.matcher(encoded).matches() ? HexFormat.of().parseHex(encoded)
                    : encoded.contains("-") || encoded.contains("_") ? Base64.getUrlDecoder().decode(encoded)
                    : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, source + ": secret " + position + " is neither hex nor base64");
        }
        if (secret.length < MIN_SECRET_BYTES) {
            throw new InvalidInputException(source, source + ": secret " + position + " has " + secret.length
                    + " bytes; at least " + MIN_SECRET_BYTES + " are required (generate one with: openssl rand -base64 32)");
        }
        return secret;
    }

    private static String derivedId(byte[] secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret);
            return "t" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configures {@link SessionTokens}: at least one secret (the first is the primary unless {@link #primary} says otherwise). */
    public static final class Builder {
        private final Map<String, byte[]> secrets = new LinkedHashMap<>();
        private String primary;
        private Clock clock = Clock.systemUTC();
        private Duration maxTtl = Duration.ofDays(30);

        private Builder() {
        }

        /** Adds a secret under {@code keyId} (1-32 characters of [A-Za-z0-9_-]); at least 32 bytes. */
        public Builder secret(String keyId, byte[] secret) {
            if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
                throw new InvalidInputException("key id", "token key id must be 1-32 characters of [A-Za-z0-9_-]");
            }
            if (secret == null || secret.length < MIN_SECRET_BYTES) {
                throw new InvalidInputException("secret", "token secret " + keyId + " must have at least " + MIN_SECRET_BYTES
                        + " bytes");
            }
            if (secrets.putIfAbsent(keyId, secret.clone()) != null) {
                throw new InvalidInputException("key id", "token key id " + keyId + " is given twice");
            }
            if (primary == null) {
                primary = keyId;
            }
            return this;
        }

        /** Signs new tokens with this secret (it must have been added). */
        public Builder primary(String keyId) {
            if (!secrets.containsKey(keyId)) {
                throw new InvalidInputException("primary", "no token secret with id " + keyId + " was added");
            }
            this.primary = keyId;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The longest lifetime a token may be issued for (default 30 days). */
        public Builder maxTtl(Duration value) {
            if (value == null || value.getSeconds() < 1) {
                throw new InvalidInputException("maxTtl", "token maxTtl must be at least 1 second: " + value);
            }
            this.maxTtl = value;
            return this;
        }

        public SessionTokens build() {
            if (secrets.isEmpty()) {
                throw new InvalidInputException("secret", "session tokens need at least one secret");
            }
            return new SessionTokens(this);
        }
    }
}
