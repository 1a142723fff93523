package dev.parley.security;

import dev.parley.InvalidInputException;
import dev.parley.domain.SessionId;
import dev.parley.domain.TenantId;
import dev.parley.security.InvalidSessionTokenException.Reason;
import dev.parley.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTokensTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final SessionId CHAT = SessionId.of("chat-1");

    private final MutableClock clock = MutableClock.startingAt("2026-01-01T00:00:00Z");

    private static byte[] secret(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    private SessionTokens tokens(String kid, int fill) {
        return SessionTokens.builder().secret(kid, secret(fill)).clock(clock).build();
    }

    private static Reason reasonOf(Runnable verify) {
        try {
            verify.run();
        } catch (InvalidSessionTokenException e) {
            return e.reason();
        }
        throw new AssertionError("the token was accepted");
    }

    @Test
    void anIssuedTokenGrantsItsSessionUntilItExpires() {
        SessionTokens tokens = tokens("k1", 1);
        String token = tokens.issue(ACME, CHAT, Duration.ofMinutes(10));

        SessionToken granted = tokens.verify(token);

        assertThat(granted.keyId()).isEqualTo("k1");
        assertThat(granted.grants(ACME, CHAT)).isTrue();
        assertThat(granted.grants(TenantId.of("other"), CHAT)).isFalse();
        assertThat(granted.grants(ACME, SessionId.of("chat-2"))).isFalse();
        assertThat(granted.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
    }

    @Test
    void aTokenIsRefusedFromTheSecondItExpires() {
        SessionTokens tokens = tokens("k1", 1);
        String token = tokens.issue(ACME, CHAT, Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(59));
        assertThat(tokens.verify(token).session()).isEqualTo(CHAT);

        clock.advance(Duration.ofSeconds(1));

        assertThat(reasonOf(() -> tokens.verify(token))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void aTokenWhosePayloadWasChangedIsRefusedAsForged() {
        SessionTokens tokens = tokens("k1", 1);
        String token = tokens.issue(ACME, CHAT, Duration.ofMinutes(10));
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"kid\":\"k1\",\"tenant\":\"acme\",\"session\":\"chat-2\",\"exp\":" + Long.MAX_VALUE / 2 + "}")
                        .getBytes(StandardCharsets.UTF_8));
        String forged = forgedPayload + token.substring(token.indexOf('.'));

        assertThat(reasonOf(() -> tokens.verify(forged))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aTokenSignedWithAnotherSecretUnderTheSameIdIsRefusedAsForged() {
        String foreign = tokens("k1", 2).issue(ACME, CHAT, Duration.ofMinutes(10));

        assertThat(reasonOf(() -> tokens("k1", 1).verify(foreign))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aTokenOfAnUnknownKeyIdIsRefused() {
        String foreign = tokens("other", 1).issue(ACME, CHAT, Duration.ofMinutes(10));

        InvalidSessionTokenException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSessionTokenException.class,
                () -> tokens("k1", 1).verify(foreign));

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(e.getMessage()).contains("'other'");
    }

    @Test
    void afterARotationOldTokensStillVerifyAndNewOnesUseThePrimary() {
        String old = tokens("k1", 1).issue(ACME, CHAT, Duration.ofMinutes(10));
        SessionTokens rotated = SessionTokens.builder().secret("k2", secret(2)).secret("k1", secret(1)).clock(clock).build();

        assertThat(rotated.verify(old).keyId()).isEqualTo("k1");
        assertThat(rotated.verify(rotated.issue(ACME, CHAT, Duration.ofMinutes(1))).keyId()).isEqualTo("k2");
        assertThat(rotated.primaryKeyId()).isEqualTo("k2");
    }

    @Test
    void malformedTokensAreRefusedWithoutBeingTrusted() {
        SessionTokens tokens = tokens("k1", 1);
        String valid = tokens.issue(ACME, CHAT, Duration.ofMinutes(10));
        String notJson = Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes(StandardCharsets.UTF_8));

        for (String bad : new String[]{"", ".", "abc", "a.b.c", valid + ".x", "é.x", "a." , ".b", "!!!.???",
                notJson + ".AAAA", "x".repeat(SessionTokens.MAX_TOKEN_LENGTH + 1)}) {
            assertThat(reasonOf(() -> tokens.verify(bad))).as(bad).isEqualTo(Reason.MALFORMED);
        }
        assertThat(reasonOf(() -> tokens.verify(null))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aCorrectlySignedTokenWithInvalidClaimsIsRefusedAsMalformed() {
        byte[] body = "{\"kid\":\"k1\",\"tenant\":\"ACME!\",\"session\":\"../x\",\"exp\":1}".getBytes(StandardCharsets.UTF_8);
        javax.crypto.Mac mac;
        try {
            mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret(1), "HmacSHA256"));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        String token = encoder.encodeToString(body) + "." + encoder.encodeToString(mac.doFinal(body));

        assertThat(reasonOf(() -> tokens("k1", 1).verify(token))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aTtlOutsideTheAllowedRangeIsRefusedByName() {
        SessionTokens tokens = SessionTokens.builder().secret("k1", secret(1)).maxTtl(Duration.ofHours(1)).build();

        assertThatThrownBy(() -> tokens.issue(ACME, CHAT, Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> tokens.issue(ACME, CHAT, Duration.ofHours(2)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 3600 seconds");
    }

    @Test
    void secretsAreParsedFromConfigurationPrimaryFirstAndNeverEchoed() {
        String generated = SessionTokens.generateSecret();
        String hex = "ab".repeat(32);

        SessionTokens tokens = SessionTokens.parse(generated + ", old:" + hex, "PARLEY_TOKEN_SECRET").clock(clock).build();

        assertThat(tokens.primaryKeyId()).isEqualTo(generated.substring(0, generated.indexOf(':')));
        String byOld = SessionTokens.parse("old:" + hex, "X").clock(clock).build().issue(ACME, CHAT, Duration.ofMinutes(1));
        assertThat(tokens.verify(byOld).keyId()).isEqualTo("old");

        assertThatThrownBy(() -> SessionTokens.parse("k:c2hvcnQ=", "PARLEY_TOKEN_SECRET"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("PARLEY_TOKEN_SECRET")
                .hasMessageContaining("at least 32").hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> SessionTokens.parse(" ", "PARLEY_TOKEN_SECRET"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("openssl rand");
        assertThatThrownBy(() -> SessionTokens.parse("k:" + hex + ",k:" + hex, "S"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("given twice");
    }
}
