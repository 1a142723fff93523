package dev.parley.privacy;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.models.ChatModel;
import dev.parley.models.RetryPolicy;
import dev.parley.models.chat.AdmissionPolicy;
import dev.parley.models.chat.Chat;
import dev.parley.models.chat.TurnResult;
import dev.parley.models.chat.TurnStream;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.ScriptedReply;
import dev.parley.security.KeyRing;
import dev.parley.security.MasterKey;
import dev.parley.store.VaultRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two turns of one session that run at the same time (admission BRANCH) and both issue {@code <EMAIL_1>}: the store
 * refuses the second turn's vault row, and the turn re-maps its messages and lands without calling the model again.
 */
class ConcurrentPrivateTurnsTest {
    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    private final ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
            .environment(Map.of()).retryPolicy(RetryPolicy.none()).build();
    private final Parley parley = Parley.inMemory();
    private final SessionPrivacy privacy = SessionPrivacy.builder(KeyRing.of(MasterKey.generate())).build();
    private final Session session = parley.create(SessionSpec.builder().user("alice").build());
    private final Chat chat = Chat.builder(session).model(model).defaultModel("gpt-4o-mini")
            .admission(AdmissionPolicy.BRANCH).privacy(privacy).build();

    @AfterEach
    void close() {
        model.close();
        server.close();
        parley.close();
    }

    /** Runs turn A and turn B so that both have sanitised before either appends; A lands first. */
    private TurnResult[] concurrently(String a, String b, String replyA, String replyB, List<String> streamedB) throws Exception {
        SessionPrivacy.enable(session);
        ScriptedReply.Gate gateA = server.replyText(replyA).pauseAfterFirstChunk();
        ScriptedReply.Gate gateB = server.replyText(replyB).pauseAfterFirstChunk();
        TurnStream first = chat.stream(a, text -> { });
        assertThat(gateA.awaitReached()).isTrue();
        TurnStream second = chat.stream(b, streamedB::add);
        assertThat(gateB.awaitReached()).isTrue();
        gateA.open();
        TurnResult resultA = first.result().get(30, TimeUnit.SECONDS);
        gateB.open();
        TurnResult resultB = second.result().get(30, TimeUnit.SECONDS);
        return new TurnResult[]{resultA, resultB};
    }

    @Test
    void theTurnThatLandsSecondRemapsItsPlaceholdersAndKeepsTheModelsReply() throws Exception {
        List<String> streamedB = new CopyOnWriteArrayList<>();
        TurnResult[] results = concurrently("Mail ann@example.com", "Mail bob@example.org",
                "Mailing <EMAIL_1> now.", "Mailing <EMAIL_1> now.", streamedB);

        assertThat(results[0].text()).isEqualTo("Mailing ann@example.com now.");
        assertThat(results[0].branch()).isEqualTo(Names.MAIN);
        assertThat(results[1].text()).isEqualTo("Mailing bob@example.org now.");
        assertThat(String.join("", streamedB)).isEqualTo("Mailing bob@example.org now.");
        assertThat(results[1].branch()).startsWith("turn/");
        assertThat(server.requests()).as("the model is not called again").hasSize(2);

        assertThat(session.on(results[1].branch()).messages()).extracting(Message::text)
                .containsExactly("Mail <EMAIL_2>", "Mailing <EMAIL_2> now.");
        assertThat(session.messages()).extracting(Message::text).containsExactly("Mail <EMAIL_1>", "Mailing <EMAIL_1> now.");
        VaultPlaceholderBook book = privacy.book(session);
        assertThat(book.originalOf("<EMAIL_1>")).contains("ann@example.com");
        assertThat(book.originalOf("<EMAIL_2>")).contains("bob@example.org");
        assertThat(parley.store().vault(session.tenant(), session.id())).hasSize(2);
    }

    @Test
    void oneNewValueInTwoConcurrentTurnsGetsOnePlaceholder() throws Exception {
        TurnResult[] results = concurrently("Mail cat@example.net", "Also mail cat@example.net",
                "Mailing <EMAIL_1>.", "Again <EMAIL_1>.", new CopyOnWriteArrayList<>());

        assertThat(results[1].text()).isEqualTo("Again cat@example.net.");
        assertThat(session.on(results[1].branch()).messages()).extracting(Message::text)
                .containsExactly("Also mail <EMAIL_1>", "Again <EMAIL_1>.");
        assertThat(parley.store().vault(session.tenant(), session.id())).extracting(VaultRow::placeholder)
                .containsExactly("<EMAIL_1>");
    }
}
