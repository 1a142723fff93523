package dev.parley;

import dev.parley.domain.Message;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.memory.InMemorySessionStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A handle made from a row the caller has read is the session itself, and only in the row's own tenant. */
class OpenFromSnapshotTest {
    private final InMemorySessionStore store = new InMemorySessionStore();
    private final Parley acme = Parley.builder().store(store).tenant(TenantId.of("acme")).build();
    private final Parley globex = Parley.builder().store(store).tenant(TenantId.of("globex")).build();

    @Test
    void aHandleFromASnapshotIsTheStoredSessionAndRefusesAnotherTenantsRow() {
        Session created = acme.create(SessionSpec.builder().user("alice").build());
        created.add(Message.user("hello"));
        SessionSnapshot row = store.find(acme.tenant(), created.id()).orElseThrow();

        Session opened = acme.open(row);

        assertThat(opened.id()).isEqualTo(created.id());
        assertThat(opened.user()).isEqualTo(created.user());
        assertThat(opened.messages()).extracting(Message::text).containsExactly("hello");
        assertThatThrownBy(() -> globex.open(row)).isInstanceOf(InvalidInputException.class)
                .hasMessage("session " + created.id() + " belongs to tenant acme, not globex");
    }
}
