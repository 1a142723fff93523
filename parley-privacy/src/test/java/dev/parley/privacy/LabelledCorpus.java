package dev.parley.privacy;

import net.datafaker.Faker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Sentences with known entities, built from templates filled with seeded Datafaker values, plus hard negatives that
 * look like entities and are not (order numbers, dates, versions, UUIDs, hashes, random digit runs, cards failing
 * Luhn, IBANs with a bad checksum, SSNs never issued). The spans are known by construction.
 */
final class LabelledCorpus {
    record Span(String type, int start, int end) {
    }

    record Sample(String text, List<Span> gold) {
    }

    private final Random random;
    private final Faker us;
    private final List<Faker> phoneLocales;

    LabelledCorpus(long seed) {
        this.random = new Random(seed);
        this.us = new Faker(Locale.US, new Random(seed));
        this.phoneLocales = List.of(us, new Faker(Locale.UK, new Random(seed + 1)),
                new Faker(Locale.GERMANY, new Random(seed + 2)), new Faker(Locale.FRANCE, new Random(seed + 3)));
    }

    List<Sample> samples(int perType, int negatives) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < perType; i++) {
            samples.add(entity(EntityType.EMAIL, this::email, "Please email %s about the invoice.", "Contact: %s",
                    "cc <%s> and me", "Reach me at %s or not at all", "FROM: %s"));
            samples.add(entity(EntityType.PHONE, this::phone, "Call me at %s.", "My number is %s", "Phone: %s",
                    "You can reach the office on %s tomorrow", "Tel. %s (ask for Sam)", "ring %s after six"));
            samples.add(entity(EntityType.CREDIT_CARD, this::card, "Card number: %s", "please charge %s today",
                    "I paid with %s yesterday", "card %s exp 12/29"));
            samples.add(entity(EntityType.IBAN, this::iban, "IBAN: %s", "transfer the money to %s today",
                    "account %s (savings)"));
            samples.add(entity(EntityType.US_SSN, () -> us.idNumber().ssnValid(), "SSN %s", "my social security number is %s",
                    "%s is the number on file", "employee ssn: %s."));
            samples.add(entity(EntityType.IP_ADDRESS, this::ip, "server %s is down", "login from %s at noon",
                    "ping %s", "allow %s in the firewall"));
            samples.add(entity(EntityType.SECRET, this::secret, "my key is %s", "export TOKEN=%s", "use \"%s\" for the API",
                    "%s"));
            samples.add(assignedPassword());
            samples.add(entity(EntityType.URL_CREDENTIALS, this::urlWithCredentials, "connect to %s please",
                    "DATABASE_URL=%s", "clone %s and build"));
        }
        for (int i = 0; i < negatives; i++) {
            samples.add(new Sample(negative(), List.of()));
        }
        return samples;
    }

    private Sample entity(String type, Supplier<String> value, String... templates) {
        String template = templates[random.nextInt(templates.length)];
        String v = value.get();
        int at = template.indexOf("%s");
        String text = template.replace("%s", v);
        return new Sample(text, List.of(new Span(type, at, at + v.length())));
    }

    private Sample assignedPassword() {
        String password = us.credentials().password(8, 16, true, true, true);
        String[] templates = {"password=%s", "DB_PASSWORD: \"%s\"", "my password is %s", "{\"password\": \"%s\"}"};
        String template = templates[random.nextInt(templates.length)];
        if (template.startsWith("my password is") && password.chars().allMatch(Character::isLetter)) {
            password = password + "7";
        }
        int at = template.indexOf("%s");
        return new Sample(template.replace("%s", password), List.of(new Span(EntityType.SECRET, at, at + password.length())));
    }

    private String email() {
        String email = random.nextBoolean() ? us.internet().emailAddress() : us.internet().safeEmailAddress();
        return random.nextInt(5) == 0 ? email.toUpperCase(Locale.ROOT) : email;
    }

    private String phone() {
        Faker faker = phoneLocales.get(random.nextInt(phoneLocales.size()));
        return switch (random.nextInt(3)) {
            case 0 -> faker.phoneNumber().phoneNumber();
            case 1 -> faker.phoneNumber().cellPhone();
            default -> faker.phoneNumber().phoneNumberInternational();
        };
    }

    private String card() {
        String card = us.finance().creditCard();
        return switch (random.nextInt(3)) {
            case 0 -> card.replace('-', ' ');
            case 1 -> card.replace("-", "");
            default -> card;
        };
    }

    private String iban() {
        String iban = us.finance().iban();
        if (random.nextBoolean()) {
            iban = iban.replaceAll("(.{4})(?!$)", "$1 ");
        }
        return random.nextInt(5) == 0 ? iban.toLowerCase(Locale.ROOT) : iban;
    }

    private String ip() {
        return random.nextInt(3) == 0 ? us.internet().ipV6Address() : us.internet().ipV4Address();
    }

    private String secret() {
        return switch (random.nextInt(10)) {
            case 0 -> us.regexify("AKIA[A-Z2-7]{16}");
            case 1 -> us.regexify("gh[pousr]_[A-Za-z0-9]{36}");
            case 2 -> us.regexify("glpat-[A-Za-z0-9_-]{20}");
            case 3 -> us.regexify("sk-proj-[A-Za-z0-9_-]{40}T3BlbkFJ[A-Za-z0-9_-]{40}");
            case 4 -> us.regexify("sk-ant-api03-[A-Za-z0-9_-]{93}AA");
            case 5 -> us.regexify("xox[bp]-[0-9]{12}-[0-9]{12}-[A-Za-z0-9]{24}");
            case 6 -> us.regexify("sk_(test|live)_[A-Za-z0-9]{24}");
            case 7 -> "https://hooks.slack.com/services/" + us.regexify("T[A-Z0-9]{8}/B[A-Z0-9]{8}/[A-Za-z0-9]{24}");
            case 8 -> jwt();
            default -> "-----BEGIN RSA PRIVATE KEY-----\n" + us.regexify("[A-Za-z0-9+/]{64}") + "\n"
                    + us.regexify("[A-Za-z0-9+/]{40}") + "==\n-----END RSA PRIVATE KEY-----";
        };
    }

    private String jwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        String payload = "{\"sub\":\"" + us.number().digits(10) + "\",\"name\":\"" + us.name().firstName() + "\"}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + us.regexify("[A-Za-z0-9_-]{43}");
    }

    private String urlWithCredentials() {
        String scheme = List.of("postgres", "mysql", "https", "redis", "amqp").get(random.nextInt(5));
        return scheme + "://" + us.credentials().username() + ":" + us.regexify("[A-Za-z0-9]{12}") + "@"
                + us.internet().domainName() + ":" + (1024 + random.nextInt(60000)) + "/" + us.lorem().word();
    }

    private String negative() {
        return switch (random.nextInt(16)) {
            case 0 -> "Order #" + us.number().digits(6 + random.nextInt(6)) + " has shipped.";
            case 1 -> "Invoice INV-" + us.number().digits(8) + " is due on " + date() + ".";
            case 2 -> "The meeting is on " + date() + " at " + random.nextInt(24) + ":" + String.format("%02d", random.nextInt(60)) + ".";
            case 3 -> "Upgrade to version " + random.nextInt(20) + "." + random.nextInt(20) + "." + random.nextInt(100) + " tonight.";
            case 4 -> "Request " + UUID.nameUUIDFromBytes(us.number().digits(12).getBytes(StandardCharsets.UTF_8)) + " failed.";
            case 5 -> "commit " + HexFormat.of().formatHex(us.random().nextRandomBytes(20)) + " fixed it";
            case 6 -> "The code is " + us.number().digits(4 + random.nextInt(17)) + ".";
            case 7 -> "Card " + badLuhn(us.finance().creditCard().replace("-", "")) + " was declined.";
            case 8 -> "IBAN " + badChecksum(us.finance().iban()) + " bounced.";
            case 9 -> "SSN " + us.idNumber().invalid() + " is not valid.";
            case 10 -> "It costs $" + us.number().numberBetween(1, 99_999) + "." + us.number().digits(2) + " plus tax.";
            case 11 -> "ISBN 978-" + us.number().digits(1) + "-" + us.number().digits(4) + "-" + us.number().digits(4) + "-" + us.number().digits(1);
            case 12 -> "Tracking number " + us.number().digits(12) + " is in transit.";
            case 13 -> "Build " + random.nextInt(10) + "." + random.nextInt(10) + "." + random.nextInt(10) + "." + random.nextInt(9999) + " is out.";
            case 14 -> "Population grew by " + us.number().numberBetween(1_000, 9_999_999) + " people (" + random.nextInt(100) + "%).";
            default -> us.lorem().sentence(12);
        };
    }

    private String date() {
        int y = 2000 + random.nextInt(30);
        int m = 1 + random.nextInt(12);
        int d = 1 + random.nextInt(28);
        return switch (random.nextInt(4)) {
            case 0 -> String.format("%d-%02d-%02d", y, m, d);
            case 1 -> String.format("%02d.%02d.%d", d, m, y);
            case 2 -> String.format("%02d/%02d/%d", m, d, y);
            default -> String.format("%d/%d/%02d", m, d, y % 100);
        };
    }

    /** The card number with its check digit changed, so Luhn fails. */
    private static String badLuhn(String card) {
        char last = card.charAt(card.length() - 1);
        return card.substring(0, card.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    }

    /** The IBAN with its check digits changed, so mod-97 fails. */
    private static String badChecksum(String iban) {
        int check = Integer.parseInt(iban.substring(2, 4));
        return iban.substring(0, 2) + String.format("%02d", (check + 1) % 100) + iban.substring(4);
    }
}
