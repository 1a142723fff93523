package dev.parley.security;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {
    private static final byte[] BYTES = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void readsHexAndBase64KeysWithOrWithoutAnId() {
        MasterKey hex = MasterKey.parse("k1:" + HexFormat.of().formatHex(BYTES));
        MasterKey base64 = MasterKey.parse("k1:" + Base64.getEncoder().encodeToString(BYTES));
        MasterKey base64Url = MasterKey.parse("k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES));
        assertThat(hex).isEqualTo(base64).isEqualTo(base64Url).isEqualTo(MasterKey.of("k1", BYTES));
        assertThat(hex.id()).isEqualTo("k1");
    }

    @Test
    void aBareKeyGetsAnIdDerivedFromItSoEveryServerAgrees() {
        String encoded = Base64.getEncoder().encodeToString(BYTES);
        assertThat(MasterKey.parse(encoded).id()).isEqualTo(MasterKey.parse(" " + encoded + "\n").id()).startsWith("k");
        assertThat(MasterKey.parse(encoded).id()).isNotEqualTo(MasterKey.generate().id());
    }

    @Test
    void encodeIsReadBackAndToStringNeverShowsTheKey() {
        MasterKey key = MasterKey.generate();
        assertThat(MasterKey.parse(key.encode())).isEqualTo(key);
        assertThat(key.toString()).isEqualTo("MasterKey[" + key.id() + "]");
    }

    @Test
    void aKeyOfTheWrongLengthIsAClearErrorThatDoesNotRepeatTheKey() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKey.parse(shortKey)).isInstanceOf(KeyException.class)
                .hasMessageContaining("32 bytes").hasMessageContaining("decodes to 16 bytes").hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> MasterKey.of("k1", new byte[31])).isInstanceOf(KeyException.class).hasMessageContaining("got 31");
    }

    @Test
    void textThatIsNeitherHexNorBase64IsRefused() {
        assertThatThrownBy(() -> MasterKey.parse("k1:not a key at all!")).isInstanceOf(KeyException.class)
                .hasMessageContaining("64 hex digits or base64").hasMessageNotContaining("not a key at all");
        assertThatThrownBy(() -> MasterKey.parse("  ")).isInstanceOf(KeyException.class).hasMessageContaining("empty");
    }

    @Test
    void anIdOutsideTheAlphabetIsRefused() {
        assertThatThrownBy(() -> MasterKey.parse("my key:" + HexFormat.of().formatHex(BYTES)))
                .isInstanceOf(KeyException.class).hasMessageContaining("id must be 1-32 characters").hasMessageContaining("'my key'");
    }

    @Test
    void aRingListsThePrimaryFirstAndRefusesDuplicateIds() {
        MasterKey old = MasterKey.generate();
        MasterKey current = MasterKey.generate();
        KeyRing ring = KeyRing.parse("new:" + current.encode().substring(current.id().length() + 1) + "," + old.encode(), "TEST");
        assertThat(ring.primary().id()).isEqualTo("new");
        assertThat(ring.ids()).containsExactly("new", old.id());
        assertThat(ring.find(old.id())).contains(old);
        assertThatThrownBy(() -> KeyRing.parse(old.encode() + "," + old.encode(), "PARLEY_MASTER_KEY"))
                .isInstanceOf(KeyException.class).hasMessageStartingWith("PARLEY_MASTER_KEY: two master keys share the id");
    }

    @Test
    void aBadKeyInARingIsNamedByItsPosition() {
        assertThatThrownBy(() -> KeyRing.parse(MasterKey.generate().encode() + ",k2:short", "PARLEY_MASTER_KEY"))
                .isInstanceOf(KeyException.class)
                .hasMessageStartingWith("PARLEY_MASTER_KEY is not a valid master key (key 2 of 2):");
    }
}
