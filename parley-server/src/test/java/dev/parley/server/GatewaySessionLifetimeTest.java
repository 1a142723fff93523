package dev.parley.server;

import dev.parley.models.testing.FakeOpenAiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gatewayIdleTtl}: sessions an OpenAI SDK names ad hoc need not pile up forever. */
class GatewaySessionLifetimeTest {
    private FakeOpenAiServer upstream;
    private TestServer api;

    private void start(Map<String, String> settings) {
        upstream = FakeOpenAiServer.start().requireApiKey("sk-upstream");
        api = TestServer.start(settings, b -> b.environment(Map.of("OPENAI_API_KEY", "sk-upstream",
                "OPENAI_BASE_URL", upstream.baseUrl())));
    }

    @AfterEach
    void stop() {
        api.close();
        upstream.close();
    }

    private JsonNode firstTurnThenSession(String session) {
        upstream.replyText("Hello.");
        OpenAiSdkClient client = new OpenAiSdkClient(api.server.url() + "/v1", TestServer.ADMIN_KEY,
                Map.of("X-Parley-Session", session));
        OpenAiSdkClient.Response reply = client.create(client.body("gpt-4o-mini",
                new OpenAiSdkClient.Conversation().user("Hi.")));
        assertThat(reply.status()).isEqualTo(200);
        TestServer.Response info = api.get("/v1/sessions/" + session).send();
        assertThat(info.status()).isEqualTo(200);
        return info.json();
    }

    @Test
    void aSessionTheGatewayCreatesGetsTheConfiguredIdleLifetime() {
        start(Map.of("gatewayIdleTtl", "3600"));

        JsonNode session = firstTurnThenSession("ad-hoc");

        assertThat(session.get("idleTtl").asLong()).isEqualTo(3600);
        assertThat(session.get("expiresAt").isNull()).isFalse();
    }

    @Test
    void byDefaultASessionTheGatewayCreatesNeverExpires() {
        start(Map.of());

        JsonNode session = firstTurnThenSession("kept");

        assertThat(session.get("idleTtl").isNull()).isTrue();
        assertThat(session.get("expiresAt").isNull()).isTrue();
    }
}
