package dev.parley.privacy.internal;

import dev.parley.ConflictException;
import dev.parley.NotFoundException;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.privacy.VaultException;
import dev.parley.security.KeyChain;
import dev.parley.security.KeyEncryptionKey;
import dev.parley.security.KeyException;
import dev.parley.security.UserKeys;
import dev.parley.store.SessionPatch;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.SessionStore;
import dev.parley.store.WriteRequest;

import javax.crypto.SecretKey;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A session's data key: kept wrapped under its user's key-encryption key in the session's settings, created when the
 * session first needs one. Creation is a conditional write, so two turns that both find no key end up sharing the one
 * written first.
 */
public final class SessionDataKeys {
    /** The setting holding the wrapped data key. */
    public static final String SETTING = "privacy.dek";
    private static final int ATTEMPTS = 16;

    private final UserKeys userKeys;
    private final Clock clock;

    public SessionDataKeys(UserKeys userKeys, Clock clock) {
        this.userKeys = userKeys;
        this.clock = clock;
    }

    /**
     * The session's data key, if it has one. Fails with a clear error when the key-encryption key it was wrapped
     * under is gone: the user was erased, so nothing of the session can be restored.
     */
    public Optional<SecretKey> existing(SessionInfo info) {
        String wrapped = info.settings().get(SETTING);
        if (wrapped == null) {
            return Optional.empty();
        }
        String what = "the data key of session " + info.id();
        KeyEncryptionKey kek;
        try {
            kek = userKeys.find(info.tenant(), info.user()).orElseThrow(() -> erased(info));
            if (!kek.id().equals(KeyChain.keyEncryptionKeyIdOf(wrapped))) {
                throw erased(info);
            }
            return Optional.of(KeyChain.unwrapDataKey(kek, wrapped, what));
        } catch (KeyException e) {
            throw new VaultException("the vault of session " + info.id() + " cannot be opened: " + e.getMessage(), e);
        }
    }

    private static VaultException erased(SessionInfo info) {
        return new VaultException("the placeholders of session " + info.id() + " are encrypted under a key of user "
                + info.user() + " that no longer exists: the user's key was erased (or the session comes from another"
                + " deployment), so its originals cannot be restored");
    }

    /** The session's data key, created and stored now if it has none. */
    public SecretKey getOrCreate(SessionStore store, TenantId tenant, SessionId id) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            SessionSnapshot snapshot = store.find(tenant, id).orElseThrow(() -> new NotFoundException("no session " + id));
            SessionInfo info = snapshot.info();
            Optional<SecretKey> existing = existing(info);
            if (existing.isPresent()) {
                return existing.get();
            }
            KeyEncryptionKey kek = userKeys.getOrCreate(tenant, info.user());
            SecretKey dek = KeyChain.newDataKey();
            WriteRequest request = WriteRequest.builder(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                    .ifVersion(info.version())
                    .patch(SessionPatch.settings(Map.of(SETTING, KeyChain.wrapDataKey(kek, dek)), Set.of()))
                    .build();
            try {
                store.write(tenant, id, request);
                return dek;
            } catch (ConflictException e) {
                if (e.reason() != ConflictException.Reason.VERSION) {
                    throw e;
                }
            }
        }
        throw new ConflictException(ConflictException.Reason.VERSION, "session " + id
                + " kept changing while its data key was being created; try again");
    }
}
