package dev.parley.privacy.internal;

import java.util.List;

/**
 * The catalogue of secret rules. Token formats follow the providers' published prefixes (and gitleaks' survey of
 * them); lengths are the documented ones where providers fix them and generous ranges where they do not.
 */
final class SecretRules {
    private static final double DISTINCTIVE = 1.0;

    private SecretRules() {
    }

    static List<SecretRule> all() {
        return List.of(
                new TokenRule("AWS access key id", List.of("AKIA", "ASIA", "ABIA", "ACCA"),
                        c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'), 16, 16, TokenRule.ANY, DISTINCTIVE),
                new TokenRule("AWS access key id (A3T)", List.of("A3T"),
                        c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'), 17, 17, TokenRule.ANY, DISTINCTIVE),
                new TokenRule("GitHub token", List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
                        TokenRule.alnum(), 36, 36, TokenRule.ANY, DISTINCTIVE),
                new TokenRule("GitHub fine-grained token", List.of("github_pat_"),
                        TokenRule.alnumOr("_"), 60, 255, TokenRule.ANY, DISTINCTIVE),
                new TokenRule("GitLab token", List.of("glpat-", "gldt-", "glptt-", "glrt-", "glft-", "glimt-", "glcbt-",
                        "glsoat-", "gloas-", "glagent-"), TokenRule.alnumOr("_-."), 20, 255, TokenRule.ANY, DISTINCTIVE),
                new TokenRule("OpenAI API key", List.of("sk-"), TokenRule.alnumOr("_-"), 20, 255,
                        SecretRules::looksLikeOpenAiKey, DISTINCTIVE),
                new TokenRule("Anthropic API key", List.of("sk-ant-"), TokenRule.alnumOr("_-"), 32, 255,
                        TokenRule.ANY, DISTINCTIVE),
                new TokenRule("Slack token", List.of("xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxo-", "xoxe-",
                        "xoxe.xoxp-", "xoxe.xoxb-", "xapp-"), TokenRule.alnumOr("-"), 10, 255, TokenRule.HAS_DIGIT,
                        DISTINCTIVE),
                new TokenRule("Stripe key", List.of("sk_live_", "sk_test_", "sk_prod_", "rk_live_", "rk_test_",
                        "rk_prod_", "whsec_"), TokenRule.alnum(), 10, 255, TokenRule.ANY, DISTINCTIVE),
                new TokenRule("Google API key", List.of("AIza"), TokenRule.alnumOr("_-"), 35, 35, TokenRule.ANY,
                        DISTINCTIVE),
                new TokenRule("Hugging Face token", List.of("hf_"), TokenRule.alnum(), 34, 34, TokenRule.ANY,
                        DISTINCTIVE),
                new TokenRule("npm token", List.of("npm_"), TokenRule.alnum(), 36, 36, TokenRule.ANY, DISTINCTIVE),
                // SendGrid: SG.<22>.<43>; the dot between the parts is checked by the shape test.
                new TokenRule("SendGrid API key", List.of("SG."), TokenRule.alnumOr("_-."), 66, 66,
                        SecretRules::looksLikeSendGridKey, DISTINCTIVE),
                // Twilio API key sid: SK + 32 lower-case hex digits.
                new TokenRule("Twilio API key", List.of("SK"), c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'), 32, 32,
                        TokenRule.HAS_DIGIT, DISTINCTIVE),
                new SlackWebhookRule(),
                new JwtRule(),
                new PemBlockRule(),
                new BearerTokenRule(),
                new AssignedSecretRule());
    }

    /**
     * OpenAI keys: legacy {@code sk-} + 48 characters containing {@code T3BlbkFJ}, or project / service-account /
     * admin keys ({@code sk-proj-…}); a short or digit-free {@code sk-something} is a word, not a key.
     */
    private static boolean looksLikeOpenAiKey(String body) {
        if (body.startsWith("ant-")) {
            return false;
        }
        boolean digit = TokenRule.HAS_DIGIT.test(body);
        return body.contains("T3BlbkFJ") || (body.length() >= 32 && digit);
    }

    /** {@code SG.} + 22 + {@code .} + 43: the body is two parts separated by one dot at a fixed place. */
    static boolean looksLikeSendGridKey(String body) {
        return body.length() == 66 && body.indexOf('.') == 22 && body.lastIndexOf('.') == 22;
    }
}
