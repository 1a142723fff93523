package dev.parley.models.tools;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.RetryPolicy;
import dev.parley.models.Usage;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeOpenAiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolLoopTest {
    record City(String city) {
    }

    private FakeOpenAiServer server;
    private ChatModel model;

    @BeforeEach
    void start() {
        server = FakeOpenAiServer.start();
        model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-loop").environment(Map.of())
                .retryPolicy(RetryPolicy.none()).build();
    }

    @AfterEach
    void stop() {
        model.close();
        server.close();
    }

    private static ChatRequest ask(String text) {
        return ChatRequest.of("gpt-4o-mini", List.of(Message.user(text)));
    }

    private static Part.ToolCall call(String id, String name, String arguments) {
        return new Part.ToolCall(id, name, arguments);
    }

    @Test
    void theLoopRunsTheToolsAndCallsTheModelAgainUntilItAnswersAndReturnsEverythingItProduced() {
        ToolRegistry tools = new ToolRegistry().register("temperature", "Temperature in a city", City.class, c -> 21);
        server.replyToolCalls(call("call_1", "temperature", "{\"city\":\"Nice\"}")).usage(10, 5);
        server.replyText("It is 21°C in Nice.").usage(30, 8);

        ToolLoopResult result = ToolLoop.builder(model, tools).build().run(ask("How warm is Nice?"));

        assertThat(result.messages()).extracting(Message::role).containsExactly(Role.ASSISTANT, Role.TOOL, Role.ASSISTANT);
        assertThat(result.messages().get(0).toolCalls()).containsExactly(call("call_1", "temperature", "{\"city\":\"Nice\"}"));
        assertThat(result.messages().get(1).toolResults()).containsExactly(new Part.ToolResult("call_1", "21", false));
        assertThat(result.finalResponse().text()).isEqualTo("It is 21°C in Nice.");
        assertThat(result.usage()).isEqualTo(new Usage(40, 13));
        assertThat(result.toolRounds()).isEqualTo(1);
        JsonNode second = server.lastRequest().json();
        assertThat(second.at("/tools/0/function/name").asString()).isEqualTo("temperature");
        assertThat(second.at("/messages/2").toString()).isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"21\"}");
    }

    @Test
    void parallelCallsRunConcurrentlyAndTheirResultsKeepTheOrderOfTheCalls() {
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        List<String> finished = Collections.synchronizedList(new ArrayList<>());
        ToolRegistry tools = new ToolRegistry().register("slow_lookup", "Looks up a city", City.class, c -> {
            try {
                bothRunning.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the two calls did not run at the same time", e);
            }
            finished.add(c.city());
            return c.city().toUpperCase();
        });
        server.replyToolCalls(call("call_a", "slow_lookup", "{\"city\":\"Bern\"}"), call("call_b", "slow_lookup", "{\"city\":\"Graz\"}"));
        server.replyText("Both found.");

        ToolLoopResult result = ToolLoop.builder(model, tools).build().run(ask("Bern and Graz"));

        assertThat(result.messages().subList(1, 3)).flatExtracting(Message::toolResults).containsExactly(
                new Part.ToolResult("call_a", "BERN", false), new Part.ToolResult("call_b", "GRAZ", false));
        assertThat(finished).containsExactlyInAnyOrder("Bern", "Graz");
    }

    @Test
    void anExceptionInAToolIsSentToTheModelAsAnErrorResultAndTheLoopGoesOn() {
        ToolRegistry tools = new ToolRegistry().register("divide", "Divides", City.class, c -> {
            throw new ArithmeticException("/ by zero");
        });
        server.replyToolCalls(call("call_x", "divide", "{\"city\":\"0\"}"), call("call_y", "no_such_tool", "{}"));
        server.replyText("Sorry, that failed.");

        ToolLoopResult result = ToolLoop.builder(model, tools).build().run(ask("Divide"));

        assertThat(result.messages().get(1).toolResults()).containsExactly(
                new Part.ToolResult("call_x", "tool 'divide' failed: ArithmeticException: / by zero", true));
        assertThat(result.messages().get(2).toolResults().getFirst().content()).startsWith("unknown tool 'no_such_tool'");
        assertThat(result.finalResponse().text()).isEqualTo("Sorry, that failed.");
        assertThat(server.lastRequest().json().at("/messages/2/content").asString())
                .isEqualTo("tool 'divide' failed: ArithmeticException: / by zero");
    }

    @Test
    void aModelThatKeepsAskingForToolsPastTheBoundIsAClearError() {
        ToolRegistry tools = new ToolRegistry().register("again", "Asks again", City.class, c -> "more");
        for (int i = 0; i < 3; i++) {
            server.replyToolCalls(call("call_" + i, "again", "{\"city\":\"x\"}")).usage(1, 1);
        }

        assertThatThrownBy(() -> ToolLoop.builder(model, tools).maxRounds(2).build().run(ask("Loop")))
                .isInstanceOfSatisfying(ToolLoopLimitException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("the model still asked for tools (again) after 2 rounds of tool calls,"
                            + " the loop's bound (maxRounds)");
                    assertThat(e.messages()).extracting(Message::role).containsExactly(Role.ASSISTANT, Role.TOOL, Role.ASSISTANT,
                            Role.TOOL, Role.ASSISTANT);
                    assertThat(e.usage()).isEqualTo(new Usage(3, 3));
                });
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void theInterceptorChangesTheArgumentsAToolRunsWithAndTheResultTheModelSeesButNotTheRecordedCall() {
        List<String> seenByTool = new ArrayList<>();
        ToolRegistry tools = new ToolRegistry().register("email", "Sends an email", City.class, c -> {
            seenByTool.add(c.city());
            return "sent to " + c.city();
        });
        ToolInterceptor privacy = new ToolInterceptor() {
            @Override
            public String beforeCall(Part.ToolCall call) {
                return call.arguments().replace("<EMAIL_1>", "ada@example.com");
            }

            @Override
            public Part.ToolResult afterCall(Part.ToolCall call, Part.ToolResult result) {
                return new Part.ToolResult(result.callId(), result.content().replace("ada@example.com", "<EMAIL_1>"), result.isError());
            }
        };
        server.replyToolCalls(call("call_m", "email", "{\"city\":\"<EMAIL_1>\"}"));
        server.replyText("Done.");

        ToolLoopResult result = ToolLoop.builder(model, tools).interceptor(privacy).build().run(ask("Mail Ada"));

        assertThat(seenByTool).containsExactly("ada@example.com");
        assertThat(result.messages().get(0).toolCalls().getFirst().arguments()).isEqualTo("{\"city\":\"<EMAIL_1>\"}");
        assertThat(result.messages().get(1).toolResults().getFirst().content()).isEqualTo("sent to <EMAIL_1>");
        assertThat(server.lastRequest().body()).doesNotContain("ada@example.com");
    }

    @Test
    void aFailingInterceptorEndsTheLoopInsteadOfLeakingUnsanitisedResults() {
        ToolRegistry tools = new ToolRegistry().register("email", "Sends an email", City.class, c -> "secret");
        ToolInterceptor broken = new ToolInterceptor() {
            @Override
            public Part.ToolResult afterCall(Part.ToolCall call, Part.ToolResult result) {
                throw new IllegalStateException("vault unavailable");
            }
        };
        server.replyToolCalls(call("call_m", "email", "{\"city\":\"x\"}"));

        assertThatThrownBy(() -> ToolLoop.builder(model, tools).interceptor(broken).build().run(ask("Mail")))
                .isInstanceOf(IllegalStateException.class).hasMessage("vault unavailable");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aStreamingRunForwardsTheTextOfEveryModelCall() {
        ToolRegistry tools = new ToolRegistry().register("temperature", "Temperature", City.class, c -> 3);
        server.replyTextAndToolCalls("Let me check.", call("call_1", "temperature", "{\"city\":\"Oslo\"}"));
        server.replyText("It is 3°C in Oslo.");
        List<String> deltas = Collections.synchronizedList(new ArrayList<>());

        ToolLoopResult result = ToolLoop.builder(model, tools).build().run(ask("Oslo?"), deltas::add);

        assertThat(String.join("", deltas)).isEqualTo("Let me check.It is 3°C in Oslo.");
        assertThat(result.finalResponse().text()).isEqualTo("It is 3°C in Oslo.");
        assertThat(server.requests()).allMatch(r -> r.streamed());
    }
}
