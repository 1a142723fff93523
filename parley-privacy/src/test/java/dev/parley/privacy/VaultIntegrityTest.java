package dev.parley.privacy;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.security.KeyRing;
import dev.parley.security.MasterKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Erasure and tampering: the vault answers correctly or fails loudly, never silently wrong. */
class VaultIntegrityTest {
    private final Parley parley = Parley.inMemory();
    private final SessionPrivacy privacy = SessionPrivacy.builder(KeyRing.of(MasterKey.generate())).build();
    private final Session session = parley.create(SessionSpec.builder().id("s1").user("alice").build());

    @BeforeEach
    void chat() {
        SessionPrivacy.enable(session);
        PrivateTurns.turn(privacy, session, "Mail jane@example.com, card 4111 1111 1111 1111", "Mailing <EMAIL_1>.");
    }

    @AfterEach
    void close() {
        parley.close();
    }

    @Test
    void anExportTakenBeforeErasingTheUserCanNoLongerBeRestored() {
        String export = parley.exportJson(session.id());
        assertThat(export).doesNotContain("jane@example.com").doesNotContain("4111");

        parley.eraseUser(UserId.of("alice"));
        Session imported = parley.importJson(export, SessionId.of("restored"));

        assertThat(imported.messages()).extracting(Message::text).contains("Mail <EMAIL_1>, card <CREDIT_CARD_1>");
        assertThatThrownBy(() -> privacy.book(imported)).isInstanceOf(VaultException.class)
                .hasMessage("the placeholders of session restored are encrypted under a key of user alice that no longer"
                        + " exists: the user's key was erased (or the session comes from another deployment), so its"
                        + " originals cannot be restored");
        assertThatThrownBy(() -> privacy.start(imported)).isInstanceOf(VaultException.class).hasMessageContaining("was erased");
        assertThat(parley.store().userKey(imported.tenant(), imported.user())).as("no new key is made for an erased one").isEmpty();
    }

    @Test
    void anErasedUserWhoComesBackWithANewKeyCannotRestoreTheOldExport() {
        String export = parley.exportJson(session.id());
        parley.eraseUser(UserId.of("alice"));
        Session fresh = parley.create(SessionSpec.builder().user("alice").build());
        SessionPrivacy.enable(fresh);
        PrivateTurns.turn(privacy, fresh, "bob@example.org", "ok");

        Session imported = parley.importJson(export, SessionId.of("restored"));
        assertThatThrownBy(() -> privacy.book(imported)).isInstanceOf(VaultException.class)
                .hasMessageContaining("key of user alice that no longer exists");
    }

    @Test
    void aTamperedVaultRowIsDetectedWhenItIsNeeded() {
        ObjectNode doc = (ObjectNode) ParleyJson.parse(parley.exportJson(session.id()), "export");
        ObjectNode row = rowOf(doc, "<EMAIL_1>");
        byte[] sealed = Base64.getDecoder().decode(row.path("ciphertext").stringValue().substring(3));
        sealed[sealed.length / 2] ^= 0x01;
        row.put("ciphertext", "v1." + Base64.getEncoder().encodeToString(sealed));
        Session imported = parley.importJson(ParleyJson.write(doc), SessionId.of("tampered"));

        VaultPlaceholderBook book = privacy.book(imported);
        assertThat(book.originalOf("<CREDIT_CARD_1>")).contains("4111 1111 1111 1111");
        assertThatThrownBy(() -> Restorer.restore("Mailing <EMAIL_1>.", book)).isInstanceOf(VaultException.class)
                .hasMessageStartingWith("vault row <EMAIL_1> of session tampered failed authentication");
    }

    @Test
    void aRowMovedToAnotherPlaceholderFailsAuthentication() {
        ObjectNode doc = (ObjectNode) ParleyJson.parse(parley.exportJson(session.id()), "export");
        ObjectNode email = rowOf(doc, "<EMAIL_1>");
        ObjectNode card = rowOf(doc, "<CREDIT_CARD_1>");
        String emailCiphertext = email.path("ciphertext").stringValue();
        email.put("ciphertext", card.path("ciphertext").stringValue());
        card.put("ciphertext", emailCiphertext);
        Session imported = parley.importJson(ParleyJson.write(doc), SessionId.of("swapped"));

        VaultPlaceholderBook book = privacy.book(imported);
        assertThatThrownBy(() -> book.originalOf("<CREDIT_CARD_1>")).isInstanceOf(VaultException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void aWrappedDataKeyThatWasAlteredIsReported() {
        ObjectNode doc = (ObjectNode) ParleyJson.parse(parley.exportJson(session.id()), "export");
        ObjectNode settings = findSettings(doc);
        String wrapped = settings.path(SessionPrivacy.DATA_KEY_SETTING).stringValue();
        settings.put(SessionPrivacy.DATA_KEY_SETTING, wrapped.substring(0, wrapped.length() - 2)
                + (wrapped.endsWith("A") ? "BB" : "AA"));
        Session imported = parley.importJson(ParleyJson.write(doc), SessionId.of("altered"));
        assertThatThrownBy(() -> privacy.book(imported)).isInstanceOf(VaultException.class)
                .hasMessageContaining("the vault of session altered cannot be opened")
                .hasMessageContaining("failed authentication");
    }

    @Test
    void anotherMasterKeyCannotOpenTheVault() {
        SessionPrivacy stranger = SessionPrivacy.builder(KeyRing.of(MasterKey.generate())).build();
        assertThatThrownBy(() -> stranger.book(session)).isInstanceOf(VaultException.class)
                .hasMessageContaining("which is not configured").hasMessageContaining("PARLEY_MASTER_KEY");
    }

    private static ObjectNode rowOf(ObjectNode doc, String placeholder) {
        for (JsonNode row : (ArrayNode) doc.get("vault")) {
            if (row.path("placeholder").stringValue().equals(placeholder)) {
                return (ObjectNode) row;
            }
        }
        throw new AssertionError("no vault row " + placeholder + " in " + doc);
    }

    private static ObjectNode findSettings(ObjectNode doc) {
        return (ObjectNode) doc.get("session").get("settings");
    }
}
