package dev.parley.models;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.models.anthropic.AnthropicChatModel;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeAnthropicServer;
import dev.parley.models.testing.FakeOpenAiServer;
import dev.parley.models.tools.ToolLoop;
import dev.parley.models.tools.ToolLoopResult;
import dev.parley.models.tools.ToolRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One neutral history, continued on another provider: the adapters render it for whoever is next. */
class ProviderSwitchingTest {
    record Lookup(String city) {
    }

    @Test
    void aConversationWithAToolCallOnOpenAiContinuesOnAnthropicWithTheSameHistory() {
        try (FakeOpenAiServer openaiServer = FakeOpenAiServer.start();
             FakeAnthropicServer anthropicServer = FakeAnthropicServer.start();
             ChatModel openai = OpenAiChatModel.builder().baseUrl(openaiServer.baseUrl()).apiKey("sk-o").environment(Map.of())
                     .retryPolicy(RetryPolicy.none()).build();
             ChatModel anthropic = AnthropicChatModel.builder().baseUrl(anthropicServer.baseUrl()).apiKey("sk-a")
                     .environment(Map.of()).retryPolicy(RetryPolicy.none()).build()) {
            ToolRegistry tools = new ToolRegistry().register("population", "Population of a city", Lookup.class,
                    lookup -> lookup.city().equals("Lyon") ? 522_000 : 0);
            openaiServer.replyToolCalls(new Part.ToolCall("call_lyon.1", "population", "{\"city\":\"Lyon\"}"));
            openaiServer.replyText("Lyon has about 522,000 inhabitants.");
            anthropicServer.replyText("Roughly half a million, yes.");

            List<Message> history = new ArrayList<>(List.of(Message.system("You are a geography tutor."),
                    Message.user("How many people live in Lyon?")));
            ToolLoopResult first = ToolLoop.builder(openai, tools).build().run(ChatRequest.of("gpt-4o", history));
            history.addAll(first.messages());
            history.add(Message.user("So about half a million?"));

            ChatResponse second = anthropic.chat(new ChatRequest("claude-sonnet-4-5", history, tools.specs(), null));

            assertThat(first.messages()).hasSize(3);
            assertThat(second.text()).isEqualTo("Roughly half a million, yes.");
            JsonNode sent = anthropicServer.lastRequest().json();
            assertThat(sent.path("system").asString()).isEqualTo("You are a geography tutor.");
            assertThat(sent.path("messages").size()).isEqualTo(5);
            assertThat(sent.at("/messages/1/content/0").toString())
                    .isEqualTo("{\"type\":\"tool_use\",\"id\":\"call_lyon_1\",\"name\":\"population\",\"input\":{\"city\":\"Lyon\"}}");
            assertThat(sent.at("/messages/2/content/0").toString())
                    .isEqualTo("{\"type\":\"tool_result\",\"tool_use_id\":\"call_lyon_1\",\"content\":\"522000\"}");
            assertThat(sent.at("/messages/2/role").asString()).isEqualTo("user");
            assertThat(sent.at("/messages/3").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
                    + "\"text\":\"Lyon has about 522,000 inhabitants.\"}]}");
            assertThat(sent.at("/messages/4").toString())
                    .isEqualTo("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"So about half a million?\"}]}");
        }
    }
}
