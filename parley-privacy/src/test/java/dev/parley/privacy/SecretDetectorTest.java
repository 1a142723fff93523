package dev.parley.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token-shaped test values are assembled from parts so that this file does not itself look like it leaks secrets to
 * the scanners of code hosts.
 */
class SecretDetectorTest {
    private static final String ALNUM = "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY";
    private final Detector detector = Detectors.secrets();

    static String body(int length) {
        return ALNUM.repeat(length / ALNUM.length() + 1).substring(0, length);
    }

    static String jwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString("{\"sub\":\"1234567890\",\"name\":\"Ann\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + "." + body(43);
    }

    static String pem(String label) {
        return "-----BEGIN " + label + "-----\n" + body(64) + "\n" + body(64) + "\n" + body(20) + "==\n-----END " + label + "-----";
    }

    static Stream<Arguments> tokens() {
        return Stream.of(
                Arguments.of("AWS access key id", "AKIA" + "IOSFODNN7EXAMPLE"),
                Arguments.of("AWS temporary key id", "ASIA" + "Y34FZKBOKMUTVV7A"),
                Arguments.of("GitHub classic token", "ghp" + "_" + body(36)),
                Arguments.of("GitHub OAuth token", "gho" + "_" + body(36)),
                Arguments.of("GitHub fine-grained token", "github" + "_pat_" + body(22) + "_" + body(59)),
                Arguments.of("GitLab token", "glpat" + "-" + body(20)),
                Arguments.of("OpenAI project key", "sk-" + "proj-" + body(40) + "T3Blbk" + "FJ" + body(40)),
                Arguments.of("OpenAI legacy key", "sk-" + body(20) + "T3Blbk" + "FJ" + body(20)),
                Arguments.of("Anthropic key", "sk-" + "ant-api03-" + body(93) + "AA"),
                Arguments.of("Slack bot token", "xoxb" + "-1234567890123-1234567890123-" + body(24)),
                Arguments.of("Slack app token", "xapp" + "-1-A0123456789-1234567890123-" + body(32)),
                Arguments.of("Slack webhook", "https://hooks.slack.com/services/" + "T00000000/B00000000/" + body(24)),
                Arguments.of("Stripe secret key", "sk" + "_test_" + body(24)),
                Arguments.of("Stripe restricted key", "rk" + "_live_" + body(24)),
                Arguments.of("Google API key", "AIza" + body(35)),
                Arguments.of("SendGrid API key", "SG." + body(22) + "." + body(43)),
                Arguments.of("Twilio API key", "SK" + "0123456789abcdef0123456789abcdef"),
                Arguments.of("JWT", jwt()),
                Arguments.of("PEM private key", pem("PRIVATE KEY")),
                Arguments.of("PEM RSA private key", pem("RSA PRIVATE KEY")),
                Arguments.of("PEM OpenSSH private key", pem("OPENSSH PRIVATE KEY")),
                Arguments.of("PGP private key block", pem("PGP PRIVATE KEY BLOCK")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void findsProviderTokensWhole(String kind, String token) {
        String text = "config: " + token + " (do not share)";
        assertThat(Found.texts(detector, text, EntityType.SECRET)).as(kind).containsExactly(token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void findsTokensInQuotesAndAssignments(String kind, String token) {
        String text = "{\"key\": \"" + token + "\"}\nKEY=" + token;
        assertThat(Found.texts(detector, text, EntityType.SECRET)).as(kind).containsExactly(token, token);
    }

    @Test
    void findsAPrivateKeyInsideAJsonStringWithEscapedLineBreaks() {
        String key = pem("PRIVATE KEY").replace("\n", "\\n");
        String text = "{\"type\": \"service_account\", \"private_key\": \"" + key + "\\n\", \"client_email\": \"x\"}";
        assertThat(Found.texts(detector, text, EntityType.SECRET)).containsExactly(key);
    }

    @Test
    void findsAPrivateKeyWhoseEndLineWasCutOff() {
        String text = "-----BEGIN PRIVATE KEY-----\n" + body(64) + "\n" + body(30) + "\nthat is all I have";
        assertThat(Found.texts(detector, text, EntityType.SECRET))
                .containsExactly("-----BEGIN PRIVATE KEY-----\n" + body(64) + "\n" + body(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "password=hunter2|hunter2",
            "PASSWORD: hunter2|hunter2",
            "DB_PASSWORD=\"s3cr3t!x\"|s3cr3t!x",
            "spring.datasource.password = 'pa ss word'|pa ss word",
            "{\"api_key\": \"abcd1234efgh5678\"}|abcd1234efgh5678",
            "client_secret := x9f8e7d6c5b4|x9f8e7d6c5b4",
            "dbPassword=Tr0ub4dor|Tr0ub4dor",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "my password is Tr0ub4dor&3.|Tr0ub4dor&3",
            "Passwort: geheim123|geheim123",
            "Authorization: Bearer abcDEF123456ghiJKL789|abcDEF123456ghiJKL789",
            "curl -H 'authorization: bearer 0123456789abcdefXYZ.more-token'|0123456789abcdefXYZ.more-token",
    })
    void findsAssignedPasswordsAndKeysButNotTheirNames(String row) {
        String[] parts = row.split("\\|");
        assertThat(Found.texts(detector, parts[0], EntityType.SECRET)).containsExactly(parts[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ghp_short",
            "pip install sk-learn",
            "a risk-based approach and a task-force",
            "the password is incorrect",
            "password: ${DB_PASSWORD}",
            "password = <SECRET_1>",
            "password: ****",
            "password:",
            "token: null",
            "max_tokens=1024",
            "tokens = 12345678",
            "password_file=/run/secrets/db",
            "akiaiosfodnn7example",
            "AKIAIOSFODNN7EXAMPLEXYZ",
            "eyJub3QiOiJqc29uIGhlYWRlciJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
            "the bearer of bad news",
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
            "xoxb-not-a-token",
            "see hooks.slack.com/services/short",
    })
    void ignoresLookalikes(String text) {
        assertThat(Found.in(detector, text)).isEmpty();
    }

    @Test
    void findsSeveralSecretsInOneText() {
        String gh = "ghp" + "_" + body(36);
        String text = "export GITHUB_TOKEN=" + gh + "\nexport PGPASSWORD=hunter22\n";
        assertThat(Found.texts(detector, text, EntityType.SECRET)).containsExactly(gh, "hunter22");
    }

    @org.junit.jupiter.api.Test
    void aKeyNamedInProseIsFoundButProseAboutAKeyIsNot() {
        assertThat(Detectors.secrets().detect("The apiKey is 9f8e7d6c5b4a3f2e1d0c and it works."))
                .singleElement().satisfies(f -> assertThat(f.type()).isEqualTo(EntityType.SECRET));
        assertThat(Detectors.secrets().detect("the token is refreshed every hour")).isEmpty();
        assertThat(Detectors.secrets().detect("the client_secret is missing")).isEmpty();
    }
}
