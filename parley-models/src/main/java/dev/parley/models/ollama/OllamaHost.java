package dev.parley.models.ollama;

import dev.parley.InvalidInputException;

import java.util.Locale;

/**
 * Reads {@code OLLAMA_HOST} the way Ollama's own client does: {@code host}, {@code host:port}, {@code :port} or a URL
 * with an optional path. Without a scheme it is {@code http} on port 11434; with {@code http://} or {@code https://}
 * and no port, the scheme's port (80, 443). An empty host is {@code 127.0.0.1}. Unlike Ollama's client, which falls
 * back to the default port with a log line, a port that is not a number in 0–65535 is an error naming the variable.
 */
final class OllamaHost {
    static final String VARIABLE = "OLLAMA_HOST";

    private OllamaHost() {
    }

    static String toUrl(String value) {
        String text = value.strip().replaceAll("^[\"']+|[\"']+$", "").strip();
        String scheme = "http";
        String defaultPort = "11434";
        String rest = text;
        int separator = text.indexOf("://");
        if (separator >= 0) {
            scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
            rest = text.substring(separator + 3);
            defaultPort = switch (scheme) {
                case "http" -> "80";
                case "https" -> "443";
                default -> throw invalid(value, "the scheme must be http or https");
            };
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash).replaceAll("/+$", "");
            rest = rest.substring(0, slash);
        }
        if (rest.contains("@")) {
            throw new InvalidInputException(VARIABLE, VARIABLE + " must not carry credentials (user:password@);"
                    + " use OLLAMA_API_KEY or apiKey(...)");
        }
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw invalid(value, "an IPv6 address must be closed with ']'");
            }
            host = rest.substring(0, close + 1);
            String after = rest.substring(close + 1);
            port = after.startsWith(":") ? after.substring(1) : "";
        } else if (rest.indexOf(':') != rest.lastIndexOf(':')) {
            host = "[" + rest + "]";
            port = "";
        } else {
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            port = colon < 0 ? "" : rest.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        if (port.isEmpty()) {
            port = defaultPort;
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            throw invalid(value, "the port must be a number from 0 to 65535");
        }
        return scheme + "://" + host + ":" + port + path;
    }

    private static InvalidInputException invalid(String value, String rule) {
        return new InvalidInputException(VARIABLE, VARIABLE + " must be host[:port] or an http(s) URL (" + rule + "): '"
                + value + "'");
    }
}
