package dev.parley.models.testing;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Google Gemini API server ({@code POST /v1beta/models/{model}:generateContent}, and
 * {@code :streamGenerateContent?alt=sse}).
 *
 * <pre>{@code
 * try (FakeGeminiServer gemini = FakeGeminiServer.start()) {
 *     gemini.replyToolCalls(new Part.ToolCall("ignored", "get_weather", "{\"city\":\"Oslo\"}")).withThinking("plan");
 *     ChatModel model = GeminiChatModel.builder().baseUrl(gemini.baseUrl()).apiKey("test-key").build();
 *     ...
 * }
 * }</pre>
 *
 * Answers like Gemini: function calls without ids (a scripted call's id is not sent), {@code finishReason: STOP}
 * also for function calls, a thought signature issued for the request's model when the reply was scripted
 * {@code withThinking} (on the first function call, else on the text; the thinking text itself is not sent), Google's
 * error JSON, 429s with a {@code RetryInfo.retryDelay} instead of a header, 400 {@code API_KEY_INVALID} for a wrong
 * key. Streams are server-sent events, each a whole {@code GenerateContentResponse}: the text in several chunks,
 * each function call whole, and a last chunk with an empty text part, the finish reason and the usage. Requests are
 * checked as described in {@code GeminiRequestCheck}: the API key header, known fields, roles, parts, the pairing of
 * function calls and responses, and thought signatures.
 */
public final class FakeGeminiServer extends FakeProviderServer {
    private static final Pattern PATH = Pattern.compile("/v1beta/(?:models|tunedModels)/([A-Za-z0-9._-]+):(generateContent|streamGenerateContent)");

    /** Signatures this server issued, and the model each was issued for. */
    private final Map<String, String> signatures = new ConcurrentHashMap<>();
    private final GeminiRequestCheck check = new GeminiRequestCheck(signatures);

    private FakeGeminiServer() {
        super("/v1beta/models");
    }

    public static FakeGeminiServer start() {
        return new FakeGeminiServer();
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    @Override
    public FakeGeminiServer requireApiKey(String key) {
        super.requireApiKey(key);
        return this;
    }

    @Override
    public FakeGeminiServer allowAnonymous() {
        super.allowAnonymous();
        return this;
    }

    @Override
    protected boolean acceptsPath(String method, String path) {
        return method.equals("POST") && PATH.matcher(path).matches();
    }

    @Override
    protected boolean streams(RecordedRequest request) {
        return request.path().endsWith(":streamGenerateContent");
    }

    /**
     * Google's error JSON. {@code status} is a canonical status ({@code INVALID_ARGUMENT}, {@code RESOURCE_EXHAUSTED},
     * {@code UNAVAILABLE} …), which also sets the {@code code}.
     */
    @Override
    protected String errorBody(String status, String message) {
        return ParleyJson.write(error(status, message));
    }

    private static ObjectNode error(String type, String message) {
        String status = switch (type) {
            case "not_found_error" -> "NOT_FOUND";
            case "api_error" -> "INTERNAL";
            default -> type;
        };
        ObjectNode root = ParleyJson.object();
        root.putObject("error").put("code", httpStatus(status)).put("message", message).put("status", status);
        return root;
    }

    private static int httpStatus(String status) {
        return switch (status) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> 500;
        };
    }

    @Override
    protected String rateLimitType() {
        return "RESOURCE_EXHAUSTED";
    }

    @Override
    protected String invalidRequestType() {
        return "INVALID_ARGUMENT";
    }

    /** Gemini says how long to wait in the error's details, not in a header. */
    @Override
    protected ScriptedReply rateLimited(long retryAfterSeconds) {
        ObjectNode root = error("RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.");
        ArrayNode details = root.withObject("error").putArray("details");
        details.addObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure").putArray("violations").addObject()
                .put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests")
                .put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier").put("quotaValue", "10");
        details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", retryAfterSeconds + "s");
        return ScriptedReply.error(429, ParleyJson.write(root));
    }

    @Override
    protected String apiKeyOf(RecordedRequest request) {
        return request.header("x-goog-api-key").orElse(null);
    }

    @Override
    protected void rejectKey(Exchange exchange, boolean missing) throws IOException {
        if (missing) {
            exchange.json(403, errorBody("PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without"
                    + " established identity). Please use API Key or other form of API consumer identity to call this API."));
            return;
        }
        ObjectNode root = error("INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
        root.withObject("error").putArray("details").addObject().put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                .put("reason", "API_KEY_INVALID").put("domain", "googleapis.com");
        exchange.json(400, ParleyJson.write(root));
    }

    @Override
    protected Optional<String> validate(RecordedRequest request) {
        return check.check(request, model(request));
    }

    // ---- answers -----------------------------------------------------------------------------------

    @Override
    protected void writeAnswer(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException {
        String model = model(request);
        List<ObjectNode> parts = parts(reply);
        boolean thought = thought(reply);
        if (thought) {
            String signature = issueSignature(model);
            ObjectNode carrier = parts.stream().filter(p -> p.has("functionCall")).findFirst()
                    .orElseGet(() -> parts.isEmpty() ? addEmptyText(parts) : parts.getLast());
            carrier.put("thoughtSignature", signature);
        }
        ObjectNode usage = usage(inputTokens(request, reply), outputTokens(reply));
        exchange.json(200, ParleyJson.write(response(model, parts, finishReason(reply), usage)));
    }

    @Override
    protected void writeStream(Exchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException, InterruptedException {
        String model = model(request);
        int input = inputTokens(request, reply);
        String signature = thought(reply) ? issueSignature(model) : null;
        boolean paused = false;
        boolean signed = false;
        for (ScriptedReply.Content content : reply.contents) {
            switch (content) {
                case ScriptedReply.Text t -> {
                    for (String piece : chunks(t.text())) {
                        exchange.event(null, ParleyJson.write(response(model, List.of(ParleyJson.object().put("text", piece)),
                                null, usage(input, null))));
                        if (!paused && reply.gate != null) {
                            paused = true;
                            reply.gate.reachedAndWait();
                        }
                    }
                }
                case ScriptedReply.Call c -> {
                    ObjectNode part = functionCall(c);
                    if (signature != null && !signed) {
                        part.put("thoughtSignature", signature);
                        signed = true;
                    }
                    exchange.event(null, ParleyJson.write(response(model, List.of(part), null, usage(input, null))));
                }
                case ScriptedReply.Thinking th -> {
                }
                case ScriptedReply.Reasoning r -> {
                }
            }
        }
        ObjectNode last = ParleyJson.object().put("text", "");
        if (signature != null && !signed) {
            last.put("thoughtSignature", signature);
        }
        exchange.event(null, ParleyJson.write(response(model, List.of(last), finishReason(reply), usage(input, outputTokens(reply)))));
        exchange.endStream();
    }

    @Override
    protected void writeStreamError(Exchange exchange, RecordedRequest request, String type, String message) throws IOException {
        ObjectNode call = ParleyJson.object();
        call.putObject("functionCall").put("name", "interrupted").putObject("args").put("partial", true);
        exchange.event(null, ParleyJson.write(response(model(request), List.of(call), null, usage(1, null))));
        exchange.event(null, errorBody(type, message));
        exchange.endStream();
    }

    @Override
    protected void writeMalformedStream(Exchange exchange) throws IOException {
        exchange.event(null, "{\"candidates\": [{\"content\": {\"role\": \"model\", \"parts\": [{\"text\": \"brok");
        exchange.endStream();
    }

    private static String model(RecordedRequest request) {
        Matcher m = PATH.matcher(request.path());
        return m.matches() ? m.group(1) : "";
    }

    private ObjectNode response(String model, List<ObjectNode> parts, String finishReason, ObjectNode usage) {
        ObjectNode root = ParleyJson.object();
        ObjectNode candidate = root.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content").put("role", "model");
        parts.forEach(content.putArray("parts")::add);
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        candidate.put("index", 0);
        root.set("usageMetadata", usage);
        root.put("modelVersion", model).put("responseId", nextId("resp-"));
        return root;
    }

    private static List<ObjectNode> parts(ScriptedReply reply) {
        List<ObjectNode> parts = new ArrayList<>();
        for (ScriptedReply.Content content : reply.contents) {
            switch (content) {
                case ScriptedReply.Text t -> parts.add(ParleyJson.object().put("text", t.text()));
                case ScriptedReply.Call c -> parts.add(functionCall(c));
                case ScriptedReply.Thinking th -> {
                }
                case ScriptedReply.Reasoning r -> {
                }
            }
        }
        return parts;
    }

    private static ObjectNode addEmptyText(List<ObjectNode> parts) {
        ObjectNode empty = ParleyJson.object().put("text", "");
        parts.add(empty);
        return empty;
    }

    private static ObjectNode functionCall(ScriptedReply.Call c) {
        ObjectNode part = ParleyJson.object();
        String arguments = c.call().arguments().isBlank() ? "{}" : c.call().arguments();
        part.putObject("functionCall").put("name", c.call().name()).set("args", ParleyJson.parse(arguments, "scripted tool arguments"));
        return part;
    }

    private static boolean thought(ScriptedReply reply) {
        return reply.contents.stream().anyMatch(c -> c instanceof ScriptedReply.Thinking || c instanceof ScriptedReply.Reasoning);
    }

    private static String finishReason(ScriptedReply reply) {
        return reply.finishReason != null ? reply.finishReason : "STOP";
    }

    /** The usage of a chunk; {@code output} null for the chunks before the last, which report only the prompt. */
    private static ObjectNode usage(int input, Integer output) {
        ObjectNode usage = ParleyJson.object().put("promptTokenCount", input);
        if (output != null) {
            usage.put("candidatesTokenCount", output);
        }
        return usage.put("totalTokenCount", input + (output == null ? 0 : output));
    }

    private String issueSignature(String model) {
        String signature = Base64.getEncoder().encodeToString((nextId("thought-") + "|" + model).getBytes(StandardCharsets.UTF_8));
        signatures.put(signature, model);
        return signature;
    }
}
