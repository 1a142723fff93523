package dev.parley.server.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every endpoint of the API with what it documents: who may call it, its summary, query parameters, body
 * fields and statuses. Routes are registered with Javalin from this table and {@code /openapi.json} is
 * generated from it, so the description cannot leave an endpoint out.
 */
final class RouteTable {
    private static final Pattern PATH_PARAM = Pattern.compile("[{<]([A-Za-z]+)[}>]");

    /** A handler of one endpoint, given the authenticated call. */
    @FunctionalInterface
    interface ApiHandler {
        void handle(Call call) throws Exception;
    }

    /** One documented field or parameter. */
    record Field(String name, String type, String description) {
    }

    /** One endpoint; built fluently right where it is registered. */
    static final class Route {
        final HandlerType method;
        final String path;
        final Access access;
        final String summary;
        final ApiHandler handler;
        final List<Field> query = new ArrayList<>();
        final List<Field> headers = new ArrayList<>();
        final List<Field> body = new ArrayList<>();
        final Map<Integer, String> responses = new LinkedHashMap<>();
        String bodyDescription;
        boolean streams;

        Route(HandlerType method, String path, Access access, String summary, ApiHandler handler) {
            this.method = method;
            this.path = path;
            this.access = access;
            this.summary = summary;
            this.handler = handler;
        }

        Route query(String name, String type, String description) {
            query.add(new Field(name, type, description));
            return this;
        }

        Route header(String name, String description) {
            headers.add(new Field(name, "string", description));
            return this;
        }

        Route field(String name, String type, String description) {
            body.add(new Field(name, type, description));
            return this;
        }

        Route body(String description) {
            this.bodyDescription = description;
            return this;
        }

        Route returns(int status, String description) {
            responses.put(status, description);
            return this;
        }

        /** Answers with {@code text/event-stream} when asked to stream. */
        Route streams() {
            this.streams = true;
            return this;
        }

        /** The path parameters, in order. */
        List<String> pathParams() {
            List<String> names = new ArrayList<>();
            Matcher m = PATH_PARAM.matcher(path);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        /** The path in OpenAPI's template syntax. */
        String openApiPath() {
            return PATH_PARAM.matcher(path).replaceAll("{$1}");
        }
    }

    private final List<Route> routes = new ArrayList<>();

    Route get(String path, Access access, String summary, ApiHandler handler) {
        return add(HandlerType.GET, path, access, summary, handler);
    }

    Route post(String path, Access access, String summary, ApiHandler handler) {
        return add(HandlerType.POST, path, access, summary, handler);
    }

    Route patch(String path, Access access, String summary, ApiHandler handler) {
        return add(HandlerType.PATCH, path, access, summary, handler);
    }

    Route delete(String path, Access access, String summary, ApiHandler handler) {
        return add(HandlerType.DELETE, path, access, summary, handler);
    }

    private Route add(HandlerType method, String path, Access access, String summary, ApiHandler handler) {
        Route route = new Route(method, path, access, summary, handler);
        routes.add(route);
        return route;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Registers every route with Javalin, each wrapped so it runs only for a caller its access rule admits. */
    void install(RoutesConfig config, Api api) {
        for (Route route : routes) {
            config.addHttpHandler(route.method, route.path, ctx -> {
                Principal principal = api.authenticator().authenticate(ctx, route.access);
                if (principal != null) {
                    ctx.attribute(Call.PRINCIPAL, principal);
                    api.rateLimiter().acquire(principal.rateKey());
                }
                route.handler.handle(new Call(ctx, principal, api));
            });
        }
    }
}
