package dev.parley.store.redis;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * Says in one sentence why a connection could not be made. Lettuce reports only "Unable to connect to host:port"
 * and hides the reason in a chain of causes (and, for a cluster, in suppressed exceptions of each seed node); a
 * refused certificate must read as such, naming what was checked, not as an unreachable server.
 */
final class ConnectFailure {
    private ConnectFailure() {
    }

    /** Why connecting to {@code location} failed: the TLS problem if there is one, else Lettuce's message and its root cause. */
    static String explain(Throwable failure, RedisLocation location) {
        List<Throwable> chain = causes(failure);
        Tls tls = location.tls();
        if (tls != null) {
            String tlsReason = tlsReason(chain, location);
            if (tlsReason != null) {
                return "TLS handshake failed: " + tlsReason;
            }
        }
        String reason = failure.getMessage();
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != failure && root.getMessage() != null && !root.getMessage().equals(reason)) {
            reason += " (" + root.getMessage() + ")";
        }
        if (tls == null && chain.stream().anyMatch(ConnectFailure::closedEarly)) {
            reason += "; if the server only speaks TLS, write " + location.scheme().replace("redis", "rediss") + "://";
        }
        if (tls != null && chain.stream().anyMatch(t -> message(t).contains("timed out"))) {
            // A plain Redis port takes the TLS hello for the start of a command and waits for the rest of it.
            reason += "; a server that never answers the TLS handshake may be a plain " + plainScheme(location) + ":// port";
        }
        return reason;
    }

    /** What went wrong in a TLS handshake behind {@code failure}, or {@code null} if the failure is not about TLS. */
    static String tlsProblem(Throwable failure, RedisLocation location) {
        return tlsReason(causes(failure), location);
    }

    private static String tlsReason(List<Throwable> chain, RedisLocation location) {
        Tls tls = location.tls();
        Throwable wrongHost = deepest(chain, t -> t instanceof CertificateException
                && (message(t).startsWith("No subject alternative") || message(t).startsWith("No name matching")));
        if (wrongHost != null) {
            return "the server's certificate does not name the host it was reached at (" + message(wrongHost) + "); connect by a"
                    + " name the certificate lists" + (location.cluster() ? ", or, if the cluster's nodes announce addresses their"
                    + " certificates do not list, add verify=ca (host names are then not checked)" : "");
        }
        Throwable untrusted = deepest(chain, t -> t instanceof CertPathBuilderException || t instanceof CertPathValidatorException);
        if (untrusted != null) {
            return "the server's certificate is not trusted: no CA in " + tls.trustSource() + " vouches for it ("
                    + message(untrusted) + ")" + (tls.caBundle() == null ? "; name the server's CA with ca=FILE.pem" : "");
        }
        // A plain Redis port answers the TLS hello with an error reply when the hello happens to hold a newline.
        if (deepest(chain, t -> message(t).contains("not an SSL/TLS record")) != null) {
            return "the server did not answer in TLS; is it a plain " + plainScheme(location) + ":// port?";
        }
        Throwable wantsCertificate = deepest(chain, t -> message(t).contains("certificate_required") || message(t).contains("bad_certificate"));
        if (wantsCertificate != null) {
            return "the server asks for a client certificate (" + message(wantsCertificate) + "), which Parley does not send;"
                    + " set tls-auth-clients no (or optional) on the server";
        }
        Throwable other = deepest(chain, t -> t instanceof SSLException || t instanceof CertificateException);
        return other == null ? null : message(other);
    }

    /** The last throwable of the chain (the innermost, whose message is not a wrapper's copy) that {@code test} accepts. */
    private static Throwable deepest(List<Throwable> chain, Predicate<Throwable> test) {
        Throwable found = null;
        for (Throwable t : chain) {
            if (test.test(t)) {
                found = t;
            }
        }
        return found;
    }

    private static String plainScheme(RedisLocation location) {
        return location.scheme().replace("rediss", "redis");
    }

    private static String message(Throwable t) {
        return String.valueOf(t.getMessage());
    }

    /** Redis closing a plain connection at once is what a TLS-only port does with a client that speaks plain RESP. */
    private static boolean closedEarly(Throwable t) {
        return message(t).contains("Connection closed") || message(t).contains("Connection reset");
    }

    /** The failure, its causes and suppressed exceptions, breadth first, each once. */
    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> seen = new ArrayList<>();
        Set<Throwable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> queue = new ArrayDeque<>(List.of(failure));
        while (!queue.isEmpty() && seen.size() < 64) {
            Throwable t = queue.removeFirst();
            if (!visited.add(t)) {
                continue;
            }
            seen.add(t);
            if (t.getCause() != null) {
                queue.addLast(t.getCause());
            }
            queue.addAll(List.of(t.getSuppressed()));
        }
        return seen;
    }
}
