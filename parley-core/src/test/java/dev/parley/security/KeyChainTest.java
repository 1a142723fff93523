package dev.parley.security;

import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyChainTest {
    private static final String ALICE = "user alice of tenant default";

    private final MasterKey master = MasterKey.generate();
    private final KeyChain chain = new KeyChain(KeyRing.of(master));

    @Test
    void aWrappedKeyEncryptionKeyUnwrapsToTheSameKeyAndNamesItsMasterKey() {
        KeyEncryptionKey kek = KeyChain.newKeyEncryptionKey();
        String wrapped = chain.wrap(kek, ALICE);
        assertThat(wrapped).startsWith("kek1." + master.id() + "." + kek.id() + ".");
        assertThat(chain.unwrap(wrapped, ALICE)).isEqualTo(kek);
        assertThat(chain.isWrappedUnderPrimary(wrapped)).isTrue();
    }

    @Test
    void aKeyEncryptionKeyCannotBeMovedToAnotherUser() {
        String wrapped = chain.wrap(KeyChain.newKeyEncryptionKey(), ALICE);
        assertThatThrownBy(() -> chain.unwrap(wrapped, "user bob of tenant default"))
                .isInstanceOf(KeyException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void flippingAnyByteOfAWrappedKeyIsDetected() {
        String wrapped = chain.wrap(KeyChain.newKeyEncryptionKey(), ALICE);
        String body = wrapped.substring(wrapped.lastIndexOf('.') + 1);
        byte[] bytes = Base64.getUrlDecoder().decode(body);
        for (int i = 0; i < bytes.length; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= 0x01;
            String tampered = wrapped.substring(0, wrapped.lastIndexOf('.') + 1)
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
            assertThatThrownBy(() -> chain.unwrap(tampered, ALICE)).as("byte %d", i)
                    .isInstanceOf(KeyException.class)
                    .hasMessage("the key-encryption key of " + ALICE + " failed authentication: it was altered, moved, or sealed under another key");
        }
    }

    @Test
    void aKeyWrappedUnderAnUnknownMasterKeyNamesTheMissingKey() {
        String wrapped = chain.wrap(KeyChain.newKeyEncryptionKey(), ALICE);
        KeyChain other = new KeyChain(KeyRing.of(MasterKey.generate()));
        assertThatThrownBy(() -> other.unwrap(wrapped, ALICE)).isInstanceOf(KeyException.class)
                .hasMessageContaining("wrapped under master key '" + master.id() + "', which is not configured")
                .hasMessageContaining("PARLEY_MASTER_KEY");
    }

    @Test
    void aMasterKeyWithTheSameIdButOtherBytesFailsAuthentication() {
        String wrapped = chain.wrap(KeyChain.newKeyEncryptionKey(), ALICE);
        KeyChain impostor = new KeyChain(KeyRing.of(MasterKey.of(master.id(), new byte[32])));
        assertThatThrownBy(() -> impostor.unwrap(wrapped, ALICE)).isInstanceOf(KeyException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void rotationRewrapsUnderThePrimaryAndKeepsTheKey() {
        KeyEncryptionKey kek = KeyChain.newKeyEncryptionKey();
        String underOld = chain.wrap(kek, ALICE);
        MasterKey next = MasterKey.generate();
        KeyChain rotated = new KeyChain(KeyRing.of(next, master));
        assertThat(rotated.isWrappedUnderPrimary(underOld)).isFalse();
        String underNew = rotated.rewrap(underOld, ALICE);
        assertThat(underNew).startsWith("kek1." + next.id() + ".");
        assertThat(rotated.isWrappedUnderPrimary(underNew)).isTrue();
        assertThat(new KeyChain(KeyRing.of(next)).unwrap(underNew, ALICE)).isEqualTo(kek);
    }

    @Test
    void aDataKeyUnwrapsOnlyUnderTheKeyEncryptionKeyThatWrappedIt() {
        KeyEncryptionKey kek = KeyChain.newKeyEncryptionKey();
        SecretKey dek = KeyChain.newDataKey();
        String wrapped = KeyChain.wrapDataKey(kek, dek);
        assertThat(KeyChain.keyEncryptionKeyIdOf(wrapped)).isEqualTo(kek.id());
        assertThat(KeyChain.unwrapDataKey(kek, wrapped, "the data key of s1").getEncoded()).isEqualTo(dek.getEncoded());

        KeyEncryptionKey replacement = KeyChain.newKeyEncryptionKey();
        assertThatThrownBy(() -> KeyChain.unwrapDataKey(replacement, wrapped, "the data key of s1"))
                .isInstanceOf(KeyException.class)
                .hasMessage("the data key of s1 was wrapped under key-encryption key " + kek.id() + ", not under "
                        + replacement.id() + ": that key no longer exists");
        KeyEncryptionKey sameIdOtherBytes = new KeyEncryptionKey(kek.id(), KeyChain.newDataKey());
        assertThatThrownBy(() -> KeyChain.unwrapDataKey(sameIdOtherBytes, wrapped, "the data key of s1"))
                .isInstanceOf(KeyException.class).hasMessageContaining("failed authentication");
    }

    @Test
    void malformedWrappedFormsAreClearErrors() {
        assertThatThrownBy(() -> chain.unwrap("garbage", ALICE)).isInstanceOf(KeyException.class)
                .hasMessageContaining("is not a wrapped key of the form kek1.");
        assertThatThrownBy(() -> chain.unwrap("kek1." + master.id() + ".abc.!!!", ALICE)).isInstanceOf(KeyException.class)
                .hasMessageContaining("not valid base64url");
        assertThatThrownBy(() -> KeyChain.unwrapDataKey(KeyChain.newKeyEncryptionKey(), null, "the data key of s1"))
                .isInstanceOf(KeyException.class).hasMessage("the data key of s1 is missing");
    }

    @Test
    void aeadBindsTheAssociatedData() {
        SecretKey key = Aead.newKey();
        byte[] sealed = Aead.seal(key, "secret".getBytes(), "<EMAIL_1>".getBytes());
        assertThat(new String(Aead.open(key, sealed, "<EMAIL_1>".getBytes(), "row"))).isEqualTo("secret");
        assertThatThrownBy(() -> Aead.open(key, sealed, "<EMAIL_2>".getBytes(), "row"))
                .isInstanceOf(KeyException.class).hasMessageStartingWith("row failed authentication");
        assertThatThrownBy(() -> Aead.open(key, new byte[5], new byte[0], "row"))
                .isInstanceOf(KeyException.class).hasMessageContaining("too short");
    }
}
