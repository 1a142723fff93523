package dev.parley.models.testing;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the fake Gemini server checks in a request, as the real API does in the essentials: known fields only; roles
 * {@code user} and {@code model}; non-empty contents and parts, each part holding exactly one kind of data; a function
 * call turn answered by the next turn with as many function responses, naming the same functions; thought signatures
 * issued by this server for the same model (or Google's placeholder for foreign history), and present on the first
 * function call of every step of the current turn, as Gemini 3 requires; generation config ranges; function
 * declarations whose {@code parameters} stay within Gemini's OpenAPI subset.
 */
final class GeminiRequestCheck {
    static final String FOREIGN_SIGNATURE = "skip_thought_signature_validator";
    private static final Set<String> FIELDS = Set.of("contents", "systemInstruction", "tools", "toolConfig",
            "generationConfig", "safetySettings", "cachedContent");
    private static final Set<String> CONFIG = Set.of("temperature", "topP", "topK", "candidateCount", "maxOutputTokens",
            "stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "presencePenalty",
            "frequencyPenalty", "seed", "thinkingConfig", "responseModalities");
    private static final Set<String> PART_DATA = Set.of("text", "inlineData", "fileData", "functionCall", "functionResponse",
            "executableCode", "codeExecutionResult");
    private static final Set<String> PART_METADATA = Set.of("thought", "thoughtSignature", "videoMetadata", "partMetadata");
    /** What Gemini's {@code parameters} (an OpenAPI 3.0 subset) accepts in a schema. */
    private static final Set<String> SCHEMA_KEYS = Set.of("type", "format", "title", "description", "nullable", "enum",
            "maxItems", "minItems", "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength",
            "pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

    /** Signatures the server issued, and the model each was issued for. */
    private final Map<String, String> signatures;

    GeminiRequestCheck(Map<String, String> signatures) {
        this.signatures = signatures;
    }

    /** The first problem with the request to {@code model}, worded as Gemini does; empty when it is valid. */
    Optional<String> check(RecordedRequest request, String model) {
        if (request.path().endsWith(":streamGenerateContent") && !"alt=sse".equals(request.query())) {
            return Optional.of("this fake streams server-sent events only: call :streamGenerateContent?alt=sse");
        }
        JsonNode body = request.json();
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                return Optional.of("Invalid JSON payload received. Unknown name \"" + name + "\": Cannot find field.");
            }
        }
        JsonNode system = body.path("systemInstruction");
        if (!system.isMissingNode() && !(system.path("parts").isArray() && !system.path("parts").isEmpty()
                && allText(system.path("parts")))) {
            return Optional.of("* GenerateContentRequest.system_instruction: parts must be a non-empty list of text parts");
        }
        return config(body.path("generationConfig")).or(() -> tools(body.path("tools")))
                .or(() -> contents(body.path("contents"), model));
    }

    private static Optional<String> config(JsonNode config) {
        if (config.isMissingNode()) {
            return Optional.empty();
        }
        for (String name : config.propertyNames()) {
            if (!CONFIG.contains(name)) {
                return Optional.of("Invalid JSON payload received. Unknown name \"" + name + "\" at 'generation_config': Cannot find field.");
            }
        }
        if (config.has("temperature") && !inRange(config.get("temperature"), 0, 2)) {
            return Optional.of("Unable to submit request because it has a temperature value of " + config.get("temperature")
                    + " but the supported range is from 0 (inclusive) to 2.0001 (exclusive).");
        }
        if (config.has("topP") && !inRange(config.get("topP"), 0, 1)) {
            return Optional.of("* GenerateContentRequest.generation_config.top_p: must be in the range [0, 1]");
        }
        for (String name : List.of("topK", "maxOutputTokens")) {
            if (config.has(name) && !(config.get(name).isIntegralNumber() && config.get(name).intValue() >= 1)) {
                return Optional.of("* GenerateContentRequest.generation_config." + name + ": must be a positive integer");
            }
        }
        JsonNode stop = config.path("stopSequences");
        if (!stop.isMissingNode() && (!stop.isArray() || stop.size() > 5 || !allStrings(stop))) {
            return Optional.of("* GenerateContentRequest.generation_config.stop_sequences: at most 5 strings");
        }
        return Optional.empty();
    }

    private static Optional<String> tools(JsonNode tools) {
        if (tools.isMissingNode()) {
            return Optional.empty();
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode declarations = tools.get(i).path("functionDeclarations");
            for (int j = 0; j < declarations.size(); j++) {
                JsonNode declaration = declarations.get(j);
                String at = "tools[" + i + "].function_declarations[" + j + "]";
                if (!FUNCTION_NAME.matcher(declaration.path("name").asString("")).matches()) {
                    return Optional.of("* GenerateContentRequest." + at + ".name: Invalid function name. Must start with a letter"
                            + " or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:),"
                            + " or dashes (-), with a maximum length of 64.");
                }
                if (declaration.has("parameters") && declaration.has("parametersJsonSchema")) {
                    return Optional.of("* GenerateContentRequest." + at + ": parameters and parameters_json_schema are mutually exclusive");
                }
                if (declaration.has("parameters")) {
                    Optional<String> unknown = openApiSchema(declaration.get("parameters"), at + ".parameters");
                    if (unknown.isPresent()) {
                        return unknown;
                    }
                }
                JsonNode schema = declaration.path("parametersJsonSchema");
                if (!schema.isMissingNode() && !"object".equals(schema.path("type").asString(""))) {
                    return Optional.of("* GenerateContentRequest." + at + ".parameters_json_schema: must describe an object");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> openApiSchema(JsonNode schema, String at) {
        for (String key : schema.propertyNames()) {
            if (!SCHEMA_KEYS.contains(key)) {
                return Optional.of("Invalid JSON payload received. Unknown name \"" + key + "\" at '" + at + "': Cannot find field.");
            }
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            Optional<String> unknown = openApiSchema(property.getValue(), at + ".properties[" + property.getKey() + "]");
            if (unknown.isPresent()) {
                return unknown;
            }
        }
        return schema.path("items").isObject() ? openApiSchema(schema.get("items"), at + ".items") : Optional.empty();
    }

    private Optional<String> contents(JsonNode contents, String model) {
        if (!contents.isArray() || contents.isEmpty()) {
            return Optional.of("* GenerateContentRequest.contents: contents is not specified");
        }
        List<String> pendingCalls = List.of();
        int turnStart = 0;
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            String at = "contents[" + i + "]";
            String role = content.path("role").asString("");
            if (!role.equals("user") && !role.equals("model")) {
                return Optional.of("Please use a valid role: user, model.");
            }
            JsonNode parts = content.path("parts");
            if (!parts.isArray() || parts.isEmpty()) {
                return Optional.of("* GenerateContentRequest." + at + ".parts: contents.parts must not be empty.");
            }
            List<String> calls = new ArrayList<>();
            List<String> responses = new ArrayList<>();
            boolean prompt = false;
            for (int j = 0; j < parts.size(); j++) {
                JsonNode part = parts.get(j);
                String where = at + ".parts[" + j + "]";
                Optional<String> problem = part(part, where, role, model);
                if (problem.isPresent()) {
                    return problem;
                }
                if (part.has("functionCall")) {
                    calls.add(part.get("functionCall").path("name").asString(""));
                } else if (part.has("functionResponse")) {
                    responses.add(part.get("functionResponse").path("name").asString(""));
                } else {
                    prompt = true;
                }
            }
            if (role.equals("user")) {
                if (!responses.isEmpty() && pendingCalls.isEmpty()) {
                    return Optional.of("Please ensure that function response turn comes immediately after a function call turn.");
                }
                if (!pendingCalls.isEmpty() && responses.size() != pendingCalls.size()) {
                    return Optional.of("Please ensure that the number of function response parts is equal to the number of"
                            + " function call parts of the function call turn.");
                }
                if (!sameNames(pendingCalls, responses)) {
                    return Optional.of("* GenerateContentRequest." + at + ": function responses " + responses
                            + " do not answer the function calls " + pendingCalls + " of the function call turn");
                }
                if (prompt) {
                    turnStart = i + 1;
                }
                pendingCalls = List.of();
            } else {
                if (!pendingCalls.isEmpty()) {
                    return Optional.of("Please ensure that function response turn comes immediately after a function call turn.");
                }
                if (!calls.isEmpty() && i == 0) {
                    return Optional.of("Please ensure that function call turn comes immediately after a user turn or after"
                            + " a function response turn.");
                }
                pendingCalls = calls;
            }
        }
        if (!pendingCalls.isEmpty()) {
            return Optional.of("Please ensure that function response turn comes immediately after a function call turn.");
        }
        return currentTurnSignatures(contents, turnStart);
    }

    /** Gemini 3: in the turn being continued, the first function call of each step must carry its signature. */
    private static Optional<String> currentTurnSignatures(JsonNode contents, int turnStart) {
        for (int i = turnStart; i < contents.size(); i++) {
            JsonNode parts = contents.get(i).path("parts");
            for (int j = 0; j < parts.size(); j++) {
                JsonNode part = parts.get(j);
                if (part.has("functionCall")) {
                    if (!part.has("thoughtSignature")) {
                        return Optional.of("Function call is missing a thought_signature in functionCall parts. This is required"
                                + " for tools to work correctly, and missing thought_signature may lead to degraded model"
                                + " performance. Additional data, function call `default_api:"
                                + part.get("functionCall").path("name").asString("") + "` , position " + (j + 1)
                                + ". Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.");
                    }
                    break;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> part(JsonNode part, String where, String role, String model) {
        int data = 0;
        for (String key : part.propertyNames()) {
            if (PART_DATA.contains(key)) {
                data++;
            } else if (!PART_METADATA.contains(key)) {
                return Optional.of("Invalid JSON payload received. Unknown name \"" + key + "\" at '" + where + "': Cannot find field.");
            }
        }
        if (data != 1) {
            return Optional.of("* GenerateContentRequest." + where + ".data: required oneof field 'data' must have one initialized field");
        }
        if (part.has("text") && !part.get("text").isString()) {
            return Optional.of("* GenerateContentRequest." + where + ".text: must be a string");
        }
        JsonNode signature = part.get("thoughtSignature");
        if (signature != null && !FOREIGN_SIGNATURE.equals(signature.asString(""))
                && !model.equals(signatures.get(signature.asString("")))) {
            return Optional.of("* GenerateContentRequest." + where + ": Thought signature is not valid.");
        }
        if (part.has("functionCall")) {
            JsonNode call = part.get("functionCall");
            if (!role.equals("model")) {
                return Optional.of("* GenerateContentRequest." + where + ": function calls are only allowed in model turns");
            }
            if (!call.path("name").isString() || call.has("args") && !call.get("args").isObject()) {
                return Optional.of("* GenerateContentRequest." + where + ".function_call: a name and an args object are required");
            }
        }
        if (part.has("functionResponse")) {
            JsonNode response = part.get("functionResponse");
            if (!role.equals("user")) {
                return Optional.of("* GenerateContentRequest." + where + ": function responses are only allowed in user turns");
            }
            if (!response.path("name").isString() || !response.path("response").isObject()) {
                return Optional.of("* GenerateContentRequest." + where + ".function_response: a name and a response object are required");
            }
        }
        if (part.has("inlineData") && !(part.get("inlineData").path("mimeType").isString()
                && part.get("inlineData").path("data").isString())) {
            return Optional.of("* GenerateContentRequest." + where + ".inline_data: mime_type and data are required");
        }
        if (part.has("fileData") && !(part.get("fileData").path("mimeType").isString()
                && part.get("fileData").path("fileUri").isString())) {
            return Optional.of("* GenerateContentRequest." + where + ".file_data: mime_type and file_uri are required");
        }
        return Optional.empty();
    }

    private static boolean sameNames(List<String> calls, List<String> responses) {
        List<String> remaining = new ArrayList<>(calls);
        for (String response : responses) {
            if (!remaining.remove(response)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allText(JsonNode parts) {
        for (JsonNode part : parts) {
            if (!part.path("text").isString()) {
                return false;
            }
        }
        return true;
    }

    private static boolean allStrings(JsonNode array) {
        for (JsonNode value : array) {
            if (!value.isString()) {
                return false;
            }
        }
        return true;
    }

    private static boolean inRange(JsonNode value, double min, double max) {
        return value.isNumber() && value.doubleValue() >= min && value.doubleValue() <= max;
    }
}
