package dev.parley.cli;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.models.testing.FakeAnthropicServer;
import dev.parley.models.testing.FakeOllamaServer;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.testing.RecordedRequest;
import dev.parley.store.SessionStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parley chat} end to end: piped stdin, fake provider servers, a SQLite store in a temporary directory. */
class ChatCommandTest {
    private static final Pattern NEW_SESSION = Pattern.compile("new session (\\S+)\n");

    @TempDir
    Path dir;

    private final FakeOpenAiServer openai = FakeOpenAiServer.start();
    private final Map<String, String> environment = new HashMap<>();
    private String store;
    private String out;
    private String err;

    @BeforeEach
    void pointTheCommandAtFakes() throws IOException {
        store = "sqlite:" + dir.resolve("p.db");
        environment.put("OPENAI_API_KEY", "sk-test");
        environment.put("OPENAI_BASE_URL", openai.baseUrl());
        ChatCommand.environment = environment;
        ChatCommand.localOllama = nothingListening();
    }

    @AfterEach
    void restore() {
        ChatCommand.stdin = System.in;
        ChatCommand.environment = System.getenv();
        ChatCommand.localOllama = dev.parley.models.ollama.OllamaChatModel.DEFAULT_BASE_URL;
        openai.close();
    }

    /** A local URL where nothing answers, so no Ollama running on this machine can change what the tests see. */
    private static String nothingListening() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private int chat(String input, String... args) {
        ChatCommand.stdin = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        List<String> all = new ArrayList<>(List.of("chat"));
        all.addAll(List.of(args));
        all.add("--store");
        all.add(store);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = ParleyCli.run(all.toArray(String[]::new), new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return status;
    }

    private String newSessionId() {
        Matcher m = NEW_SESSION.matcher(err);
        assertThat(m.find()).as("stderr names the new session: %s", err).isTrue();
        return m.group(1);
    }

    private <T> T inStore(String id, Function<Session, T> read) {
        try (Parley parley = Parley.builder().store(SessionStores.open(store, Clock.systemUTC())).build()) {
            return read.apply(parley.open(SessionId.of(id)));
        }
    }

    /** The texts of the session's messages on its main branch, as stored. */
    private List<String> storedTexts(String id) {
        return inStore(id, s -> s.messages().stream().map(Message::text).toList());
    }

    private String storedMetadata(String id, String key) {
        return inStore(id, s -> s.metadata().get(key).orElse(null));
    }

    private static List<String> texts(RecordedRequest request) {
        List<String> texts = new ArrayList<>();
        request.json().path("messages").forEach(m -> texts.add(m.path("role").asString() + ": " + m.path("content").asString()));
        return texts;
    }

    @Test
    void twoPipedLinesAreTwoTurnsStreamedToStdoutAndKeptInTheStore() {
        openai.replyText("Hello! How can I help?");
        openai.replyText("Lyon is in France.");

        int status = chat("Hi\nWhere is Lyon?\n", "--system", "Be brief.");

        assertThat(status).isZero();
        assertThat(out).isEqualTo("Hello! How can I help?\nLyon is in France.\n");
        String id = newSessionId();
        assertThat(err).isEqualTo("new session " + id + "\n");
        assertThat(openai.requests()).allMatch(RecordedRequest::streamed);
        assertThat(openai.lastRequest().json().path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(texts(openai.lastRequest())).containsExactly("system: Be brief.", "user: Hi",
                "assistant: Hello! How can I help?", "user: Where is Lyon?");
        assertThat(storedTexts(id))
                .containsExactly("Be brief.", "Hi", "Hello! How can I help?", "Where is Lyon?", "Lyon is in France.");
    }

    @Test
    void aSessionIsContinuedWithItsHistoryByIdOnAnotherRun() {
        openai.replyText("Hello!");
        openai.replyText("You said hi.");
        chat("Hi\n", "--model", "gpt-4o");
        String id = newSessionId();

        int status = chat("What did I say?\n", "--session", id, "--model", "gpt-4o");

        assertThat(status).isZero();
        assertThat(out).isEqualTo("You said hi.\n");
        assertThat(err).isEmpty();
        assertThat(texts(openai.lastRequest())).containsExactly("user: Hi", "assistant: Hello!", "user: What did I say?");
        int size = inStore(id, Session::size);
        assertThat(size).isEqualTo(4);
    }

    @Test
    void checkpointRestoreBranchAndHistoryWorkBetweenTurns() {
        openai.replyText("Reply one.");
        openai.replyText("Reply two.");
        openai.replyText("Reply three.");

        int status = chat("""
                first question
                /checkpoint cp
                second question
                /restore cp
                /history
                /branch alt
                third question
                /history
                """, "--system", "Be brief.");

        assertThat(status).isZero();
        assertThat(out).isEqualTo("""
                Reply one.
                checkpoint cp → #3
                Reply two.
                main → #3
                #1     system     Be brief.
                #2     user       first question
                #3     assistant  Reply one.
                branch alt at #3; now on alt
                Reply three.
                #1     system     Be brief.
                #2     user       first question
                #3     assistant  Reply one.
                #6     user       third question
                #7     assistant  Reply three.
                """);
        assertThat(texts(openai.lastRequest())).containsExactly("system: Be brief.", "user: first question",
                "assistant: Reply one.", "user: third question");
        String id = newSessionId();
        String current = inStore(id, s -> s.info().currentBranch());
        assertThat(current).isEqualTo("alt");
        assertThat(storedTexts(id))
                .containsExactly("Be brief.", "first question", "Reply one.");
    }

    @Test
    void quotaShowsTheContextAgainstTheModelsWindowAndTheBudgetUsed() {
        openai.replyText("Hello!").usage(9, 4);

        chat("Hi\n/quota\n");

        assertThat(out).startsWith("Hello!\n");
        assertThat(out.lines().toList().get(1)).matches("context     \\d+ of 128000 tokens \\(0\\.0%\\), level SAFE \\(openai gpt-4o-mini\\)");
        assertThat(out.lines().toList().get(2)).isEqualTo("budget      13 tokens used by this session, 13 by its user");
    }

    @Test
    void switchSendsTheNextTurnsToAnotherProviderWithTheWholeHistory() {
        try (FakeAnthropicServer anthropic = FakeAnthropicServer.start()) {
            environment.put("ANTHROPIC_API_KEY", "sk-ant-test");
            environment.put("ANTHROPIC_BASE_URL", anthropic.baseUrl());
            openai.replyText("Hello from OpenAI.");
            anthropic.replyText("Hello from Claude.");

            int status = chat("Hi\n/switch anthropic claude-haiku-4-5\nAnd you?\n", "--system", "Be brief.");

            assertThat(status).isZero();
            assertThat(out).isEqualTo("Hello from OpenAI.\nnow anthropic claude-haiku-4-5\nHello from Claude.\n");
            JsonNode sent = anthropic.lastRequest().json();
            assertThat(sent.path("model").asString()).isEqualTo("claude-haiku-4-5");
            assertThat(sent.path("system").toString()).contains("Be brief.");
            assertThat(sent.path("messages")).extracting(m -> m.path("role").asString()).containsExactly("user", "assistant", "user");
            assertThat(sent.path("messages").toString()).contains("Hi", "Hello from OpenAI.", "And you?");
            assertThat(openai.requests()).hasSize(1);
        }
    }

    @Test
    void withNoProviderConfiguredItPrintsWhatToSetAndFailsWithoutTouchingTheStore() {
        environment.clear();

        int status = chat("Hi\n");

        assertThat(status).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).isEqualTo("""
                parley: no model provider is configured. Set one of these variables and run parley chat again:
                  export OPENAI_API_KEY=sk-...          # OpenAI; OPENAI_BASE_URL for a compatible server (vLLM, LM Studio, Groq ...)
                  export ANTHROPIC_API_KEY=sk-ant-...   # Anthropic; ANTHROPIC_BASE_URL for a proxy
                  export GEMINI_API_KEY=...             # Google Gemini; GEMINI_BASE_URL for a proxy
                  export OLLAMA_HOST=HOST:PORT          # Ollama elsewhere (one on this machine is found by itself: ollama serve)
                Then choose with --provider openai|anthropic|gemini|ollama and --model NAME.
                """);
        assertThat(Files.exists(dir.resolve("p.db"))).isFalse();
    }

    @Test
    void aProviderChosenWithoutItsKeyIsAnErrorNamingTheVariable() {
        int status = chat("Hi\n", "--provider", "anthropic");

        assertThat(status).isEqualTo(1);
        assertThat(err).isEqualTo("parley: anthropic needs ANTHROPIC_API_KEY: export ANTHROPIC_API_KEY=sk-ant-... "
                + "(and ANTHROPIC_BASE_URL to use another endpoint)\n");
        assertThat(chat("Hi\n", "--provider", "mistral")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: unknown provider 'mistral': use openai, anthropic, gemini or ollama\n");
        assertThat(Files.exists(dir.resolve("p.db"))).isFalse();
    }

    @Test
    void anOllamaOnThisMachineIsUsedWhenNoKeyIsSet() {
        try (FakeOllamaServer ollama = FakeOllamaServer.start()) {
            environment.clear();
            ChatCommand.localOllama = ollama.baseUrl();
            ollama.replyText("Hi from llama.");

            int status = chat("Hi\n");

            assertThat(status).isZero();
            assertThat(out).isEqualTo("Hi from llama.\n");
            RecordedRequest sent = ollama.requests().getLast();
            assertThat(sent.path()).isEqualTo("/api/chat");
            assertThat(sent.json().path("model").asString()).isEqualTo("llama3.2");
            assertThat(sent.json().at("/options/num_ctx").asInt()).isEqualTo(Providers.FALLBACK_WINDOW);
        }
    }

    @Test
    void ollamaHostPointsTheChatAtAnotherMachinesOllama() {
        try (FakeOllamaServer ollama = FakeOllamaServer.start()) {
            environment.put("OLLAMA_HOST", ollama.baseUrl().substring("http://".length()));
            ollama.replyText("Hi from afar.");

            int status = chat("Hi\n", "--provider", "ollama", "--model", "qwen3", "--window", "32768");

            assertThat(status).isZero();
            assertThat(out).isEqualTo("Hi from afar.\n");
            assertThat(ollama.lastRequest().json().path("model").asString()).isEqualTo("qwen3");
            assertThat(ollama.lastRequest().json().at("/options/num_ctx").asInt()).isEqualTo(32768);
        }
    }

    @Test
    void ollamaChosenWhenNoneAnswersSaysHowToStartOne() {
        int status = chat("Hi\n", "--provider", "ollama");

        assertThat(status).isEqualTo(1);
        assertThat(err).isEqualTo("parley: ollama: nothing answers at " + ChatCommand.localOllama
                + "; start it (ollama serve) or set OLLAMA_HOST=HOST:PORT\n");
        assertThat(Files.exists(dir.resolve("p.db"))).isFalse();
    }

    @Test
    void aFailedTurnPrintsOneLineStoresNothingAndTheChatGoesOn() {
        openai.replyText("One.");
        openai.replyProviderError(400, "invalid_request_error", "Something about the request is wrong.");
        openai.replyText("Three.");

        int status = chat("first\nsecond\nthird\n");

        assertThat(status).isEqualTo(1);
        assertThat(out).isEqualTo("One.\nThree.\n");
        String id = newSessionId();
        assertThat(err.lines().filter(l -> l.startsWith("parley: "))).singleElement().asString()
                .contains("Something about the request is wrong.");
        assertThat(texts(openai.lastRequest())).containsExactly("user: first", "assistant: One.", "user: third");
        assertThat(storedTexts(id)).containsExactly("first", "One.", "third", "Three.");
    }

    @Test
    void anUnknownOrMalformedCommandPrintsOneLineAndTheChatGoesOn() {
        openai.replyText("Hello!");

        int status = chat("/frobnicate\n/checkpoint\n/restore nowhere\nHi\n");

        assertThat(status).isEqualTo(1);
        assertThat(out).isEqualTo("Hello!\n");
        String id = newSessionId();
        assertThat(err).isEqualTo("new session " + id + "\n"
                + "parley: unknown command /frobnicate; commands: " + ChatLoop.COMMANDS + "\n"
                + "parley: usage: /checkpoint NAME\n"
                + "parley: no checkpoint nowhere in session " + id + "\n");
    }

    @Test
    void exitEndsTheChatBeforeTheRestOfTheInput() {
        openai.replyText("Hello!");

        assertThat(chat("Hi\n/exit\nnever sent\n")).isZero();

        assertThat(out).isEqualTo("Hello!\n");
        assertThat(openai.requests()).hasSize(1);
    }

    @Test
    void aLineStartingWithTwoSlashesIsAMessageStartingWithOne() {
        openai.replyText("It is a directory.");

        assertThat(chat("//usr/bin?\n")).isZero();

        assertThat(texts(openai.lastRequest())).containsExactly("user: /usr/bin?");
    }

    @Test
    void aNewSessionCanStartOnANamedBranchWhichBecomesItsCurrentOne() {
        openai.replyText("Hello!");

        assertThat(chat("Hi\n", "--branch", "draft")).isZero();

        String id = newSessionId();
        List<String> onDraft = inStore(id, s -> s.on("draft").messages().stream().map(Message::text).toList());
        assertThat(onDraft).containsExactly("Hi", "Hello!");
        assertThat(storedTexts(id)).isEmpty();
        String current = inStore(id, s -> s.info().currentBranch());
        assertThat(current).isEqualTo("draft");
    }

    @Test
    void continueSummarisesWithTheModelIntoANewSessionAndChatsThere() {
        openai.replyText("Lyon is in France.");
        openai.replyText("The user asked where Lyon is: France.");
        openai.replyText("About 522,000 people.");

        int status = chat("Where is Lyon?\n/continue\nHow many live there?\n", "--system", "Be brief.");

        assertThat(status).isZero();
        String old = newSessionId();
        Matcher continued = Pattern.compile("continued in session (\\S+) \\(from " + old + "\\)").matcher(out);
        assertThat(continued.find()).as(out).isTrue();
        assertThat(texts(openai.requests().get(1)).getLast()).contains("USER: Where is Lyon?", "ASSISTANT: Lyon is in France.");
        assertThat(texts(openai.lastRequest())).containsExactly("system: Be brief.",
                "system: Summary of the previous conversation:\nThe user asked where Lyon is: France.", "user: How many live there?");
        assertThat(storedMetadata(continued.group(1), "continuedFrom")).isEqualTo(old);
        assertThat(storedMetadata(old, "continuedIn")).isEqualTo(continued.group(1));
    }

    @Test
    void aSummaryPolicyHasTheChatModelSummariseOlderTurns() {
        openai.replyText("One.");
        openai.replyText("The user said first; the assistant said One.");
        openai.replyText("Two.");

        int status = chat("first\nsecond\n", "--policy", "summary:1:0");

        assertThat(status).isZero();
        assertThat(out).isEqualTo("One.\nTwo.\n");
        assertThat(openai.requests().get(1).json().at("/messages/0/role").asString()).isEqualTo("system");
        assertThat(texts(openai.lastRequest())).containsExactly(
                "system: Summary of the earlier conversation:\nThe user said first; the assistant said One.", "user: second");
        int size = inStore(newSessionId(), Session::size);
        assertThat(size).isEqualTo(4);
    }

    @Test
    void aSanitisingChatSendsPlaceholdersToTheModelAndShowsTheOriginals() throws IOException {
        openai.replyText("I will write to <EMAIL_1> and call <PHONE_1>.");
        openai.replyText("Done: <EMAIL_1>.");

        int status = chat("Write to jane.doe@example.com or call +44 20 7946 0958\nConfirm the address\n", "--sanitize");

        assertThat(status).as(err).isZero();
        assertThat(out).isEqualTo("I will write to jane.doe@example.com and call +44 20 7946 0958.\nDone: jane.doe@example.com.\n");
        assertThat(openai.requests()).hasSize(2).allSatisfy(r -> assertThat(r.body())
                .doesNotContain("jane.doe@example.com").doesNotContain("7946 0958"));
        assertThat(texts(openai.lastRequest())).contains("user: Write to <EMAIL_1> or call <PHONE_1>");
        assertThat(storedTexts(newSessionId())).noneMatch(t -> t.contains("jane.doe@example.com"));
        assertThat(dir.resolve(dev.parley.security.MasterKeys.FILE_NAME)).exists();
    }

    @Test
    void aChatThatNeverSanitisesLeavesNoMasterKeyBehind() {
        openai.replyText("Hi.");

        chat("Hello\n");

        assertThat(dir.resolve(dev.parley.security.MasterKeys.FILE_NAME)).doesNotExist();
        assertThat(openai.lastRequest().body()).contains("Hello");
    }

    @Test
    void badOptionsAreOneLineErrors() {
        assertThat(chat("", "--policy", "summary:x")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: policy 'summary:x' needs whole numbers: use summary:TRIGGER[:KEEP]\n");
        assertThat(chat("", "--policy", "sometimes")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: unknown policy 'sometimes': use all, last:N, tokens:MAX[:RESERVE] or summary:TRIGGER[:KEEP]\n");
        assertThat(chat("", "--session", "nope")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: no session nope\n");
        assertThat(chat("", "--session", "nope", "--system", "x")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: --system, --user and --sanitize apply to a new session; leave them out with --session\n");
        assertThat(chat("", "--json")).isEqualTo(1);
        assertThat(err).isEqualTo("parley: chat has no --json output: stdout carries the replies themselves\n");
    }
}
