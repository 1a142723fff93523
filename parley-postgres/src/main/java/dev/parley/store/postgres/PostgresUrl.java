package dev.parley.store.postgres;

import dev.parley.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL store lives, in the form the CLI's {@code --store} and {@code PARLEY_STORE} take:
 * {@code postgres://user[:password]@host[:port]/database[?schema=name][&poolSize=n]} ({@code postgresql://} works too).
 * The password, if any, is percent-encoded in the URL and never shown by {@link #toString()}.
 *
 * <pre>{@code
 * PostgresUrl url = PostgresUrl.parse("postgres://parley@db.internal/parley?schema=prod");
 * try (PostgresSessionStore store = PostgresSessionStore.builder().url(url).build()) { ... }
 * }</pre>
 *
 * @param password {@code null} when the URL has none (trust or peer authentication, or a {@code .pgpass} file)
 * @param schema   the schema holding Parley's tables; {@value #DEFAULT_SCHEMA} unless the URL says otherwise
 * @param poolSize connections the store opens at most; {@code null}: the store's default (10)
 */
public record PostgresUrl(String user, String password, String host, int port, String database, String schema,
                          Integer poolSize) {

    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_SCHEMA = "parley";

    static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String FORM = "postgres://user[:password]@host[:port]/database[?schema=name][&poolSize=n]";
    /** The pool sizes a URL may ask for, as {@link PostgresSessionStore.Builder#poolSize} takes them. */
    static final int MIN_POOL = 2;
    static final int MAX_POOL = 1000;
    private static final String FIELD = "store URL";

    public PostgresUrl {
        require(user != null && !user.isEmpty(), "names no user", null);
        require(host != null && !host.isEmpty(), "names no host", null);
        require(port >= 1 && port <= 65_535, "has port " + port + ", which is not between 1 and 65535", null);
        require(database != null && !database.isEmpty(), "names no database", null);
        schema = Objects.requireNonNullElse(schema, DEFAULT_SCHEMA);
        requireSchema(schema);
        if (poolSize != null && (poolSize < MIN_POOL || poolSize > MAX_POOL)) {
            throw new InvalidInputException("poolSize", "poolSize must be between " + MIN_POOL + " and " + MAX_POOL + ": " + poolSize);
        }
    }

    /** A URL with the store's default pool size. */
    public PostgresUrl(String user, String password, String host, int port, String database, String schema) {
        this(user, password, host, port, database, schema, null);
    }

    /** Parses {@code postgres://user[:password]@host[:port]/database[?schema=name][&poolSize=n]}; bad URLs fail naming what is wrong. */
    public static PostgresUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException(FIELD, "store URL is empty; expected " + FORM);
        }
        int colon = url.indexOf("://");
        String scheme = colon < 0 ? "" : url.substring(0, colon);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
            throw new InvalidInputException(FIELD, "store URL " + redact(url) + " does not start with postgres:// or postgresql://; expected " + FORM);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidInputException(FIELD, "store URL " + redact(url) + " is malformed (" + e.getReason() + "); expected " + FORM);
        }
        if (uri.getRawAuthority() != null && uri.getHost() == null) {
            throw new InvalidInputException(FIELD, "store URL " + redact(url) + " has a malformed host or port; expected " + FORM);
        }
        String userInfo = uri.getRawUserInfo();
        require(userInfo != null && !userInfo.isEmpty() && !userInfo.startsWith(":"), "names no user", url);
        int split = userInfo.indexOf(':');
        String user = decode(split < 0 ? userInfo : userInfo.substring(0, split), url);
        String password = split < 0 ? null : decode(userInfo.substring(split + 1), url);
        String host = uri.getHost();
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        require(host != null, "names no host", url);
        String path = uri.getRawPath();
        require(path != null && path.length() > 1, "names no database", url);
        require(path.indexOf('/', 1) < 0, "has a path " + path + "; only a database name may follow the host", url);
        String database = decode(path.substring(1), url);
        String schema = null;
        Integer poolSize = null;
        String query = uri.getRawQuery();
        for (String pair : query == null || query.isEmpty() ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1), url);
            switch (name) {
                case "schema" -> {
                    require(schema == null, "names the schema twice", url);
                    requireSchema(value);
                    schema = value;
                }
                case "poolSize" -> {
                    require(poolSize == null, "names the pool size twice", url);
                    require(value.matches("[0-9]{1,4}") && Integer.parseInt(value) >= MIN_POOL && Integer.parseInt(value) <= MAX_POOL,
                            "has poolSize '" + value + "', which is not a whole number from " + MIN_POOL + " to " + MAX_POOL, url);
                    poolSize = Integer.parseInt(value);
                }
                default -> require(false, "has an unknown parameter '" + name + "' (the known ones are schema and poolSize)", url);
            }
        }
        return new PostgresUrl(user, password, host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database, schema, poolSize);
    }

    static void requireSchema(String schema) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new InvalidInputException("schema", "schema must be 1-63 characters of [a-z0-9_] not starting with a digit: '"
                    + schema + "'");
        }
    }

    private static String decode(String raw, String url) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(FIELD, "store URL " + redact(url) + " has a bad percent-encoding: " + e.getMessage());
        }
    }

    private static void require(boolean ok, String problem, String url) {
        if (!ok) {
            throw new InvalidInputException(FIELD, "store URL " + (url == null ? "" : redact(url) + " ") + problem + "; expected " + FORM);
        }
    }

    /** The URL with its password replaced by {@code ***}, safe for messages and logs. */
    static String redact(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return "'" + url + "'";
        }
        int colon = url.indexOf(':', scheme + 3);
        return "'" + (colon < 0 || colon > at ? url : url.substring(0, colon + 1) + "***" + url.substring(at)) + "'";
    }

    /** The pgjdbc URL of this database (the user and password travel separately, never in the URL). */
    public String jdbcUrl() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + encode(database);
    }

    /**
     * {@code postgres://user@host:port/database?schema=name[&poolSize=n]}, without the password; the user and database
     * percent-encoded as in the URL it was parsed from, so what a log shows can be pasted back.
     */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "postgres://" + encode(user) + "@" + h + ":" + port + "/" + encode(database) + "?schema=" + schema
                + (poolSize == null ? "" : "&poolSize=" + poolSize);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
