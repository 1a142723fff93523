package dev.parley.server;

import dev.parley.json.ParleyJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class AuthApiTest {
    private static TestServer api;
    private static String acme;
    private static String globex;

    @BeforeAll
    static void start() {
        api = TestServer.start();
        acme = api.keyFor("acme");
        globex = api.keyFor("globex");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String token(String key, String session, long ttl) {
        TestServer.Response r = api.post("/v1/sessions/" + session + "/tokens").key(key).json("{\"ttl\": " + ttl + "}").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    @Test
    void requestsWithoutValidCredentialsAreUnauthorized() {
        TestServer.Response none = api.get("/v1/sessions").anonymous().send();
        TestServer.Response wrong = api.get("/v1/sessions").key("pk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb").send();
        TestServer.Response basic = api.get("/v1/sessions").anonymous().header("Authorization", "Basic dTpw").send();

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("unauthorized");
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void anAdminKeyManagesKeysAndATenantKeyCannot() {
        TestServer.Response created = api.post("/v1/admin/keys").json("{\"tenant\": \"initech\", \"name\": \"ci\"}").send();
        String key = created.json().get("key").asString();
        String id = created.json().get("id").asString();

        assertThat(created.status()).isEqualTo(201);
        assertThat(key).startsWith("pk_" + id + "_");
        assertThat(api.get("/v1/sessions").key(key).send().status()).isEqualTo(200);
        JsonNode listed = api.get("/v1/admin/keys?tenant=initech").send().json().get("items");
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).toString()).doesNotContain(key.substring(17)).doesNotContain("hash");
        assertThat(api.get("/v1/admin/keys").key(key).send().status()).isEqualTo(403);
        assertThat(api.post("/v1/admin/keys").key(acme).json("{\"tenant\": \"acme\", \"role\": \"admin\"}").send().status())
                .isEqualTo(403);
        assertThat(api.post("/v1/admin/keys").json("{\"tenant\": \"parley-admin\"}").send().status()).isEqualTo(400);

        TestServer.Response revoked = api.delete("/v1/admin/keys/" + id).send();

        assertThat(revoked.json().get("active").asBoolean()).isFalse();
        assertThat(api.get("/v1/sessions").key(key).send().status()).isEqualTo(401);
        assertThat(api.delete("/v1/admin/keys/nosuchkey").send().status()).isEqualTo(404);
    }

    @Test
    void anotherTenantsSessionDoesNotExistForYouAndIsNeverChanged() {
        api.post("/v1/sessions").key(acme).json("{\"id\": \"shared-name\", \"userId\": \"acme-user\", \"metadata\": {\"owner\": \"acme\"}}")
                .send();
        api.post("/v1/sessions/shared-name/messages").key(acme).json("{\"role\": \"user\", \"content\": \"acme secret\"}").send();
        api.post("/v1/sessions").key(globex).json("{\"id\": \"globex-own\"}").send();

        assertThat(api.get("/v1/sessions/shared-name").key(globex).send().status()).isEqualTo(404);
        assertThat(api.get("/v1/sessions/shared-name/messages").key(globex).send().status()).isEqualTo(404);
        assertThat(api.get("/v1/sessions/shared-name/export").key(globex).send().status()).isEqualTo(404);
        assertThat(api.post("/v1/sessions/shared-name/messages").key(globex).json("{\"role\": \"user\", \"content\": \"x\"}")
                .send().status()).isEqualTo(404);
        assertThat(api.patch("/v1/sessions/shared-name").key(globex).json("{\"metadata\": {\"owner\": \"globex\"}}").send()
                .status()).isEqualTo(404);
        assertThat(api.delete("/v1/sessions/shared-name").key(globex).send().status()).isEqualTo(404);
        assertThat(api.post("/v1/sessions/shared-name/clone").key(globex).json("{}").send().status()).isEqualTo(404);
        assertThat(api.post("/v1/sessions/shared-name/tokens").key(globex).json("{}").send().status()).isEqualTo(404);
        assertThat(api.post("/v1/sessions/merge").key(globex).json("{\"sources\": [\"shared-name\", \"globex-own\"]}").send()
                .status()).isEqualTo(404);
        assertThat(api.get("/v1/sessions").key(globex).send().body()).doesNotContain("shared-name");
        assertThat(api.delete("/v1/users/acme-user").key(globex).send().json().get("deletedSessions").asInt()).isZero();

        TestServer.Response own = api.post("/v1/sessions").key(globex).json("{\"id\": \"shared-name\"}").send();
        assertThat(own.status()).as("session ids are unique per tenant, not globally").isEqualTo(201);
        JsonNode acmeView = api.get("/v1/sessions/shared-name").key(acme).send().json();
        assertThat(acmeView.at("/metadata/owner").asString()).isEqualTo("acme");
        assertThat(api.get("/v1/sessions/shared-name/messages").key(acme).send().body()).contains("acme secret");
    }

    @Test
    void aSessionTokenOpensItsOwnSessionAndNothingElse() {
        api.post("/v1/sessions").key(acme).json("{\"id\": \"tok-a\"}").send();
        api.post("/v1/sessions").key(acme).json("{\"id\": \"tok-b\"}").send();
        String token = token(acme, "tok-a", 600);

        assertThat(api.get("/v1/sessions/tok-a").key(token).send().status()).isEqualTo(200);
        assertThat(api.post("/v1/sessions/tok-a/messages").key(token).json("{\"role\": \"user\", \"content\": \"hi\"}").send()
                .status()).isEqualTo(201);
        assertThat(api.get("/v1/sessions/tok-a/context").key(token).send().status()).isEqualTo(200);

        TestServer.Response other = api.get("/v1/sessions/tok-b").key(token).send();
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.errorCode()).isEqualTo("forbidden");
        assertThat(api.get("/v1/sessions").key(token).send().status()).isEqualTo(403);
        assertThat(api.get("/v1/admin/keys").key(token).send().status()).isEqualTo(403);
        assertThat(api.delete("/v1/sessions/tok-a").key(token).send().status()).isEqualTo(403);
        assertThat(api.patch("/v1/sessions/tok-a/state").key(token).json("{}").send().status()).isEqualTo(403);
        assertThat(api.post("/v1/sessions/tok-a/tokens").key(token).json("{}").send().status()).isEqualTo(403);
        assertThat(api.get("/v1/sessions/tok-a").key(token).send().status()).isEqualTo(200);
    }

    @Test
    void aTokenForTheSameSessionIdInAnotherTenantOpensNothingThere() {
        api.post("/v1/sessions").key(acme).json("{\"id\": \"twin\", \"metadata\": {\"t\": \"acme\"}}").send();
        api.post("/v1/sessions").key(globex).json("{\"id\": \"twin\", \"metadata\": {\"t\": \"globex\"}}").send();

        String globexToken = token(globex, "twin", 600);

        assertThat(api.get("/v1/sessions/twin").key(globexToken).send().json().at("/metadata/t").asString()).isEqualTo("globex");
    }

    @Test
    void expiredForgedAndMalformedTokensAreRefused() {
        api.post("/v1/sessions").key(acme).json("{\"id\": \"tok-exp\"}").send();
        String token = token(acme, "tok-exp", 60);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String forgedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"acme\"", "\"globex\"").getBytes(StandardCharsets.UTF_8));

        TestServer.Response forged = api.get("/v1/sessions/tok-exp").key(forgedPayload + "." + parts[1]).send();
        TestServer.Response garbage = api.get("/v1/sessions/tok-exp").key("not.a-token").send();
        api.clock.advance(Duration.ofSeconds(61));
        TestServer.Response expired = api.get("/v1/sessions/tok-exp").key(token).send();

        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.errorCode()).isEqualTo("invalid_token");
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorCode()).isEqualTo("token_expired");
        assertThat(api.post("/v1/sessions/tok-exp/tokens").key(acme).json("{\"ttl\": 999999999}").send().status()).isEqualTo(400);
        assertThat(ParleyJson.write(forged.json())).doesNotContain(parts[1]);
    }

    @Test
    void aRateLimitedKeyIsToldWhenToRetryAndRecoversAsTimePasses() {
        try (TestServer limited = TestServer.start(java.util.Map.of("rateLimit", "1", "rateBurst", "2"))) {
            int first = limited.get("/v1/sessions").send().status();
            int second = limited.get("/v1/sessions").send().status();
            TestServer.Response third = limited.get("/v1/sessions").send();
            int unauthenticated = limited.get("/health").anonymous().send().status();
            limited.clock.advance(Duration.ofSeconds(1));
            int afterASecond = limited.get("/v1/sessions").send().status();

            assertThat(first).isEqualTo(200);
            assertThat(second).isEqualTo(200);
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.header("Retry-After")).isEqualTo("1");
            assertThat(third.errorCode()).isEqualTo("rate_limited");
            assertThat(unauthenticated).isEqualTo(200);
            assertThat(afterASecond).isEqualTo(200);
        }
    }
}
