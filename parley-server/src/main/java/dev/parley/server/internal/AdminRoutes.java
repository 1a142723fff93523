package dev.parley.server.internal;

import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.server.ApiKeys;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** API keys of every tenant, for admin keys only. */
final class AdminRoutes {
    private AdminRoutes() {
    }

    static void register(RouteTable routes) {
        routes.post("/v1/admin/keys", Access.ADMIN, "Create an API key for a tenant (the key is shown only in this response)",
                AdminRoutes::create)
                .field("tenant", "string", "1-64 characters of [a-z0-9_-]").field("role", "string", "tenant (default) or admin")
                .field("name", "string", "what the key is for").returns(201, "{id, key, tenant, role, name, createdAt}");
        routes.get("/v1/admin/keys", Access.ADMIN, "List API keys (never their secrets)", AdminRoutes::list)
                .query("tenant", "string", "only this tenant's keys").returns(200, "{items}");
        routes.delete("/v1/admin/keys/{keyId}", Access.ADMIN, "Revoke an API key, at once and everywhere", AdminRoutes::revoke)
                .returns(200, "the revoked key");
    }

    static ObjectNode view(ApiKeys.Key key) {
        return ParleyJson.object().put("id", key.id()).put("tenant", key.tenant().value()).put("role", key.role().wireName())
                .put("name", key.name()).put("createdAt", key.createdAt().toString())
                .put("revokedAt", key.revokedAt() == null ? null : key.revokedAt().toString()).put("active", key.active());
    }

    static void create(Call call) {
        Body body = call.body().only("tenant", "role", "name");
        ApiKeys.Role role = body.has("role") ? ApiKeys.Role.parse(body.string("role")) : ApiKeys.Role.TENANT;
        ApiKeys.Created created = call.api.keys().create(TenantId.of(body.string("tenant")), role, body.optString("name"));
        ObjectNode node = view(created.key()).put("key", created.secret());
        call.json(201, node);
    }

    static void list(Call call) {
        String tenant = call.query("tenant");
        TenantId only = tenant == null ? null : TenantId.of(tenant);
        ObjectNode node = ParleyJson.object();
        ArrayNode items = node.putArray("items");
        call.api.keys().list().stream().filter(k -> only == null || k.tenant().equals(only)).forEach(k -> items.add(view(k)));
        call.ok(node);
    }

    static void revoke(Call call) {
        call.ok(view(call.api.keys().revoke(call.ctx.pathParam("keyId"))));
    }
}
