package dev.parley.store.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The explanations of failures a real server cannot be made to produce quickly or surely (RedisTlsTest covers the
 * common ones against real servers): Lettuce's exceptions built the way it builds them.
 */
class ConnectFailureTest {
    private static final RedisLocation TLS = RedisLocation.parse("rediss://127.0.0.1:6380");
    private static final RedisLocation TLS_CLUSTER = RedisLocation.parse("rediss-cluster://10.0.0.1:6379,10.0.0.2:6379");
    private static final RedisLocation PLAIN = RedisLocation.parse("redis://127.0.0.1:6379");

    private static RedisConnectionException unableToConnect(Throwable cause) {
        return new RedisConnectionException("Unable to connect to 127.0.0.1/<unresolved>:6380", cause);
    }

    @Test
    void aTlsHelloThatIsNeverAnsweredSuggestsAPlainPort() {
        RedisConnectionException failure = unableToConnect(new RedisCommandTimeoutException("Connection initialization timed out after 10 second(s)"));
        assertThat(ConnectFailure.explain(failure, TLS)).isEqualTo("Unable to connect to 127.0.0.1/<unresolved>:6380"
                + " (Connection initialization timed out after 10 second(s)); a server that never answers the TLS handshake"
                + " may be a plain redis:// port");
        assertThat(ConnectFailure.explain(failure, TLS_CLUSTER)).endsWith("may be a plain redis-cluster:// port");
    }

    @Test
    void aPlainReplyToTheTlsHelloSaysTheServerDoesNotSpeakTls() {
        RedisConnectionException failure = unableToConnect(new SSLException("not an SSL/TLS record: 2d4552522075"));
        assertThat(ConnectFailure.explain(failure, TLS))
                .isEqualTo("TLS handshake failed: the server did not answer in TLS; is it a plain redis:// port?");
    }

    @Test
    void aServerWantingAClientCertificateIsNamedAsSuch() {
        SSLHandshakeException alert = new SSLHandshakeException("(certificate_required) Received fatal alert: certificate_required");
        RedisConnectionException failure = unableToConnect(new RuntimeException("javax.net.ssl.SSLHandshakeException: " + alert.getMessage(), alert));
        assertThat(ConnectFailure.explain(failure, TLS)).isEqualTo("TLS handshake failed: the server asks for a client certificate"
                + " ((certificate_required) Received fatal alert: certificate_required), which Parley does not send;"
                + " set tls-auth-clients no (or optional) on the server");
    }

    @Test
    void aClusterNodeWhoseCertificateDoesNotNameItsAddressIsFoundAmongSuppressedFailuresAndVerifyCaIsMentioned() {
        RedisConnectionException failure = new RedisConnectionException("Unable to establish a connection to Redis Cluster");
        failure.addSuppressed(unableToConnect(new SSLHandshakeException("handshake",
                new CertificateException("No subject alternative names matching IP address 10.0.0.2 found"))));
        assertThat(ConnectFailure.explain(failure, TLS_CLUSTER)).isEqualTo("TLS handshake failed: the server's certificate does not"
                + " name the host it was reached at (No subject alternative names matching IP address 10.0.0.2 found); connect by"
                + " a name the certificate lists, or, if the cluster's nodes announce addresses their certificates do not list,"
                + " add verify=ca (host names are then not checked)");
    }

    @Test
    void anyOtherFailureKeepsLettucesMessageAndAddsItsRootCause() {
        RedisConnectionException failure = unableToConnect(new java.net.ConnectException("Connection refused"));
        assertThat(ConnectFailure.explain(failure, PLAIN)).isEqualTo("Unable to connect to 127.0.0.1/<unresolved>:6380 (Connection refused)");
        assertThat(ConnectFailure.explain(failure, TLS)).isEqualTo("Unable to connect to 127.0.0.1/<unresolved>:6380 (Connection refused)");
        assertThat(ConnectFailure.tlsProblem(failure, TLS)).isNull();
    }
}
