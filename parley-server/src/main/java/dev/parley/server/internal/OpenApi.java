package dev.parley.server.internal;

import dev.parley.json.ParleyJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Locale;
import java.util.Map;

/** The OpenAPI 3.1 description of every route in the {@link RouteTable}, generated from the table itself. */
final class OpenApi {
    private OpenApi() {
    }

    static String document(RouteTable table) {
        ObjectNode root = ParleyJson.object().put("openapi", "3.1.0");
        root.putObject("info").put("title", "Parley").put("version", "1")
                .put("description", "Durable, branchable, privacy-safe sessions for LLM applications. Errors are "
                        + "{\"error\": {\"code\", \"message\", \"requestId\"}}; every response carries X-Request-Id.");
        ObjectNode components = root.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "An API key (pk_…) or a session token (it has a dot) from POST /v1/sessions/{id}/tokens");
        ObjectNode error = components.putObject("schemas").putObject("Error").put("type", "object");
        ObjectNode inner = error.putObject("properties").putObject("error").put("type", "object");
        ObjectNode props = inner.putObject("properties");
        props.putObject("code").put("type", "string");
        props.putObject("message").put("type", "string");
        props.putObject("requestId").put("type", "string");
        inner.putArray("required").add("code").add("message");
        ObjectNode paths = root.putObject("paths");
        for (RouteTable.Route route : table.routes()) {
            ObjectNode path = paths.has(route.openApiPath()) ? (ObjectNode) paths.get(route.openApiPath())
                    : paths.putObject(route.openApiPath());
            path.set(route.method.name().toLowerCase(Locale.ROOT), operation(route));
        }
        return ParleyJson.write(root);
    }

    private static ObjectNode operation(RouteTable.Route route) {
        ObjectNode op = ParleyJson.object().put("summary", route.summary)
                .put("operationId", route.method.name().toLowerCase(Locale.ROOT) + route.openApiPath()
                        .replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+(.)?", "_$1").replaceAll("_+$", ""));
        String[] segments = route.openApiPath().split("/");
        op.putArray("tags").add(segments.length > 2 ? segments[2].replaceAll("[{}]", "") : segments[1]);
        ArrayNode security = op.putArray("security");
        if (route.access != Access.PUBLIC) {
            security.addObject().putArray("bearer");
        }
        op.put("x-parley-access", route.access.name().toLowerCase(Locale.ROOT));
        ArrayNode parameters = op.putArray("parameters");
        for (String name : route.pathParams()) {
            parameters.addObject().put("name", name).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        }
        for (RouteTable.Field q : route.query) {
            ObjectNode p = parameters.addObject().put("name", q.name()).put("in", "query").put("required", false)
                    .put("description", q.description());
            p.set("schema", schema(q.type()));
        }
        for (RouteTable.Field h : route.headers) {
            parameters.addObject().put("name", h.name()).put("in", "header").put("required", false)
                    .put("description", h.description()).putObject("schema").put("type", "string");
        }
        if (!route.body.isEmpty() || route.bodyDescription != null) {
            ObjectNode body = op.putObject("requestBody").put("required", true);
            if (route.bodyDescription != null) {
                body.put("description", route.bodyDescription);
            }
            ObjectNode schema = body.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            for (RouteTable.Field f : route.body) {
                ObjectNode p = schema(f.type());
                p.put("description", f.description());
                properties.set(f.name(), p);
            }
        }
        ObjectNode responses = op.putObject("responses");
        for (Map.Entry<Integer, String> r : route.responses.entrySet()) {
            ObjectNode response = responses.putObject(Integer.toString(r.getKey())).put("description", r.getValue());
            if (r.getKey() >= 400) {
                response.putObject("content").putObject("application/json").putObject("schema")
                        .put("$ref", "#/components/schemas/Error");
            } else if (r.getKey() != 204) {
                ObjectNode content = response.putObject("content");
                content.putObject("application/json").putObject("schema").put("type", "object");
                if (route.streams) {
                    content.putObject("text/event-stream").putObject("schema").put("type", "string");
                }
            }
        }
        addError(responses, 400, "invalid request: the message names the field");
        if (route.access != Access.PUBLIC) {
            addError(responses, 401, "missing, unknown, revoked, forged or expired credentials");
            addError(responses, 403, "the credential may not call this endpoint");
            addError(responses, 429, "rate limited (Retry-After says when to retry)");
        }
        if (!route.pathParams().isEmpty()) {
            addError(responses, 404, "not found (or another tenant's)");
        }
        if (!route.body.isEmpty() || route.bodyDescription != null) {
            addError(responses, 413, "the body is larger than the server's maxBodyBytes");
        }
        return op;
    }

    private static void addError(ObjectNode responses, int status, String description) {
        if (!responses.has(Integer.toString(status))) {
            responses.putObject(Integer.toString(status)).put("description", description).putObject("content")
                    .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
        }
    }

    private static ObjectNode schema(String type) {
        ObjectNode schema = ParleyJson.object();
        if (type.contains("|")) {
            ArrayNode types = schema.putArray("type");
            for (String t : type.split("\\|")) {
                types.add(t);
            }
        } else {
            schema.put("type", type);
        }
        return schema;
    }
}
