package dev.parley.server;

import dev.parley.models.testing.FakeOpenAiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics} times the upstream's part of each turn apart from the server's own, by mode and outcome. */
class ModelMetricsTest {
    private FakeOpenAiServer upstream;
    private TestServer api;

    @BeforeEach
    void start() {
        upstream = FakeOpenAiServer.start().requireApiKey("sk-upstream");
        api = TestServer.start(Map.of(), b -> b.environment(Map.of("OPENAI_API_KEY", "sk-upstream",
                "OPENAI_BASE_URL", upstream.baseUrl())));
    }

    @AfterEach
    void stop() {
        api.close();
        upstream.close();
    }

    @Test
    void eachUpstreamCallIsTimedByModeAndOutcome() {
        OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY,
                Map.of("X-Parley-Session", "metered"));
        upstream.replyText("One.");
        upstream.replyText("Two.");
        upstream.replyProviderError(400, "invalid_request_error", "no such model");

        assertThat(client.create(client.body("gpt-4o-mini", new OpenAiSdkClient.Conversation().user("Hi"))).status())
                .isEqualTo(200);
        assertThat(client.stream(client.body("gpt-4o-mini", new OpenAiSdkClient.Conversation().user("Again"))).done())
                .isTrue();
        assertThat(client.create(client.body("gpt-4o-mini", new OpenAiSdkClient.Conversation().user("Fail"))).status())
                .as("an upstream that refused the request: the gateway's 502").isEqualTo(502);

        String metrics = api.get("/metrics").anonymous().send().body();
        assertThat(metrics)
                .contains("parley_model_latency_seconds_count{mode=\"chat\",outcome=\"success\",provider=\"openai\"} 1")
                .contains("parley_model_latency_seconds_count{mode=\"stream\",outcome=\"success\",provider=\"openai\"} 1")
                .contains("parley_model_latency_seconds_count{mode=\"chat\",outcome=\"error\",provider=\"openai\"} 1");
    }
}
