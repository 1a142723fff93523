package dev.parley.store.redis;

import dev.parley.InvalidInputException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a Redis store lives, as {@code --store} and {@code PARLEY_STORE} name it:
 * {@code redis://[[user]:password@]host[:port][/db][?prefix=name]} for one server, or
 * {@code redis-cluster://[[user]:password@]host:port[,host:port…][?prefix=name]} for a Redis Cluster
 * (any reachable nodes; the rest are discovered). The password is percent-encoded in the URL and never
 * shown by {@link #toString()}.
 *
 * @param password {@code null} when the URL has none
 * @param user     {@code null} unless the server uses ACL users
 * @param database the database index ({@code SELECT}); always 0 in a cluster
 * @param prefix   what every key of this store starts with, so several stores can share one server
 */
record RedisLocation(boolean cluster, List<Node> nodes, int database, String user, String password, String prefix) {

    static final int DEFAULT_PORT = 6379;
    static final String DEFAULT_PREFIX = "parley";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String FORM = "redis://[[user]:password@]host[:port][/db][?prefix=name]"
            + " or redis-cluster://[[user]:password@]host:port[,host:port...][?prefix=name]";
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
        return new RedisLocation(cluster, nodes, database, user, password, newPrefix);
    }

    /** Parses a {@code redis://} or {@code redis-cluster://} URL; a bad one fails naming what is wrong. */
    static RedisLocation parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException(FIELD, "store URL is empty; expected " + FORM);
        }
        int schemeEnd = url.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd);
        if (!scheme.equals("redis") && !scheme.equals("redis-cluster")) {
            throw invalid(url, "does not start with redis:// or redis-cluster://");
        }
        boolean cluster = scheme.equals("redis-cluster");
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
            throw invalid(url, "names several hosts; use redis-cluster:// for a Redis Cluster");
        }
        int database = 0;
        if (path != null && !path.isEmpty()) {
            if (cluster) {
                throw invalid(url, "names a database; a Redis Cluster has only database 0");
            }
            if (!path.chars().allMatch(Character::isDigit) || path.length() > 5) {
                throw invalid(url, "has path /" + path + "; only a database number may follow the host");
            }
            database = Integer.parseInt(path);
        }
        return new RedisLocation(cluster, nodes, database, user, password, prefixParameter(query, url));
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
                throw invalid(url, "has a malformed IPv6 host " + address);
            }
            host = address.substring(1, close);
            String after = address.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(url, "has a malformed host or port: " + address);
                }
                portText = after.substring(1);
            }
        } else {
            int colon = address.indexOf(':');
            host = colon < 0 ? address : address.substring(0, colon);
            portText = colon < 0 ? null : address.substring(colon + 1);
            if (!HOST.matcher(host).matches()) {
                throw invalid(url, "has a malformed host or port: " + address);
            }
        }
        if (host.isEmpty()) {
            throw invalid(url, "names no host");
        }
        int port = DEFAULT_PORT;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
                throw invalid(url, "has a malformed host or port: " + address);
            }
            port = Integer.parseInt(portText);
            if (port < 1 || port > 65_535) {
                throw invalid(url, "has port " + port + ", which is not between 1 and 65535");
            }
        }
        return new Node(host, port);
    }

    private static String prefixParameter(String query, String url) {
        if (query == null || query.isEmpty()) {
            return DEFAULT_PREFIX;
        }
        String prefix = null;
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!name.equals("prefix")) {
                throw invalid(url, "has an unknown parameter '" + name + "' (the only one is prefix)");
            }
            if (prefix != null) {
                throw invalid(url, "names the prefix twice");
            }
            prefix = decode(eq < 0 ? "" : pair.substring(eq + 1), url);
            requirePrefix(prefix);
        }
        return prefix;
    }

    private static String decode(String raw, String url) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(url, "has a bad percent-encoding: " + e.getMessage());
        }
    }

    private static InvalidInputException invalid(String url, String problem) {
        return new InvalidInputException(FIELD, "store URL " + redact(url) + " " + problem + "; expected " + FORM);
    }

    /** The URL with its password replaced by {@code ***}, safe for messages and logs. */
    static String redact(String url) {
        int scheme = url.indexOf("://");
        int end = url.length();
        for (char stop : new char[]{'/', '?'}) {
            int i = url.indexOf(stop, scheme < 0 ? 0 : scheme + 3);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        int at = url.lastIndexOf('@', end - 1);
        if (scheme < 0 || at < scheme) {
            return "'" + url + "'";
        }
        int colon = url.indexOf(':', scheme + 3);
        return "'" + (colon < 0 || colon > at ? url : url.substring(0, colon + 1) + "***" + url.substring(at)) + "'";
    }

    /** The URL without its password. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(cluster ? "redis-cluster://" : "redis://");
        if (user != null) {
            out.append(user).append('@');
        }
        List<String> addresses = nodes.stream().map(Node::toString).toList();
        out.append(String.join(",", addresses));
        if (!cluster) {
            out.append('/').append(database);
        }
        return out.append("?prefix=").append(prefix).toString();
    }
}
