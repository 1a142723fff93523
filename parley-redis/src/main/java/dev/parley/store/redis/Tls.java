package dev.parley.store.redis;

import dev.parley.InvalidInputException;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a {@code rediss://} or {@code rediss-cluster://} store checks the servers it talks to. The certificate chain is
 * always checked, against the CA bundle the URL names ({@code ca=}) or else the JDK's trust store; the host name is
 * checked too unless the URL says {@code verify=ca}. There is deliberately no way to turn the chain check off: a
 * server with a self-signed certificate is trusted by naming that certificate in {@code ca=}.
 *
 * @param caBundle a PEM file of the CA certificates to trust instead of the JDK's, or {@code null}
 * @param verify   what is checked besides the chain
 */
record Tls(Path caBundle, Verify verify) {

    /** What a server's certificate must show; the names are those of the URL's {@code verify=} parameter. */
    enum Verify {
        /** Signed by a trusted CA and naming the host the client connected to (the default). */
        FULL,
        /** Signed by a trusted CA, whatever host it names: for clusters whose nodes announce addresses their certificates do not list. */
        CA;

        String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Tls {
        Objects.requireNonNull(verify, "verify");
    }

    SslVerifyMode mode() {
        return verify == Verify.FULL ? SslVerifyMode.FULL : SslVerifyMode.CA;
    }

    /** Where trusted CAs come from, for messages. */
    String trustSource() {
        return caBundle == null ? "the JDK's trust store" : "the CA bundle " + caBundle;
    }

    /**
     * The client's TLS options. The CA bundle is read here, once, so a bad file fails the store's opening with one
     * message instead of failing every connection attempt later.
     */
    SslOptions sslOptions(RedisLocation location) {
        // The JDK's TLS, whose refusals ConnectFailure recognises; OpenSSL (netty-tcnative, were it on the class path)
        // words them differently.
        SslOptions.Builder options = SslOptions.builder().jdkSslProvider();
        if (caBundle != null) {
            options.trustManager(trustManagers(location));
        }
        return options.build();
    }

    private TrustManagerFactory trustManagers(RedisLocation location) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caBundle)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw badBundle(location, "does not exist");
        } catch (AccessDeniedException e) {
            throw badBundle(location, "cannot be read (permission denied)");
        } catch (IOException e) {
            throw badBundle(location, "cannot be read: " + e.getMessage());
        } catch (CertificateException e) {
            throw badBundle(location, "is not a PEM file of certificates (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw badBundle(location, "holds no certificates (expected PEM blocks -----BEGIN CERTIFICATE-----)");
        }
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw badBundle(location, "cannot be used: " + e.getMessage());
        }
    }

    private InvalidInputException badBundle(RedisLocation location, String problem) {
        return new InvalidInputException("store URL", "store URL '" + location + "' names CA bundle " + caBundle + " (ca=), which "
                + problem);
    }
}
