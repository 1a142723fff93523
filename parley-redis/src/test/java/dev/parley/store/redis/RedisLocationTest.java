package dev.parley.store.redis;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisLocationTest {

    @Test
    void aSingleServerUrlNamesHostPortDatabaseAndPrefix() {
        RedisLocation location = RedisLocation.parse("redis://cache.internal:6380/3?prefix=prod.parley");
        assertThat(location).isEqualTo(new RedisLocation(false, List.of(new RedisLocation.Node("cache.internal", 6380)), 3,
                null, null, "prod.parley", null));
    }

    @Test
    void portDatabaseAndPrefixHaveDefaults() {
        RedisLocation location = RedisLocation.parse("redis://127.0.0.1");
        assertThat(location.nodes()).containsExactly(new RedisLocation.Node("127.0.0.1", 6379));
        assertThat(location.database()).isZero();
        assertThat(location.prefix()).isEqualTo("parley");
        assertThat(location.cluster()).isFalse();
    }

    @Test
    void aClusterUrlNamesSeveralNodes() {
        RedisLocation location = RedisLocation.parse("redis-cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002");
        assertThat(location.cluster()).isTrue();
        assertThat(location.nodes()).containsExactly(new RedisLocation.Node("10.0.0.1", 7000),
                new RedisLocation.Node("10.0.0.2", 7001), new RedisLocation.Node("::1", 7002));
        assertThat(location.toString()).isEqualTo("redis-cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002?prefix=parley");
    }

    @Test
    void aPasswordAndAnAclUserAreReadButThePasswordIsNeverShown() {
        RedisLocation withUser = RedisLocation.parse("redis://parley:s3cr%40t@db:6379/1");
        assertThat(withUser.user()).isEqualTo("parley");
        assertThat(withUser.password()).isEqualTo("s3cr@t");
        assertThat(withUser.toString()).isEqualTo("redis://parley@db:6379/1?prefix=parley").doesNotContain("s3cr");

        RedisLocation passwordOnly = RedisLocation.parse("redis://:hunter2@db");
        assertThat(passwordOnly.user()).isNull();
        assertThat(passwordOnly.password()).isEqualTo("hunter2");
        assertThat(passwordOnly.toString()).doesNotContain("hunter2");
    }

    @Test
    void redissIsOneServerOverTlsCheckingCertificateAndHostNameByDefault() {
        RedisLocation location = RedisLocation.parse("rediss://default:s3cret@cache.example.com:6380/2?prefix=prod");
        assertThat(location).isEqualTo(new RedisLocation(false, List.of(new RedisLocation.Node("cache.example.com", 6380)), 2,
                "default", "s3cret", "prod", new Tls(null, Tls.Verify.FULL)));
        assertThat(location.toString()).isEqualTo("rediss://default@cache.example.com:6380/2?prefix=prod");
        assertThat(RedisLocation.parse("rediss://cache.example.com").nodes())
                .containsExactly(new RedisLocation.Node("cache.example.com", 6379));
    }

    @Test
    void caNamesAPemBundleToTrustAndIsShownWithTheLocation() {
        RedisLocation location = RedisLocation.parse("rediss://:pw@10.0.0.5:6380?ca=/etc/parley/redis%20ca.pem&prefix=p");
        assertThat(location.tls()).isEqualTo(new Tls(Path.of("/etc/parley/redis ca.pem"), Tls.Verify.FULL));
        assertThat(location.toString()).isEqualTo("rediss://10.0.0.5:6380/0?prefix=p&ca=/etc/parley/redis ca.pem")
                .doesNotContain("pw");
        assertThat(RedisLocation.parse("rediss://h?ca=certs/ca.pem").tls().caBundle()).isEqualTo(Path.of("certs/ca.pem"));
    }

    @Test
    void verifyCaDropsOnlyTheHostNameCheckAndVerifyFullIsTheDefaultSpelledOut() {
        RedisLocation lenient = RedisLocation.parse("rediss-cluster://a:7000,b:7000?verify=ca&ca=/ca.pem");
        assertThat(lenient.tls()).isEqualTo(new Tls(Path.of("/ca.pem"), Tls.Verify.CA));
        assertThat(lenient.toString()).isEqualTo("rediss-cluster://a:7000,b:7000?prefix=parley&ca=/ca.pem&verify=ca");
        assertThat(RedisLocation.parse("rediss://h?verify=full").tls()).isEqualTo(new Tls(null, Tls.Verify.FULL));
    }

    @Test
    void redissClusterIsAClusterOverTls() {
        RedisLocation location = RedisLocation.parse("rediss-cluster://:pw@node1.cache.example.com:6379,[::1]:7001?prefix=x");
        assertThat(location.cluster()).isTrue();
        assertThat(location.tls()).isEqualTo(new Tls(null, Tls.Verify.FULL));
        assertThat(location.password()).isEqualTo("pw");
        assertThat(location.nodes()).containsExactly(new RedisLocation.Node("node1.cache.example.com", 6379),
                new RedisLocation.Node("::1", 7001));
        assertThat(location.toString()).isEqualTo("rediss-cluster://node1.cache.example.com:6379,[::1]:7001?prefix=x");
    }

    @Test
    void theSchemeIsReadWhateverItsCaseAndShownInLowerCase() {
        assertThat(RedisLocation.parse("REDISS://h:1").toString()).isEqualTo("rediss://h:1/0?prefix=parley");
        assertThat(RedisLocation.parse("Redis-Cluster://h:1").toString()).isEqualTo("redis-cluster://h:1?prefix=parley");
    }

    @Test
    void plainUrlsHaveNoTls() {
        assertThat(RedisLocation.parse("redis://h").tls()).isNull();
        assertThat(RedisLocation.parse("redis-cluster://h:1").tls()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                                        | store URL is empty",
            "redis+tls://h:6379                        | does not start with redis://, rediss://, redis-cluster:// or rediss-cluster://",
            "postgres://u@h/db                         | does not start with redis://, rediss://, redis-cluster:// or rediss-cluster://",
            "rediss-sentinel://h:26379                 | does not start with redis://, rediss://, redis-cluster:// or rediss-cluster://",
            "redis://                                  | names no host",
            "redis://h:0                               | not between 1 and 65535",
            "redis://h:99999                           | not between 1 and 65535",
            "redis://h:port                            | malformed host or port",
            "redis://h:6379/x                          | only a database number may follow the host",
            "redis://h:6379/1/2                        | only a database number may follow the host",
            "redis://a:1,b:2                           | use redis-cluster:// for a Redis Cluster",
            "redis-cluster://a:1,,b:2                  | names no host",
            "redis-cluster://a:1/2                     | a Redis Cluster has only database 0",
            "redis://user@h                            | user info without a password",
            "redis://h?db=2                            | unknown parameter 'db' (known: prefix; with rediss:// also ca and verify)",
            "rediss://h?sslmode=require                | unknown parameter 'sslmode'",
            "redis://h?prefix=a&prefix=b               | names the parameter prefix twice",
            "rediss://h?ca=/a.pem&ca=/b.pem            | names the parameter ca twice",
            "rediss://h?verify=ca&verify=full          | names the parameter verify twice",
            "redis://h?ca=/etc/ca.pem                  | has ca=, which only TLS uses; write rediss:// or rediss-cluster:// for TLS",
            "redis://h?verify=full                     | has verify=, which only TLS uses",
            "redis-cluster://h:1?ca=/etc/ca.pem        | has ca=, which only TLS uses",
            "redis-cluster://h:1?tls=true              | has parameter 'tls'; TLS is chosen by the scheme: write rediss:// or rediss-cluster://",
            "redis://h?ssl=true                        | has parameter 'ssl'; TLS is chosen by the scheme",
            "rediss://h?ca=                            | has an empty ca= (name a PEM file of CA certificates)",
            "rediss://h?ca                             | has an empty ca=",
            "rediss://h?verify=none                    | has verify=none, which Parley does not offer: to trust a server whose certificate no CA signed, name that certificate in ca=FILE.pem",
            "rediss://h?verify=                        | has verify=; the choices are full (the default: the certificate must name the host) and ca (any host name)",
            "rediss://h?verify=FULL                    | has verify=FULL; the choices are full",
            "rediss://h?verify=yes                     | has verify=yes; the choices are full",
            "rediss://a:1,b:2                          | names several hosts; use rediss-cluster:// for a Redis Cluster",
            "rediss-cluster://a:1/3                    | a Redis Cluster has only database 0",
            "rediss://                                 | names no host",
            "rediss://user@h                           | user info without a password",
            "rediss://h:70000                          | not between 1 and 65535",
            "rediss://h?prefix=has{brace}              | key prefix must be 1-64 characters",
            "rediss://h?ca=%zz                         | bad percent-encoding",
            "redis://h?prefix=has{brace}               | key prefix must be 1-64 characters",
            "redis://h?prefix=                         | key prefix must be 1-64 characters",
            "redis://[::1                              | malformed IPv6 host",
            "redis://[not-an-address]:6379             | malformed IPv6 host",
            "redis://ho st:6379                        | malformed host or port",
    })
    void aBadUrlIsRefusedNamingWhatIsWrong(String url, String problem) {
        assertThatThrownBy(() -> RedisLocation.parse(url)).isInstanceOf(InvalidInputException.class).hasMessageContaining(problem);
    }

    @Test
    void errorsShowTheUrlWithoutItsPassword() {
        assertThatThrownBy(() -> RedisLocation.parse("redis://parley:hunter2@db:6379/x"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'redis://parley:***@db:6379/x'")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> RedisLocation.parse("rediss-cluster://:hunter2@a:1,b:2?verify=none"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'rediss-cluster://:***@a:1,b:2?verify=none'")
                .hasMessageNotContaining("hunter2");
    }

    /** Found by RedisLocationFuzzTest: a password with an unencoded '/', '?' or '@' was cut into the host, path or query. */
    @ParameterizedTest
    @ValueSource(strings = {"redis://alice:hun?ter2@db:6379", "redis://alice:hun/ter2@db:6379", "redis://:hunt@er2@db/x",
            "rediss://:hun?ter2=1@db", "redis://alice:hun/ter2%zz@db"})
    void aPasswordTheParserCutsIntoPiecesIsNeverShown(String url) {
        assertThatThrownBy(() -> RedisLocation.parse(url)).isInstanceOf(InvalidInputException.class)
                .hasMessageNotContaining("hun").hasMessageNotContaining("ter2");
    }
}
