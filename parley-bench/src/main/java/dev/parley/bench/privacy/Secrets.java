package dev.parley.bench.privacy;

import dev.parley.bench.privacy.TextBuilder.Value;
import dev.parley.privacy.EntityType;
import net.datafaker.Faker;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Secrets as they leak into chats, configuration and logs: providers' tokens in their published formats (AWS, GitHub,
 * GitLab, OpenAI, Anthropic, Slack, Stripe, Google, Hugging Face, npm, SendGrid, Twilio), JWTs, PEM private keys, bearer
 * tokens, and passwords or keys assigned to a name. Each comes with the text around it, because for an assigned value
 * the name is what makes it a secret; the span is the secret alone.
 */
final class Secrets {
    private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String URL_SAFE = ALNUM + "_-";
    private static final String BASE64 = ALNUM + "+/";
    private static final String HEX = "0123456789abcdef";

    /** Where a secret appears: the text around it differs. */
    enum Style { CHAT, CONFIG, LOG }

    /** A secret with the text before and after it. */
    record Embedded(String before, Value secret, String after) {
    }

    private final Random random;
    private final Faker faker;
    private final EntityValues values;

    Secrets(Random random, Faker faker, EntityValues values) {
        this.random = random;
        this.faker = faker;
        this.values = values;
    }

    Embedded next(Style style) {
        int pick = random.nextInt(100);
        if (pick < 52) {
            return token(style);
        }
        if (pick < 60) {
            return bearer(style);
        }
        if (pick < 66) {
            return around(style, value("JWT", jwt()), "session=", "X-Auth: ");
        }
        if (pick < 72) {
            return pem(style);
        }
        return assigned(style);
    }

    private Embedded token(Style style) {
        String[] kind = switch (random.nextInt(14)) {
            case 0 -> new String[] {"AWS access key id", "AKIA" + values.random(UPPER_DIGITS, 16), "AWS_ACCESS_KEY_ID"};
            case 1 -> new String[] {"GitHub token", "ghp_" + values.random(ALNUM, 36), "GITHUB_TOKEN"};
            case 2 -> new String[] {"GitHub fine-grained token", "github_pat_" + values.random(ALNUM, 22) + "_"
                    + values.random(ALNUM, 59), "GH_TOKEN"};
            case 3 -> new String[] {"GitLab token", "glpat-" + values.random(URL_SAFE, 20), "GITLAB_TOKEN"};
            case 4 -> new String[] {"OpenAI key", "sk-proj-" + values.random(URL_SAFE, 74) + "T3BlbkFJ" + values.random(URL_SAFE, 74),
                    "OPENAI_API_KEY"};
            case 5 -> new String[] {"Anthropic key", "sk-ant-api03-" + values.random(URL_SAFE, 93) + "AA", "ANTHROPIC_API_KEY"};
            case 6 -> new String[] {"Slack token", "xoxb-" + values.random("0123456789", 12) + "-" + values.random("0123456789", 13)
                    + "-" + values.random(ALNUM, 24), "SLACK_BOT_TOKEN"};
            case 7 -> new String[] {"Stripe key", (random.nextBoolean() ? "sk_live_" : "rk_live_") + values.random(ALNUM, 24 + random.nextInt(76)),
                    "STRIPE_SECRET_KEY"};
            case 8 -> new String[] {"Google API key", "AIza" + values.random(URL_SAFE, 35), "GOOGLE_API_KEY"};
            case 9 -> new String[] {"Hugging Face token", "hf_" + values.random(ALNUM, 34), "HF_TOKEN"};
            case 10 -> new String[] {"npm token", "npm_" + values.random(ALNUM, 36), "NPM_TOKEN"};
            case 11 -> new String[] {"Slack webhook", "https://hooks.slack.com/services/T" + values.random(UPPER_DIGITS, 8) + "/B"
                    + values.random(UPPER_DIGITS, 8) + "/" + values.random(ALNUM, 24), "SLACK_WEBHOOK_URL"};
            case 12 -> new String[] {"SendGrid key", "SG." + values.random(URL_SAFE, 22) + "." + values.random(URL_SAFE, 43),
                    "SENDGRID_API_KEY"};
            default -> new String[] {"Twilio key", "SK" + values.random(HEX, 32), "TWILIO_API_KEY"};
        };
        Value secret = value(kind[0], kind[1]);
        return switch (style) {
            case CONFIG -> switch (random.nextInt(4)) {
                case 0 -> new Embedded(kind[2] + "=", secret, "");
                case 1 -> new Embedded("export " + kind[2] + "=\"", secret, "\"");
                case 2 -> new Embedded("  " + kind[2].toLowerCase(Locale.ROOT) + ": ", secret, "");
                default -> new Embedded("  \"" + camel(kind[2]) + "\": \"", secret, "\",");
            };
            case LOG -> new Embedded("loaded credentials token=", secret, " from environment");
            case CHAT -> {
                String[] frames = {"here is my key: {} - can you check why it fails?", "I accidentally pasted {} into the channel, please rotate it",
                        "use {} for the staging account", "my token is {}", "does {} still work for you?", "it says unauthorized with {}"};
                String frame = frames[random.nextInt(frames.length)];
                yield new Embedded(frame.substring(0, frame.indexOf("{}")), secret, frame.substring(frame.indexOf("{}") + 2));
            }
        };
    }

    private Embedded bearer(Style style) {
        Value token = value("bearer token", values.random(URL_SAFE + ".", 32 + random.nextInt(33)));
        return switch (style) {
            case CONFIG -> new Embedded("curl -s -H \"Authorization: Bearer ", token, "\" https://api." + faker.internet().domainName()
                    + "/v2/orders");
            case LOG -> new Embedded("request headers: {Authorization: Bearer ", token, ", Accept: application/json}");
            case CHAT -> new Embedded("I'm sending Authorization: Bearer ", token, " and still get a 401.");
        };
    }

    private Embedded pem(Style style) {
        String type = List.of("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY").get(random.nextInt(4));
        StringBuilder block = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
        int lines = 3 + random.nextInt(5);
        for (int i = 0; i < lines; i++) {
            block.append(values.random(BASE64, i == lines - 1 ? 20 + random.nextInt(40) : 64)).append('\n');
        }
        block.append("-----END ").append(type).append("-----");
        Value secret = value("PEM private key", block.toString());
        return switch (style) {
            case CONFIG -> new Embedded("tls:\n  key: |\n", secret, "\n");
            case LOG -> new Embedded("DEBUG loaded key material:\n", secret, "\n");
            case CHAT -> new Embedded("this is the key on the box, is it the right one?\n", secret, "\n");
        };
    }

    private Embedded assigned(Style style) {
        boolean password = random.nextInt(3) > 0;
        String name = password ? List.of("password", "DB_PASSWORD", "db_password", "PGPASSWORD", "passwd", "adminPassword", "smtp_password")
                .get(random.nextInt(7)) : List.of("client_secret", "SECRET_KEY", "api_key", "apiKey", "auth_token", "aws_secret_access_key")
                .get(random.nextInt(6));
        String text = password ? faker.credentials().password(10, 20, true, false, true) + List.of("!", "#", "$", "%", "*", "7")
                .get(random.nextInt(6)) : values.random(name.startsWith("aws") ? BASE64 : ALNUM, 32 + random.nextInt(9));
        Value secret = value(password ? "assigned password" : "assigned key", text);
        return switch (style) {
            case CONFIG -> switch (random.nextInt(4)) {
                case 0 -> new Embedded(name + "=", secret, "");
                case 1 -> new Embedded(name + ": \"", secret, "\"");
                case 2 -> new Embedded("  \"" + name + "\": \"", secret, "\",");
                default -> new Embedded(name + " = ", secret, "");
            };
            case LOG -> new Embedded("config dump: " + name + "=", secret, " (masking disabled)");
            case CHAT -> password ? new Embedded("my password is ", secret, ", please reset it")
                    : new Embedded("the " + name + " is ", secret, " if you need it");
        };
    }

    private Embedded around(Style style, Value secret, String configName, String logName) {
        return switch (style) {
            case CONFIG -> new Embedded(configName, secret, "");
            case LOG -> new Embedded(logName, secret, "");
            case CHAT -> new Embedded("the token in the cookie is ", secret, ", is it expired?");
        };
    }

    private String jwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"" + List.of("HS256", "RS256", "ES256").get(random.nextInt(3)) + "\",\"typ\":\"JWT\"}";
        String payload = "{\"sub\":\"" + values.random("0123456789", 10) + "\",\"name\":\"" + faker.name().firstName()
                + "\",\"iat\":" + (1_700_000_000 + random.nextInt(50_000_000)) + "}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + values.random(URL_SAFE, 43);
    }

    private static Value value(String form, String text) {
        return new Value(EntityType.SECRET, text, form);
    }

    private static String camel(String envName) {
        StringBuilder out = new StringBuilder();
        for (String part : envName.toLowerCase(Locale.ROOT).split("_")) {
            out.append(out.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }
}
