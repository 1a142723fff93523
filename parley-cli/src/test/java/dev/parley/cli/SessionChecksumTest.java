package dev.parley.cli;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import dev.parley.domain.Payload;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.TenantId;
import dev.parley.store.SessionImage;
import dev.parley.store.VaultRow;
import dev.parley.store.WriteRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SessionChecksumTest {
    private Parley parley;
    private SessionImage image;

    @BeforeEach
    void takeAnImageOfARichSession() {
        parley = Parley.inMemory();
        Session s = parley.create(SessionSpec.builder().id("s").user("alice").systemPrompt("sys").metadata("b", "2").metadata("a", "1").build());
        s.add(Message.user("hello"));
        s.state().session().put("obj", Map.of("y", 1, "x", List.of(1, 2)));
        s.checkpoint("zeta");
        s.checkpoint("alpha");
        parley.store().write(TenantId.DEFAULT, s.id(), WriteRequest.builder(Instant.parse("2026-01-01T00:00:00Z"))
                .vault(List.of(new VaultRow("<P_2>", "l2", "c2"), new VaultRow("<P_1>", "l1", "c1"))).build());
        image = parley.export(s.id());
    }

    @Test
    void theSameSessionListedInAnotherOrderHasTheSameChecksum() {
        List<Checkpoint> checkpoints = new ArrayList<>(image.checkpoints());
        java.util.Collections.reverse(checkpoints);
        List<VaultRow> vault = new ArrayList<>(image.vault());
        java.util.Collections.reverse(vault);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("a", "1");
        metadata.put("b", "2");
        SessionImage reordered = new SessionImage(image.info().withMetadata(metadata), image.branches().reversed(), checkpoints,
                image.entries(), vault, image.counters());

        assertThat(SessionChecksum.of(reordered)).isEqualTo(SessionChecksum.of(image)).hasSize(64);
    }

    @Test
    void theTenantIsNotPartOfTheChecksum() {
        SessionInfo info = image.info();
        SessionInfo elsewhere = new SessionInfo(TenantId.of("other"), info.id(), info.user(), info.createdAt(), info.updatedAt(),
                info.expiresAt(), info.absoluteExpiresAt(), info.idleTtl(), info.metadata(), info.version(), info.lastSeq(),
                info.currentBranch(), info.initialHead(), info.settings());
        SessionImage moved = new SessionImage(elsewhere, image.branches(), image.checkpoints(), image.entries(), image.vault(),
                image.counters());

        assertThat(SessionChecksum.of(moved)).isEqualTo(SessionChecksum.of(image));
    }

    @Test
    void anyChangeToAnEntryAVaultRowOrACounterChangesTheChecksum() {
        String original = SessionChecksum.of(image);
        List<Entry> entries = new ArrayList<>(image.entries());
        Entry hello = entries.get(1);
        entries.set(1, hello.withPayload(new Payload.MessagePayload(Message.user("hellO"))));
        List<VaultRow> vault = new ArrayList<>(image.vault());
        vault.set(0, new VaultRow(vault.get(0).placeholder(), vault.get(0).lookup(), "changed"));

        assertThat(SessionChecksum.of(new SessionImage(image.info(), image.branches(), image.checkpoints(), entries, image.vault(),
                image.counters()))).isNotEqualTo(original);
        assertThat(SessionChecksum.of(new SessionImage(image.info(), image.branches(), image.checkpoints(), image.entries(), vault,
                image.counters()))).isNotEqualTo(original);
        assertThat(SessionChecksum.of(new SessionImage(image.info(), image.branches(), image.checkpoints(), image.entries(),
                image.vault(), Map.of("messages.user", 99L)))).isNotEqualTo(original);
    }
}
