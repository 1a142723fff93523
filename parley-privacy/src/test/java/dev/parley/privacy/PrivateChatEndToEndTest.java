package dev.parley.privacy;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.models.ChatModel;
import dev.parley.models.RetryPolicy;
import dev.parley.models.chat.Chat;
import dev.parley.models.chat.TurnResult;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.RecordedRequest;
import dev.parley.models.tools.ToolRegistry;
import dev.parley.security.KeyRing;
import dev.parley.security.MasterKey;
import dev.parley.store.sqlite.SqliteSessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when": after a chat containing personal data and a secret, neither the SQLite file nor any request
 * the model received holds an original value, while the caller and the tool got the originals.
 */
class PrivateChatEndToEndTest {
    record SendEmail(String to, String body) {
    }

    private static final String EMAIL = "jane.doe@example.com";
    private static final String PHONE = "+44 20 7946 0958";
    private static final String CARD = "4111 1111 1111 1111";
    private static final String AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE";
    private static final String SECOND_EMAIL = "backup.inbox@example.org";
    /** Every original, in the forms a careless layer might write: as typed, and normalised. */
    private static final List<String> ORIGINALS = List.of(EMAIL, PHONE, "+442079460958", "2079460958", CARD,
            "4111111111111111", AWS_KEY, SECOND_EMAIL);

    @TempDir
    Path dir;

    private final FakeOpenAiServer server = FakeOpenAiServer.start();
    private final ChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
            .environment(Map.of()).retryPolicy(RetryPolicy.none()).build();
    private final SessionPrivacy privacy = SessionPrivacy.builder(KeyRing.of(MasterKey.generate())).build();
    private final List<SendEmail> sent = new CopyOnWriteArrayList<>();
    private Parley parley;

    @AfterEach
    void close() {
        model.close();
        server.close();
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void neitherTheDatabaseNorTheModelEverSeesAnOriginalWhileTheCallerAndTheToolDo() throws Exception {
        Path db = dir.resolve("parley.db");
        parley = Parley.builder().store(new SqliteSessionStore(db, Clock.systemUTC())).build();
        Session session = parley.create(SessionSpec.builder().user("alice").systemPrompt("You are a helpful assistant.").build());
        SessionPrivacy.enable(session);
        ToolRegistry tools = new ToolRegistry().register("send_email", "Sends an e-mail", SendEmail.class, email -> {
            sent.add(email);
            return "sent to " + email.to();
        });
        Chat chat = Chat.builder(session).model(model).defaultModel("gpt-4o-mini").tools(tools).privacy(privacy).build();

        server.replyToolCalls(new Part.ToolCall("call_1", "send_email",
                "{\"to\":\"<EMAIL_1>\",\"body\":\"Card <CREDIT_CARD_1> is blocked; call <PHONE_1>.\"}"));
        server.replyText("Done: I mailed <EMAIL_1> about card <CREDIT_CARD_1>, and I will not repeat <SECRET_1>.");
        TurnResult first = chat.send("Please tell " + EMAIL + " that card " + CARD + " is blocked; my phone is " + PHONE
                + ". Also, our key " + AWS_KEY + " leaked.");

        assertThat(first.text()).isEqualTo("Done: I mailed " + EMAIL + " about card " + CARD + ", and I will not repeat "
                + AWS_KEY + ".");
        assertThat(sent).containsExactly(new SendEmail(EMAIL, "Card " + CARD + " is blocked; call " + PHONE + "."));
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().getFirst().body()).contains("Please tell <EMAIL_1> that card <CREDIT_CARD_1> is blocked;"
                + " my phone is <PHONE_1>. Also, our key <SECRET_1> leaked.");
        assertThat(server.requests().get(1).body()).contains("sent to <EMAIL_1>");

        server.replyText("I noted <EMAIL_2> next to <EMAIL_1>.");
        List<String> streamed = new ArrayList<>();
        TurnResult second = chat.stream("My backup address is " + SECOND_EMAIL, streamed::add).result().get(30, TimeUnit.SECONDS);
        assertThat(String.join("", streamed)).isEqualTo("I noted " + SECOND_EMAIL + " next to " + EMAIL + ".");
        assertThat(second.text()).isEqualTo("I noted " + SECOND_EMAIL + " next to " + EMAIL + ".");
        assertThat(server.requests()).hasSize(3);

        for (RecordedRequest request : server.requests()) {
            assertThat(request.body()).as("a request to the model").doesNotContain(ORIGINALS);
        }
        assertThat(session.messages()).extracting(Message::text).contains("sent to <EMAIL_1>", "My backup address is <EMAIL_2>");
        assertThat(PrivateTurns.restoredTexts(privacy, session)).contains("My backup address is " + SECOND_EMAIL);

        assertThat(databaseText(db)).as("the SQLite file and its WAL while open").doesNotContain(ORIGINALS).contains("<EMAIL_2>");
        parley.close();
        parley = null;
        assertThat(databaseText(db)).as("the SQLite file after a checkpoint").doesNotContain(ORIGINALS).contains("<EMAIL_2>");
    }

    @Test
    void aSessionThatStoppedSanitisingStillRestoresThePlaceholdersItHoldsAndOneThatNeverDidPassesTextUnchanged() {
        parley = Parley.builder().store(new SqliteSessionStore(dir.resolve("parley.db"), Clock.systemUTC())).build();
        Session switched = parley.create(SessionSpec.builder().user("alice").build());
        SessionPrivacy.enable(switched);
        Chat chat = Chat.builder(switched).model(model).defaultModel("gpt-4o-mini").privacy(privacy).build();
        server.replyText("Noted.");
        chat.send("Write to " + EMAIL + " later.");
        SessionPrivacy.disable(switched);

        server.replyText("I will write to <EMAIL_1> and to " + SECOND_EMAIL + ".");
        TurnResult afterSwitch = chat.send("Remind me whom, and also write to " + SECOND_EMAIL + ".");

        assertThat(afterSwitch.text()).isEqualTo("I will write to " + EMAIL + " and to " + SECOND_EMAIL + ".");
        assertThat(server.requests().getLast().body()).contains("Write to <EMAIL_1> later.").contains(SECOND_EMAIL);

        Session plain = parley.create(SessionSpec.builder().user("bob").build());
        Chat plainChat = Chat.builder(plain).model(model).defaultModel("gpt-4o-mini").privacy(privacy).build();
        server.replyText("Mail <EMAIL_1> at " + EMAIL + ".");
        TurnResult unchanged = plainChat.send("Mail " + EMAIL + ", please.");

        assertThat(unchanged.text()).isEqualTo("Mail <EMAIL_1> at " + EMAIL + ".");
        assertThat(server.requests().getLast().body()).contains("Mail " + EMAIL + ", please.");
        assertThat(plain.info().settings()).doesNotContainKey(SessionPrivacy.DATA_KEY_SETTING);
    }

    /** The bytes of the database and of its write-ahead log, read as Latin-1 so any byte sequence survives. */
    private String databaseText(Path db) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(db.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("parley.db")).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        assertThat(all).as("the database was found").isNotEmpty();
        return all.toString();
    }
}
