package dev.parley.server.internal;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatStream;
import dev.parley.models.StreamHandler;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway without a session: a plain proxy to the upstream, behind the server's authentication. Nothing is stored
 * or sanitised. An OpenAI upstream gets the request byte for byte (every OpenAI feature works) and its answer is passed
 * back as it comes, streamed or not; any other upstream is called through its adapter and answered in OpenAI's format.
 */
final class GatewayProxy {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GatewayProxy.class);

    private GatewayProxy() {
    }

    static void completions(Call call) throws Exception {
        Upstream upstream = call.api.upstream();
        String provider = upstream.provider();
        if (upstream.endpoint().isPresent()) {
            passThrough(call, upstream, "/chat/completions", HttpRequest.BodyPublishers.ofString(Body.text(call.ctx)));
            return;
        }
        CompletionRequest request = CompletionRequest.parse(Body.required(call.ctx).node());
        if (request.n() > 1) {
            throw new InvalidInputException("n", "n must be 1: the " + provider + " upstream gives one reply per call");
        }
        String model = request.model() != null ? request.model()
                : provider.equals(call.api.config().provider().orElse(call.api.providers().defaultProvider().orElse(null)))
                ? call.api.config().model().orElse(null) : null;
        List<Message> messages = new ArrayList<>(request.instructions());
        messages.addAll(request.messages());
        ChatRequest chatRequest = new ChatRequest(model, messages, request.tools(), request.params());
        reportIgnored(call, request);
        String shownModel = model != null ? model : provider;
        ChatModel adapter = upstream.model();
        if (request.stream()) {
            CompletionStream completion = new CompletionStream(call, shownModel, request.includeUsage());
            ChatStream stream = adapter.stream(chatRequest, StreamHandler.onText(completion.texts()));
            CompletableFuture<Completions.Answer> answer = stream.result().thenApply(r -> Completions.Answer.of(r, shownModel));
            completion.run(new CompletionStream.Source() {
                @Override
                public CompletableFuture<Completions.Answer> result() {
                    return answer;
                }

                @Override
                public void cancel() {
                    stream.cancel();
                }
            }, done -> GatewayRoutes.countTokens(call, provider, done));
            return;
        }
        Completions.Answer answer = Completions.Answer.of(adapter.chat(chatRequest), shownModel);
        GatewayRoutes.countTokens(call, provider, answer);
        call.ok(Completions.completion(Completions.newId(), call.api.clock().instant().getEpochSecond(), answer));
    }

    /** {@code GET /v1/models}: an OpenAI upstream's own list; for another provider, its configured and default model. */
    static void models(Call call) throws Exception {
        Upstream upstream = call.api.upstream();
        String provider = upstream.provider();
        if (upstream.endpoint().isPresent()) {
            passThrough(call, upstream, "/models", null);
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        if (provider.equals(call.api.config().provider().orElse(call.api.providers().defaultProvider().orElse(null)))) {
            call.api.config().model().ifPresent(ids::add);
        }
        ids.add(Providers.renderModel(provider, null));
        ObjectNode list = ParleyJson.object().put("object", "list");
        ArrayNode data = list.putArray("data");
        ids.forEach(id -> data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", provider));
        call.ok(list);
    }

    /** Lists, in {@code X-Parley-Ignored}, the request's fields no provider adapter can honour. */
    static void reportIgnored(Call call, CompletionRequest request) {
        if (!request.ignored().isEmpty()) {
            call.ctx.header("X-Parley-Ignored", String.join(", ", request.ignored()));
        }
    }

    /** Sends the request to OpenAI's {@code path} with the upstream's key and copies the answer back as it arrives. */
    private static void passThrough(Call call, Upstream upstream, String path, HttpRequest.BodyPublisher body) throws Exception {
        Upstream.Endpoint endpoint = upstream.endpoint().orElseThrow();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Upstream.PASS_THROUGH_TIMEOUT);
        if (body == null) {
            request.GET();
        } else {
            request.POST(body).header("Content-Type", "application/json");
        }
        String accept = call.ctx.header("Accept");
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (endpoint.apiKey() != null) {
            request.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        HttpResponse<InputStream> response;
        try {
            response = upstream.http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApiException(503, "model_unavailable", "openai: the upstream at " + endpoint.baseUrl() + " did not answer: "
                    + LogText.escape(String.valueOf(e.getMessage())));
        }
        call.ctx.status(response.statusCode())
                .contentType(response.headers().firstValue("Content-Type").orElse("application/json"));
        OutputStream out = call.ctx.res().getOutputStream();
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                // Flushed per read, so a streamed answer reaches the client event by event.
                out.flush();
            }
        } catch (IOException e) {
            LOG.info("request {}: the pass-through to the upstream ended early: {}", RequestIds.of(call.ctx),
                    LogText.escape(String.valueOf(e.getMessage())));
        }
    }
}
