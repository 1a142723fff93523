package dev.parley.server.internal;

import dev.parley.domain.TenantId;
import dev.parley.json.ParleyJson;
import dev.parley.server.ApiKeys;
import dev.parley.store.Scope;

/** Health, Prometheus metrics and the OpenAPI description: no credentials needed. */
final class OpsRoutes {
    private OpsRoutes() {
    }

    static void register(RouteTable routes) {
        routes.get("/health", Access.PUBLIC, "Whether the server and its store answer", OpsRoutes::health)
                .returns(200, "{status: ok}").returns(503, "the store does not answer");
        routes.get("/metrics", Access.PUBLIC, "Metrics in the Prometheus text format", OpsRoutes::metrics)
                .returns(200, "text/plain; version=0.0.4");
        routes.get("/openapi.json", Access.PUBLIC, "This API described in OpenAPI 3.1", call ->
                call.ctx.status(200).contentType("application/json").result(OpenApi.document(routes)))
                .returns(200, "the OpenAPI document");
    }

    static void health(Call call) {
        call.api.root().store().scopedValue(TenantId.of(ApiKeys.RESERVED_TENANT), Scope.app(), "health");
        call.ok(ParleyJson.object().put("status", "ok"));
    }

    static void metrics(Call call) {
        call.ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(call.api.metrics().scrape());
    }
}
