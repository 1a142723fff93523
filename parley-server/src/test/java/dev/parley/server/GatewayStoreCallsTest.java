package dev.parley.server;

import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.store.EntryDraft;
import dev.parley.store.SessionStore;
import dev.parley.store.WriteRequest;
import dev.parley.store.memory.InMemorySessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a gateway turn asks of the store, counted call by call (never timed): the turn is appended, and the tokens it
 * used booked, in one write; a budget without a limit costs no reservation; and a session's length does not change how often it is read.
 */
class GatewayStoreCallsTest {
    private static final String MODEL = "gpt-4o-mini";

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<List<Role>> writes = new CopyOnWriteArrayList<>();
    private final FakeOpenAiServer upstream = FakeOpenAiServer.start().requireApiKey("sk-upstream");
    private final TestServer api = TestServer.start(Map.of(), b -> b.store(recording(new InMemorySessionStore()))
            .environment(Map.of("OPENAI_API_KEY", "sk-upstream", "OPENAI_BASE_URL", upstream.baseUrl())));

    @AfterEach
    void stop() {
        api.close();
        upstream.close();
    }

    /** {@code store}, noting the name of every call, and the roles of the messages each write appends. */
    private SessionStore recording(SessionStore store) {
        return (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(), new Class<?>[]{SessionStore.class},
                (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (method.getName().startsWith("write") && args[2] instanceof WriteRequest request) {
                        writes.add(request.entries().stream().map(EntryDraft::payload)
                                .map(p -> p instanceof Payload.MessagePayload m ? m.message().role() : null)
                                .toList());
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private OpenAiSdkClient sdk(String session) {
        return new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY, Map.of("X-Parley-Session", session));
    }

    /** The store calls of one turn sending {@code conversation}, by operation. */
    private Map<String, Integer> turn(OpenAiSdkClient client, OpenAiSdkClient.Conversation conversation, String reply) {
        upstream.replyText(reply);
        calls.clear();
        writes.clear();
        OpenAiSdkClient.Response response = client.create(client.body(MODEL, conversation));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, Integer> byOperation = new TreeMap<>();
        calls.forEach(name -> byOperation.merge(name, 1, Integer::sum));
        return byOperation;
    }

    @Test
    void aTurnAppendsTheUsersMessageAndTheReplyAndBooksItsTokensInOneWriteAndReservesNoBudgetWithoutALimit() {
        api.createSession("{\"id\": \"one-write\"}");
        OpenAiSdkClient client = sdk("one-write");

        Map<String, Integer> calls = turn(client, new OpenAiSdkClient.Conversation().user("Hello?"), "Hi.");

        assertThat(writes).containsExactly(List.of(Role.USER, Role.ASSISTANT));
        assertThat(calls).containsEntry("writeAndSettle", 1).doesNotContainKeys("write", "settle", "reserve");
    }

    @Test
    void aClientSendingItsNewestTurnCostsTheSameStoreCallsWhateverTheLengthOfTheSession() {
        // A window of the last messages: with the whole history as context, reading it grows with it by design.
        api.createSession("{\"id\": \"growing\", \"model\": {\"policy\": \"last:6\"}}");
        OpenAiSdkClient client = sdk("growing");
        for (int i = 0; i < 3; i++) {
            turn(client, new OpenAiSdkClient.Conversation().user("Question " + i), "Answer " + i);
        }
        Map<String, Integer> early = turn(client, new OpenAiSdkClient.Conversation().user("Question 3"), "Answer 3");
        for (int i = 4; i < 30; i++) {
            turn(client, new OpenAiSdkClient.Conversation().user("Question " + i), "Answer " + i);
        }

        Map<String, Integer> late = turn(client, new OpenAiSdkClient.Conversation().user("Question 30"), "Answer 30");

        assertThat(late).isEqualTo(early);
        // The session row once: the gateway's read (owner, model defaults, the head the history is lined up with) is
        // passed to the turn, which is conditional on that head; one read of the newest entries for the context; the
        // turn with the budget's use. No vault: this session neither sanitises nor has a data key.
        assertThat(late).as("store calls of a turn").isEqualTo(Map.of("find", 1, "path", 1, "writeAndSettle", 1));
    }

    @Test
    void aFullHistoryTurnDoesNotReadTheVaultOfASessionThatNeitherSanitisesNorHasADataKey() {
        api.createSession("{\"id\": \"full\"}");
        OpenAiSdkClient client = sdk("full");
        OpenAiSdkClient.Conversation conversation = new OpenAiSdkClient.Conversation().user("Capital of France?");
        upstream.replyText("Paris.");
        conversation.append(client.create(client.body(MODEL, conversation)).json()).user("And of Italy?");

        Map<String, Integer> calls = turn(client, conversation, "Rome.");

        assertThat(calls).containsEntry("writeAndSettle", 1).doesNotContainKey("vault");
        assertThat(writes).containsExactly(List.of(Role.USER, Role.ASSISTANT));
    }

    @Test
    void aFullHistoryTurnReadsTheRowAndThePathOnce() {
        api.createSession("{\"id\": \"once\"}");
        OpenAiSdkClient client = sdk("once");
        OpenAiSdkClient.Conversation conversation = new OpenAiSdkClient.Conversation().user("Question 0");
        for (int i = 0; i < 5; i++) {
            upstream.replyText("Answer " + i);
            conversation.append(client.create(client.body(MODEL, conversation)).json()).user("Question " + (i + 1));
        }

        Map<String, Integer> calls = turn(client, conversation, "Answer 5");

        // The row once (passed on to the turn, whose append is conditional on the head it read), the whole path once:
        // the history rule lines the request up with it, and the context is built from the same entries.
        assertThat(calls).as("store calls of a turn").isEqualTo(Map.of("find", 1, "path", 1, "writeAndSettle", 1));
        assertThat(writes).containsExactly(List.of(Role.USER, Role.ASSISTANT));
    }
}
