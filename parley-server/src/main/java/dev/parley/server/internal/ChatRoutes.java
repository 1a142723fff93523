package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.Session;
import dev.parley.analytics.PriceTable;
import dev.parley.context.ContextWindows;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.SessionInfo;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatModel;
import dev.parley.models.ModelParams;
import dev.parley.models.chat.AdmissionPolicy;
import dev.parley.models.chat.Chat;
import dev.parley.models.chat.TurnOptions;
import dev.parley.models.chat.TurnResult;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** Talking to a model through a session, and what a session may still spend; session tokens. */
final class ChatRoutes {
    private ChatRoutes() {
    }

    static void register(RouteTable routes) {
        routes.post("/v1/sessions/{id}/chat", Access.SESSION, "A chat turn: the model's reply to a user message, both appended",
                ChatRoutes::chat)
                .field("content", "string", "the user's message").field("name", "string", "the user's display name")
                .field("provider", "string", "openai, anthropic, gemini or ollama (default: the session's, else the server's)")
                .field("model", "string", "the model (default: the session's, else the server's, else the provider's)")
                .field("params", "object", "temperature, topK, topP, maxTokens, stop (over the session's defaults)")
                .field("policy", "string", "all, last:N or tokens:MAX[:RESERVE] (default: the session's, else all)")
                .field("branch", "string", "default main")
                .field("stream", "boolean", "answer with server-sent events (also when Accept: text/event-stream)")
                .header("Idempotency-Key", "a retry with the same key and content returns the recorded turn")
                .header("Accept", "text/event-stream to stream")
                .streams()
                .returns(200, "{reply, entries, usage, branch, provider, model}; when streaming, events delta {text} then "
                        + "done {the same object} (or error {error})")
                .returns(409, "another write landed on the branch during the turn (admission policy reject)")
                .returns(422, "quota or budget exceeded").returns(502, "the provider failed")
                .returns(503, "the provider is unavailable or rate-limited").returns(504, "the provider timed out");
        routes.get("/v1/sessions/{id}/quota", Access.SESSION, "Context usage against the window, and token budgets",
                ChatRoutes::quota)
                .query("policy", "string", "all, last:N or tokens:MAX[:RESERVE]").query("model", "string", "count for this model")
                .query("branch", "string", "default main").returns(200, "{contextUsage, contextWindow, level, budgets, …}");
        routes.get("/v1/sessions/{id}/analytics", Access.SESSION, "Counts by role, lengths, tokens, latency, cost",
                ChatRoutes::analytics).returns(200, "the analytics");
        routes.post("/v1/sessions/{id}/tokens", Access.KEY, "Issue a session token: access to this session only",
                ChatRoutes::token)
                .field("ttl", "integer", "lifetime in seconds (default 3600, at most the server's tokenMaxTtl)")
                .returns(201, "{token, sessionId, expiresAt}");
    }

    static void chat(Call call) throws Exception {
        Body body = call.body().only("content", "name", "provider", "model", "params", "policy", "branch", "stream");
        Session session = call.session();
        SessionInfo info = session.info();
        Map<String, String> defaults = Views.modelDefaults(info);
        Providers providers = call.api.providers();
        String provider = firstOf(body.optString("provider"), defaults.get("provider"), call.api.config().provider().orElse(null),
                providers.defaultProvider().orElse(null));
        if (provider == null) {
            throw new ApiException(503, "no_provider", "no model provider is configured on this server: set OPENAI_API_KEY, "
                    + "ANTHROPIC_API_KEY, GEMINI_API_KEY or OLLAMA_HOST (or the providers setting) and restart");
        }
        ChatModel model = providers.models().get(provider);
        if (model == null) {
            throw new InvalidInputException("provider", "provider '" + LogText.escape(provider) + "' is not configured on this "
                    + "server (configured: " + String.join(", ", providers.models().keySet()) + ")");
        }
        String modelName = body.has("model") ? ModelDefaults.requireModelName(body.string("model"), "model")
                : modelFor(call.api, provider, defaults);
        ModelParams params = params(body.object("params")).withDefaults(ModelDefaults.params(defaults));
        String policy = firstOf(body.optString("policy"), defaults.get("policy"));
        Chat chat = newChat(call.api, session, provider, model, modelName, defaults, policy);
        Message user = Message.user(body.string("content"));
        if (body.has("name")) {
            user = user.withName(body.string("name"));
        }
        TurnOptions options = new TurnOptions(user, provider, modelName, params,
                body.has("branch") ? Names.branch(body.string("branch")) : Names.MAIN, call.ctx.header("Idempotency-Key"));
        String accept = call.ctx.header("Accept");
        boolean stream = Boolean.TRUE.equals(body.optBool("stream")) || (accept != null && accept.contains("text/event-stream"));
        if (stream) {
            new SseTurn(call).run(chat, options, modelName);
            return;
        }
        TurnResult result = chat.send(options);
        call.etag(session.version());
        if (result.response() == null && options.idempotencyKey() != null) {
            call.ctx.header("Idempotent-Replay", "true");
        }
        call.ok(turn(call, result, modelName));
    }

    /**
     * A chat over {@code session} as every endpoint of the server builds it: the context policy ({@code all} when
     * {@code policy} is null), the session's context window, else the model's, else the server's; the server's admission
     * policy and calibration; and the privacy layer, so a sanitising session's model and store never see originals.
     */
    static Chat newChat(Api api, Session session, String provider, ChatModel model, String modelName,
                        Map<String, String> defaults, String policy) {
        int window;
        if (defaults.containsKey("contextWindow")) {
            window = Integer.parseInt(defaults.get("contextWindow"));
        } else {
            // Looked up once: the table is searched by prefix, with a pattern per candidate.
            OptionalInt known = modelName == null ? OptionalInt.empty() : ContextWindows.of(modelName);
            window = known.isPresent() ? known.getAsInt() : api.config().contextWindow();
        }
        return Chat.builder(session).model(provider, model).policy(ModelDefaults.policy(policy)).contextWindow(window)
                .admission(AdmissionPolicy.valueOf(api.config().admission().toUpperCase(Locale.ROOT)))
                .calibration(api.calibration()).privacy(api.privacy()).build();
    }

    /** The finished turn as the API shows it; also counts its tokens into the metrics. */
    static ObjectNode turn(Call call, TurnResult result, String modelName) {
        call.api.metrics().chatTurn(result.provider(), result.usage().inputTokens(), result.usage().outputTokens());
        ObjectNode node = ParleyJson.object();
        ObjectNode reply = node.putObject("reply").put("role", "assistant").put("content", result.text());
        if (!result.reply().toolCalls().isEmpty()) {
            reply.set("parts", ParleyJson.message(result.reply()).get("parts"));
        }
        node.set("entries", Views.entries(result.appended()));
        node.putObject("usage").put("inputTokens", result.usage().inputTokens()).put("outputTokens", result.usage().outputTokens());
        node.put("branch", result.branch()).put("provider", result.provider())
                .put("model", result.response() != null && result.response().model() != null ? result.response().model() : modelName);
        return node;
    }

    /**
     * The model a turn on {@code provider} uses when the request names none: the session's, if the session's defaults
     * are for this provider (or name none); else the server's, if this is the server's default provider; else the
     * provider adapter's own default.
     */
    static String modelFor(Api api, String provider, Map<String, String> defaults) {
        String sessionProvider = defaults.get("provider");
        if (defaults.containsKey("model") && (sessionProvider == null || sessionProvider.equals(provider))) {
            return defaults.get("model");
        }
        String serverProvider = api.config().provider().orElse(api.providers().defaultProvider().orElse(null));
        return provider.equals(serverProvider) ? api.config().model().orElse(null) : null;
    }

    private static ModelParams params(Body body) {
        if (body == null) {
            return ModelParams.NONE;
        }
        body.only("temperature", "topK", "topP", "maxTokens", "stop");
        Long topK = body.optLong("topK", 1, Integer.MAX_VALUE);
        Long maxTokens = body.optLong("maxTokens", 1, Integer.MAX_VALUE);
        return ModelParams.builder().temperature(body.optDouble("temperature")).topP(body.optDouble("topP"))
                .topK(topK == null ? null : topK.intValue()).maxTokens(maxTokens == null ? null : maxTokens.intValue())
                .stop(body.has("stop") ? body.strings("stop") : java.util.List.of()).build();
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    static void quota(Call call) {
        Session session = call.session();
        SessionInfo info = session.info();
        Session branch = session.on(call.query("branch") == null ? Names.MAIN : call.query("branch"));
        ObjectNode node = Quotas.view(call.api, branch, info, call.query("policy"), call.query("model"));
        node.set("budgets", Quotas.budgets(session, info));
        call.ok(node);
    }

    static void analytics(Call call) {
        call.ok(Views.analytics(call.session().analytics(PriceTable.empty())));
    }

    static void token(Call call) {
        Body body = call.optionalBody().only("ttl");
        long maxTtl = call.api.tokens().maxTtl().toSeconds();
        Long ttl = body.optSeconds("ttl", 1, maxTtl);
        Session session = call.session();
        Duration lifetime = Duration.ofSeconds(ttl == null ? Math.min(3600, maxTtl) : ttl);
        String token = call.api.tokens().issue(call.principal.tenant(), session.id(), lifetime);
        Instant expires = Instant.ofEpochSecond(call.api.clock().instant().getEpochSecond() + lifetime.toSeconds());
        call.json(201, ParleyJson.object().put("token", token).put("sessionId", session.id().value())
                .put("expiresAt", expires.toString()));
    }
}
