package dev.parley.store.redis;

import dev.parley.InvalidInputException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a Redis store lives, as {@code --store} and {@code PARLEY_STORE} name it:
 * {@code redis://[[user]:password@]host[:port][/db][?prefix=name]} for one server, or
 * {@code redis-cluster://[[user]:password@]host:port[,host:port…][?prefix=name]} for a Redis Cluster
 * (any reachable nodes; the rest are discovered). The password is percent-encoded in the URL and never
 * shown by {@link #toString()}.
 *
 * <p>{@code rediss://} and {@code rediss-cluster://} are the same over TLS: the extra {@code s} is how Lettuce
 * ({@code rediss://}, {@code rediss-sentinel://}), redis-cli, redis-py and node-redis name TLS. They take two more
 * parameters: {@code ca=FILE}, a PEM bundle of the CAs to trust instead of the JDK's trust store, and
 * {@code verify=full} (the default: the certificate must name the host) or {@code verify=ca} (any host name).
 *
 * @param password {@code null} when the URL has none
 * @param user     {@code null} unless the server uses ACL users
 * @param database the database index ({@code SELECT}); always 0 in a cluster
 * @param prefix   what every key of this store starts with, so several stores can share one server
 * @param tls      how servers are checked, or {@code null} for plain TCP ({@code redis://}, {@code redis-cluster://})
 */
record RedisLocation(boolean cluster, List<Node> nodes, int database, String user, String password, String prefix, Tls tls) {

    static final int DEFAULT_PORT = 6379;
    static final String DEFAULT_PREFIX = "parley";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
    /** What may stand between brackets: an IPv6 address (hex groups, colons, an IPv4 tail), with a zone if link-local. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._~-]+)?");
    private static final String FORM = "redis://[[user]:password@]host[:port][/db][?prefix=name]"
            + " or redis-cluster://[[user]:password@]host:port[,host:port...][?prefix=name],"
            + " or rediss:// and rediss-cluster:// for TLS, which also take &ca=FILE.pem and &verify=full|ca";
    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-cluster", "rediss-cluster");
    private static final Set<String> TLS_PARAMETERS = Set.of("ca", "verify");
    private static final String FIELD = "store URL";

    /** One server address; an IPv6 host is kept without its brackets. */
    record Node(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    RedisLocation {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new InvalidInputException(FIELD, "store URL names no host; expected " + FORM);
        }
        if (cluster && database != 0) {
            throw new InvalidInputException(FIELD, "a Redis Cluster has only database 0, not " + database);
        }
        requirePrefix(Objects.requireNonNull(prefix, "prefix"));
    }

    static void requirePrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new InvalidInputException("key prefix", "key prefix must be 1-64 characters of [A-Za-z0-9._:-]: "
                    + (prefix == null ? "null" : "'" + prefix + "'"));
        }
    }

    RedisLocation withPrefix(String newPrefix) {
        return new RedisLocation(cluster, nodes, database, user, password, newPrefix, tls);
    }

    /** The URL scheme this location is written with. */
    String scheme() {
        return (tls == null ? "redis" : "rediss") + (cluster ? "-cluster" : "");
    }

    /** Parses a {@code redis://}, {@code rediss://}, {@code redis-cluster://} or {@code rediss-cluster://} URL; a bad one fails naming what is wrong. */
    static RedisLocation parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException(FIELD, "store URL is empty; expected " + FORM);
        }
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw invalid(url, "does not start with redis://, rediss://, redis-cluster:// or rediss-cluster://");
        }
        boolean cluster = scheme.endsWith("-cluster");
        boolean secure = scheme.startsWith("rediss");
        String rest = url.substring(schemeEnd + 3);

        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw invalid(url, "has user info without a password (write :password@ or user:password@)");
            }
            user = colon == 0 ? null : decode(userInfo.substring(0, colon), url);
            password = decode(userInfo.substring(colon + 1), url);
        }

        List<Node> nodes = new ArrayList<>();
        for (String address : rest.split(",", -1)) {
            nodes.add(node(address, url));
        }
        if (!cluster && nodes.size() > 1) {
            throw invalid(url, "names several hosts; use " + scheme + "-cluster:// for a Redis Cluster");
        }
        int database = 0;
        if (path != null && !path.isEmpty()) {
            if (cluster) {
                throw invalid(url, "names a database; a Redis Cluster has only database 0");
            }
            if (!path.chars().allMatch(Character::isDigit) || path.length() > 5) {
                throw invalid(url, "has path /" + piece(url, path) + "; only a database number may follow the host");
            }
            database = Integer.parseInt(path);
        }
        Map<String, String> parameters = parameters(query, url);
        return new RedisLocation(cluster, nodes, database, user, password, parameters.getOrDefault("prefix", DEFAULT_PREFIX),
                tls(secure, parameters, url));
    }

    private static Node node(String address, String url) {
        if (address.isEmpty()) {
            throw invalid(url, "names no host");
        }
        String host;
        String portText = null;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0) {
                throw invalid(url, "has a malformed IPv6 host " + piece(url, address));
            }
            host = address.substring(1, close);
            if (!IPV6.matcher(host).matches()) {
                throw invalid(url, "has a malformed IPv6 host " + piece(url, address));
            }
            String after = address.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(url, "has a malformed host or port: " + piece(url, address));
                }
                portText = after.substring(1);
            }
        } else {
            int colon = address.indexOf(':');
            host = colon < 0 ? address : address.substring(0, colon);
            portText = colon < 0 ? null : address.substring(colon + 1);
            if (!HOST.matcher(host).matches()) {
                throw invalid(url, "has a malformed host or port: " + piece(url, address));
            }
        }
        if (host.isEmpty()) {
            throw invalid(url, "names no host");
        }
        int port = DEFAULT_PORT;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
                throw invalid(url, "has a malformed host or port: " + piece(url, address));
            }
            port = Integer.parseInt(portText);
            if (port < 1 || port > 65_535) {
                throw invalid(url, "has port " + port + ", which is not between 1 and 65535");
            }
        }
        return new Node(host, port);
    }

    /** The query's parameters, decoded; unknown or repeated ones are refused. */
    private static Map<String, String> parameters(String query, String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals("tls") || name.equals("ssl")) {
                throw invalid(url, "has parameter '" + piece(url, name) + "'; TLS is chosen by the scheme: write rediss:// or rediss-cluster://");
            }
            if (!name.equals("prefix") && !TLS_PARAMETERS.contains(name)) {
                throw invalid(url, "has an unknown parameter '" + piece(url, name) + "' (known: prefix; with rediss:// also ca and verify)");
            }
            if (parameters.put(name, decode(eq < 0 ? "" : pair.substring(eq + 1), url)) != null) {
                throw invalid(url, "names the parameter " + piece(url, name) + " twice");
            }
        }
        return parameters;
    }

    private static Tls tls(boolean secure, Map<String, String> parameters, String url) {
        if (!secure) {
            for (String name : TLS_PARAMETERS) {
                if (parameters.containsKey(name)) {
                    throw invalid(url, "has " + name + "=, which only TLS uses; write rediss:// or rediss-cluster:// for TLS");
                }
            }
            return null;
        }
        Path caBundle = null;
        String ca = parameters.get("ca");
        if (ca != null) {
            if (ca.isBlank()) {
                throw invalid(url, "has an empty ca= (name a PEM file of CA certificates)");
            }
            try {
                caBundle = Path.of(ca);
            } catch (InvalidPathException e) {
                throw invalid(url, "has ca=" + piece(url, ca) + ", which is not a file path" + (hasPassword(url) ? "" : ": " + e.getMessage()));
            }
        }
        String verify = parameters.getOrDefault("verify", Tls.Verify.FULL.parameter());
        Tls.Verify mode = switch (verify) {
            case "full" -> Tls.Verify.FULL;
            case "ca" -> Tls.Verify.CA;
            case "none" -> throw invalid(url, "has verify=none, which Parley does not offer: to trust a server whose"
                    + " certificate no CA signed, name that certificate in ca=FILE.pem");
            default -> throw invalid(url, "has verify=" + piece(url, verify) + "; the choices are full (the default: the"
                    + " certificate must name the host) and ca (any host name)");
        };
        return new Tls(caBundle, mode);
    }

    private static String decode(String raw, String url) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(url, "has a bad percent-encoding" + (hasPassword(url) ? "" : ": " + e.getMessage()));
        }
    }

    private static InvalidInputException invalid(String url, String problem) {
        return new InvalidInputException(FIELD, "store URL " + redact(url) + " " + problem + "; expected " + FORM);
    }

    /**
     * The URL with its password replaced by {@code ***}, safe for messages and logs: everything from the first colon
     * after the scheme to the last {@code @}. A password holding an unencoded {@code /}, {@code ?} or {@code @} (a
     * common slip) still ends at the last {@code @}; at worst a port or path is hidden too.
     */
    static String redact(String url) {
        if (!hasPassword(url)) {
            return "'" + url + "'";
        }
        int colon = url.indexOf(':', url.indexOf("://") + 3);
        return "'" + url.substring(0, colon + 1) + "***" + url.substring(url.lastIndexOf('@')) + "'";
    }

    /** Whether the URL may hold a password: a colon after the scheme with an {@code @} after it. */
    private static boolean hasPassword(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        int colon = url.indexOf(':', scheme + 3);
        return colon >= 0 && url.lastIndexOf('@') > colon;
    }

    /**
     * A piece of the URL quoted in a refusal, or {@code …} if the URL may hold a password: a password with an unencoded
     * {@code /}, {@code ?} or {@code @} is split across the pieces the parser cuts, so any piece may hold part of it.
     */
    private static String piece(String url, String piece) {
        return hasPassword(url) ? "…" : piece;
    }

    /** The URL without its password. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(scheme()).append("://");
        if (user != null) {
            out.append(user).append('@');
        }
        List<String> addresses = nodes.stream().map(Node::toString).toList();
        out.append(String.join(",", addresses));
        if (!cluster) {
            out.append('/').append(database);
        }
        out.append("?prefix=").append(prefix);
        if (tls != null && tls.caBundle() != null) {
            out.append("&ca=").append(tls.caBundle());
        }
        if (tls != null && tls.verify() != Tls.Verify.FULL) {
            out.append("&verify=").append(tls.verify().parameter());
        }
        return out.toString();
    }
}
