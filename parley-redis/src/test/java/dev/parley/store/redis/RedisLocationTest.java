package dev.parley.store.redis;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisLocationTest {

    @Test
    void aSingleServerUrlNamesHostPortDatabaseAndPrefix() {
        RedisLocation location = RedisLocation.parse("redis://cache.internal:6380/3?prefix=prod.parley");
        assertThat(location).isEqualTo(new RedisLocation(false, List.of(new RedisLocation.Node("cache.internal", 6380)), 3,
                null, null, "prod.parley"));
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                                        | store URL is empty",
            "rediss://h:6379                           | does not start with redis:// or redis-cluster://",
            "postgres://u@h/db                         | does not start with redis:// or redis-cluster://",
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
            "redis://h?db=2                            | unknown parameter 'db' (the only one is prefix)",
            "redis://h?prefix=a&prefix=b               | names the prefix twice",
            "redis://h?prefix=has{brace}               | key prefix must be 1-64 characters",
            "redis://h?prefix=                         | key prefix must be 1-64 characters",
            "redis://[::1                              | malformed IPv6 host",
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
    }
}
