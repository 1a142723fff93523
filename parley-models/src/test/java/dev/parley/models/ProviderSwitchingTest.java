package dev.parley.models;

import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.models.anthropic.AnthropicChatModel;
import dev.parley.models.gemini.GeminiChatModel;
import dev.parley.models.ollama.OllamaChatModel;
import dev.parley.models.openai.OpenAiChatModel;
import dev.parley.models.testing.FakeAnthropicServer;
import dev.parley.models.testing.FakeGeminiServer;
import dev.parley.models.testing.FakeOllamaServer;
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

    private static ToolRegistry population() {
        return new ToolRegistry().register("population", "Population of a city", Lookup.class,
                lookup -> lookup.city().equals("Lyon") ? 522_000 : 0);
    }

    /** A system prompt, a question, OpenAI's tool call, its result, OpenAI's answer, and a follow-up question. */
    private static List<Message> historyFromOpenAi(ToolRegistry tools) {
        try (FakeOpenAiServer openaiServer = FakeOpenAiServer.start();
             ChatModel openai = OpenAiChatModel.builder().baseUrl(openaiServer.baseUrl()).apiKey("sk-o").environment(Map.of())
                     .retryPolicy(RetryPolicy.none()).build()) {
            openaiServer.replyToolCalls(new Part.ToolCall("call_lyon.1", "population", "{\"city\":\"Lyon\"}"));
            openaiServer.replyText("Lyon has about 522,000 inhabitants.");
            List<Message> history = new ArrayList<>(List.of(Message.system("You are a geography tutor."),
                    Message.user("How many people live in Lyon?")));
            history.addAll(ToolLoop.builder(openai, tools).build().run(ChatRequest.of("gpt-4o", history)).messages());
            history.add(Message.user("So about half a million?"));
            return history;
        }
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

    @Test
    void aConversationWithAToolCallOnOpenAiContinuesOnGeminiPairingTheResultByFunctionName() {
        ToolRegistry tools = population();
        List<Message> history = historyFromOpenAi(tools);
        try (FakeGeminiServer geminiServer = FakeGeminiServer.start();
             ChatModel gemini = GeminiChatModel.builder().baseUrl(geminiServer.baseUrl()).apiKey("AIza-g").environment(Map.of())
                     .retryPolicy(RetryPolicy.none()).build()) {
            geminiServer.replyText("Roughly half a million, yes.");

            ChatResponse reply = gemini.chat(new ChatRequest("gemini-2.5-flash", history, tools.specs(), null));

            assertThat(reply.text()).isEqualTo("Roughly half a million, yes.");
            JsonNode sent = geminiServer.lastRequest().json();
            assertThat(sent.at("/systemInstruction/parts/0/text").asString()).isEqualTo("You are a geography tutor.");
            assertThat(sent.path("contents").toString()).isEqualTo("["
                    + "{\"role\":\"user\",\"parts\":[{\"text\":\"How many people live in Lyon?\"}]},"
                    + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"population\",\"args\":{\"city\":\"Lyon\"}},"
                    + "\"thoughtSignature\":\"skip_thought_signature_validator\"}]},"
                    + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"population\",\"response\":{\"result\":\"522000\"}}}]},"
                    + "{\"role\":\"model\",\"parts\":[{\"text\":\"Lyon has about 522,000 inhabitants.\"}]},"
                    + "{\"role\":\"user\",\"parts\":[{\"text\":\"So about half a million?\"}]}]");
        }
    }

    @Test
    void aConversationWithAToolCallOnOpenAiContinuesOnOllamaNamingTheToolInItsResult() {
        ToolRegistry tools = population();
        List<Message> history = historyFromOpenAi(tools);
        try (FakeOllamaServer ollamaServer = FakeOllamaServer.start();
             ChatModel ollama = OllamaChatModel.builder().baseUrl(ollamaServer.baseUrl()).environment(Map.of())
                     .retryPolicy(RetryPolicy.none()).build()) {
            ollamaServer.replyText("Yes, about half a million.");

            ChatResponse reply = ollama.chat(new ChatRequest("llama3.2", history, tools.specs(), null));

            assertThat(reply.text()).isEqualTo("Yes, about half a million.");
            assertThat(ollamaServer.lastRequest().json().path("messages").toString()).isEqualTo("["
                    + "{\"role\":\"system\",\"content\":\"You are a geography tutor.\"},"
                    + "{\"role\":\"user\",\"content\":\"How many people live in Lyon?\"},"
                    + "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"population\","
                    + "\"arguments\":{\"city\":\"Lyon\"}}}]},"
                    + "{\"role\":\"tool\",\"content\":\"522000\",\"tool_name\":\"population\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Lyon has about 522,000 inhabitants.\"},"
                    + "{\"role\":\"user\",\"content\":\"So about half a million?\"}]");
        }
    }

    @Test
    void aToolCallMadeOnGeminiContinuesOnAnthropicUnderTheIdTheAdapterGaveIt() {
        ToolRegistry tools = population();
        try (FakeGeminiServer geminiServer = FakeGeminiServer.start();
             FakeAnthropicServer anthropicServer = FakeAnthropicServer.start();
             ChatModel gemini = GeminiChatModel.builder().baseUrl(geminiServer.baseUrl()).apiKey("AIza-g").environment(Map.of())
                     .retryPolicy(RetryPolicy.none()).build();
             ChatModel anthropic = AnthropicChatModel.builder().baseUrl(anthropicServer.baseUrl()).apiKey("sk-a")
                     .environment(Map.of()).retryPolicy(RetryPolicy.none()).build()) {
            geminiServer.replyToolCalls(new Part.ToolCall("unsent", "population", "{\"city\":\"Lyon\"}")).withThinking("Look it up.");
            geminiServer.replyText("About 522,000.");
            anthropicServer.replyText("Indeed.");
            List<Message> history = new ArrayList<>(List.of(Message.user("How many people live in Lyon?")));
            ToolLoopResult first = ToolLoop.builder(gemini, tools).build().run(ChatRequest.of("gemini-2.5-flash", history));
            history.addAll(first.messages());
            history.add(Message.user("Sure?"));
            String id = first.messages().getFirst().toolCalls().getFirst().id();

            anthropic.chat(new ChatRequest("claude-sonnet-4-5", history, tools.specs(), null));

            JsonNode sent = anthropicServer.lastRequest().json();
            assertThat(sent.at("/messages/1/content").toString()).isEqualTo("[{\"type\":\"tool_use\",\"id\":\"" + id
                    + "\",\"name\":\"population\",\"input\":{\"city\":\"Lyon\"}}]");
            assertThat(sent.at("/messages/2/content/0/tool_use_id").asString()).isEqualTo(id);
            assertThat(geminiServer.lastRequest().json().at("/contents/1/parts/0/thoughtSignature").asString())
                    .isNotEqualTo("skip_thought_signature_validator").isNotEmpty();
        }
    }
}
