package dev.parley.client;

import dev.parley.CloneMode;
import dev.parley.InvalidInputException;
import dev.parley.SessionSpec;
import dev.parley.api.Sessions;
import dev.parley.domain.EntryId;
import dev.parley.domain.Names;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.store.Page;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions of one tenant of a Parley server: the library's session API ({@link Sessions},
 * {@link dev.parley.api.SessionHandle}) over the server's REST API, so code written for a local
 * {@link dev.parley.Parley} runs against a server unchanged.
 *
 * <pre>{@code
 * try (ParleyClient parley = ParleyClient.builder().baseUrl("http://127.0.0.1:8080")
 *         .apiKey(System.getenv("PARLEY_API_KEY")).build()) {
 *     RemoteSession s = parley.create(SessionSpec.builder().user("alice").systemPrompt("Be brief.").build());
 *     s.add(Message.user("Hello"));
 * }
 * }</pre>
 *
 * The API key decides the tenant. Sanitising and the vault stay on the server: a session created with
 * {@code sanitize} has its messages sanitised there before they are stored, and this client reads what is stored.
 * Errors arrive as the library's exceptions ({@link dev.parley.NotFoundException}, {@link dev.parley.ConflictException}
 * with its reason, {@link InvalidInputException} naming the field, {@link dev.parley.IdempotencyMismatchException},
 * {@link dev.parley.BudgetExceededException}, {@link dev.parley.StoreException}); refused credentials as
 * {@link AccessDeniedException}, rate limits as {@link RateLimitedException}, anything else (no answer, a model
 * provider failing, an internal error) as {@link RemoteException}. Nothing is retried behind your back: retry a write
 * that got no answer with the same idempotency key and it lands once.
 *
 * <p>Thread-safe; share one instance. The credential is sent only in the {@code Authorization} header and appears in
 * no message, exception or {@code toString()}. This client logs nothing.
 */
public final class ParleyClient implements Sessions {
    private final Transport transport;

    private ParleyClient(Transport transport) {
        this.transport = transport;
    }

    public static Builder builder() {
        return new Builder();
    }

    Transport transport() {
        return transport;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return transport.base();
    }

    private static String path(SessionId id) {
        return "/v1/sessions/" + Transport.segment(id.value());
    }

    private RemoteSession handle(JsonNode session) {
        return new RemoteSession(this, SessionId.of(session.get("id").stringValue()), UserId.of(session.get("userId").stringValue()),
                Names.MAIN, new ConcurrentHashMap<>());
    }

    @Override
    public RemoteSession create(SessionSpec spec) {
        return handle(transport.post("/v1/sessions").json(Wire.create(spec)).send().json());
    }

    @Override
    public RemoteSession create() {
        return create(SessionSpec.builder().build());
    }

    @Override
    public RemoteSession open(SessionId id) {
        return handle(transport.get(path(id)).send().json());
    }

    @Override
    public RemoteSession open(String id) {
        return open(SessionId.of(id));
    }

    @Override
    public Optional<RemoteSession> find(SessionId id) {
        Transport.Response response = transport.get(path(id)).exchange();
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() >= 400) {
            throw response.error();
        }
        return Optional.of(handle(response.json()));
    }

    @Override
    public boolean exists(SessionId id) {
        Transport.Response response = transport.get(path(id) + "/branches").exchange();
        if (response.status() == 404) {
            return false;
        }
        if (response.status() >= 400) {
            throw response.error();
        }
        return true;
    }

    @Override
    public boolean delete(SessionId id) {
        Transport.Response response = transport.delete(path(id)).exchange();
        if (response.status() == 404) {
            return false;
        }
        if (response.status() >= 400) {
            throw response.error();
        }
        return true;
    }

    /** One page of sessions, newest first; {@code limit} is 1-1000. */
    @Override
    public Page<SessionInfo> list(UserId user, String cursor, int limit) {
        JsonNode page = transport.get("/v1/sessions").query("userId", user == null ? null : user.value())
                .query("cursor", cursor).query("limit", limit).send().json();
        List<SessionInfo> items = new ArrayList<>();
        page.get("items").forEach(item -> items.add(Wire.info(item)));
        JsonNode next = page.get("nextCursor");
        return new Page<>(items, next == null || next.isNull() ? null : next.stringValue());
    }

    @Override
    public int eraseUser(UserId user) {
        return transport.delete("/v1/users/" + Transport.segment(user.value())).send().json().get("deletedSessions").intValue();
    }

    @Override
    public String exportJson(SessionId id) {
        return transport.get(path(id) + "/export").query("format", "parley").send().body();
    }

    @Override
    public RemoteSession importJson(String json, SessionId asId) {
        if (json == null || json.isBlank()) {
            throw new InvalidInputException("json", "an exported session document is required");
        }
        return handle(transport.post("/v1/sessions/import").query("id", asId == null ? null : asId.value()).text(json)
                .send().json());
    }

    @Override
    public RemoteSession clone(SessionId source, CloneMode mode, EntryId at, SessionId newId) {
        ObjectNode body = ParleyJson.object().put("mode", mode.name().toLowerCase(Locale.ROOT));
        if (at != null) {
            body.put("at", at.value());
        }
        if (newId != null) {
            body.put("id", newId.value());
        }
        return handle(transport.post(path(source) + "/clone").json(body).send().json());
    }

    @Override
    public RemoteSession merge(SessionId a, SessionId b, SessionId newId) {
        ObjectNode body = ParleyJson.object();
        body.putArray("sources").add(a.value()).add(b.value());
        if (newId != null) {
            body.put("id", newId.value());
        }
        return handle(transport.post("/v1/sessions/merge").json(body).send().json());
    }

    @Override
    public RemoteSession load(java.nio.file.Path file) {
        return (RemoteSession) Sessions.super.load(file); // importJson here always makes a RemoteSession
    }

    /** Closes the HTTP connections; sessions on the server are not affected. */
    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "ParleyClient[" + transport.base() + "]";
    }

    /** Where the server is, how to authenticate, and how long to wait. */
    public static final class Builder {
        private String baseUrl;
        private String credential;
        private String credentialKind;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The server, e.g. {@code http://127.0.0.1:8080} (what {@code parley serve} prints); http or https. */
        public Builder baseUrl(String value) {
            URI uri;
            try {
                uri = URI.create(Objects.requireNonNull(value, "baseUrl").strip());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("baseUrl", "baseUrl is not a URL: " + e.getMessage());
            }
            if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new InvalidInputException("baseUrl", "baseUrl must be an http or https URL with a host and no query: '"
                        + value + "'");
            }
            this.baseUrl = uri.toString().replaceAll("/+$", "");
            return this;
        }

        /** An API key ({@code pk_…}): the tenant's sessions, every endpoint its role allows. */
        public Builder apiKey(String value) {
            return credential("apiKey", value);
        }

        /**
         * A session token from {@code POST /v1/sessions/{id}/tokens}: that one session only, for reading and
         * appending. Give it to a browser or a worker that must not see other sessions.
         */
        public Builder sessionToken(String value) {
            return credential("sessionToken", value);
        }

        private Builder credential(String kind, String value) {
            if (credential != null && !kind.equals(credentialKind)) {
                throw new InvalidInputException(kind, "give either an API key or a session token, not both");
            }
            if (value == null || value.isBlank() || value.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
                throw new InvalidInputException(kind, kind + " must be a non-empty credential of visible ASCII characters");
            }
            this.credential = value;
            this.credentialKind = kind;
            return this;
        }

        /** How long to wait for a connection (default 10 seconds). */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive("connectTimeout", value);
            return this;
        }

        /** How long to wait for each answer (default 60 seconds); a chat turn waits for the model within it. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive("requestTimeout", value);
            return this;
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new InvalidInputException(field, field + " must be positive: " + value);
            }
            return value;
        }

        public ParleyClient build() {
            if (baseUrl == null) {
                throw new InvalidInputException("baseUrl", "baseUrl is required, e.g. http://127.0.0.1:8080");
            }
            if (credential == null) {
                throw new InvalidInputException("apiKey", "an API key (apiKey) or a session token (sessionToken) is required");
            }
            return new ParleyClient(new Transport(baseUrl, credential, connectTimeout, requestTimeout));
        }
    }
}
