package dev.parley.bench.privacy;

import dev.parley.bench.privacy.TextBuilder.Value;
import net.datafaker.Faker;
import net.datafaker.providers.base.Finance.CreditCardType;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Things that look like an entity and are not: order and invoice numbers, dates and times, version strings, random digit
 * runs, UUIDs, hashes, tracking numbers, prices, ISBNs, MAC addresses, coordinates, cards failing Luhn, IBANs with a bad
 * checksum, SSNs never issued, URLs without credentials and placeholders where a secret would go. Each has a kind, so
 * the report can say which kinds a detector mistakes for what. Each comes with a sentence frame that a person would
 * write it in ({@code {}} marks the value).
 */
final class HardNegatives {
    static final String HEX = "0123456789abcdef";

    /** A negative and a frame for it in prose. */
    record Framed(String frame, Value value) {
    }

    private final Random random;
    private final Faker faker;
    private final EntityValues values;

    HardNegatives(Random random, Faker faker, EntityValues values) {
        this.random = random;
        this.faker = faker;
        this.values = values;
    }

    Framed next() {
        return switch (random.nextInt(24)) {
            case 0 -> framed("ORDER_NUMBER", "#" + digits(6 + random.nextInt(6)), "Order {} has shipped.", "my order {} never arrived",
                    "Where is order {}?");
            case 1 -> framed("ORDER_NUMBER", digits(10), "order number {} (placed online)", "Order no. {} was cancelled.");
            case 2 -> framed("INVOICE", "INV-" + (2019 + random.nextInt(7)) + "-" + digits(6), "Invoice {} is overdue.",
                    "see invoice {} attached");
            case 3 -> framed("DATE", date(), "The meeting is on {}.", "due {}", "signed on {} in Berlin");
            case 4 -> framed("TIMESTAMP", timestamp(), "it failed at {}", "last login {}");
            case 5 -> framed("VERSION", version(), "we upgraded to {} last night", "Build {} is out.", "requires version {} or newer");
            case 6 -> framed("DIGITS", digits(4 + random.nextInt(17)), "The code is {}.", "reference {}", "use PIN {} at the door");
            case 7 -> framed("UUID", uuid(), "Request {} failed.", "correlation id {}");
            case 8 -> framed("HASH", values.random(HEX, List.of(7, 12, 32, 40, 64).get(random.nextInt(5))), "commit {} fixed it",
                    "checksum {}", "the image digest is sha256:{}");
            case 9 -> framed("TRACKING", random.nextBoolean() ? "1Z" + values.random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 16)
                    : digits(12), "Tracking number {} is in transit.", "track it with {}");
            case 10 -> framed("PRICE", price(), "It costs {} plus tax.", "refund of {} issued");
            case 11 -> framed("ISBN", "978-" + digits(1) + "-" + digits(4) + "-" + digits(4) + "-" + digits(1), "ISBN {}",
                    "the book (ISBN {}) is sold out");
            case 12 -> framed("MAC_ADDRESS", faker.internet().macAddress(), "device MAC {}", "the printer's MAC address is {}");
            case 13 -> framed("COORDINATES", String.format(Locale.ROOT, "%.4f, %.4f", -90 + 180 * random.nextDouble(),
                    -180 + 360 * random.nextDouble()), "meet at {}", "GPS: {}");
            case 14 -> framed("CARD_BAD_LUHN", badCard(), "Card {} was declined.", "test card {} rejected");
            case 15 -> framed("IBAN_BAD_CHECKSUM", badIban(), "IBAN {} bounced.", "the IBAN {} is wrong, please check it");
            case 16 -> framed("SSN_INVALID", faker.idNumber().invalid(), "SSN {} is not valid.", "the form shows {} which was never issued");
            case 17 -> framed("URL", "https://" + faker.internet().domainName() + "/" + faker.internet().slug() + "?page=" + random.nextInt(20),
                    "see {} for details", "docs: {}");
            case 18 -> framed("URL", List.of("postgres", "redis", "mysql").get(random.nextInt(3)) + "://" + faker.internet().domainWord()
                    + ".internal:" + (5000 + random.nextInt(5000)) + "/app", "connect to {} (credentials from the vault)");
            case 19 -> framed("PLACEHOLDER", List.of("${DB_PASSWORD}", "<your-api-key>", "********", "{{ secrets.TOKEN }}", "changeme",
                    "$OPENAI_API_KEY", "sk-...", "xxxx-xxxx").get(random.nextInt(8)), "password: {}", "api_key = {}", "set the token to {}");
            case 20 -> framed("VERSION_QUAD", random.nextInt(20) + "." + random.nextInt(10) + "." + random.nextInt(100) + "." + random.nextInt(10_000),
                    "Windows build {}", "firmware {} is installed");
            case 21 -> framed("PHONE_LIKE_ID", "#" + digits(10), "Ticket {} is closed.", "case {} was escalated");
            case 22 -> framed("DIGITS", digits(9), "account number {} at the gym", "member id {}");
            default -> framed("PERCENT", random.nextInt(100) + "." + random.nextInt(10) + "%", "conversion rose to {}",
                    "CPU at {} for an hour");
        };
    }

    private Framed framed(String kind, String text, String... frames) {
        return new Framed(frames[random.nextInt(frames.length)], new Value(kind, text, ""));
    }

    String digits(int count) {
        StringBuilder out = new StringBuilder();
        out.append((char) ('1' + random.nextInt(9)));
        while (out.length() < count) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }

    String date() {
        int y = 2000 + random.nextInt(30);
        int m = 1 + random.nextInt(12);
        int d = 1 + random.nextInt(28);
        return switch (random.nextInt(5)) {
            case 0 -> String.format(Locale.ROOT, "%d-%02d-%02d", y, m, d);
            case 1 -> String.format(Locale.ROOT, "%02d.%02d.%d", d, m, y);
            case 2 -> String.format(Locale.ROOT, "%02d/%02d/%d", m, d, y);
            case 3 -> String.format(Locale.ROOT, "%d/%d/%02d", m, d, y % 100);
            default -> String.format(Locale.ROOT, "%d %s %d", d, List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                    "Oct", "Nov", "Dec").get(m - 1), y);
        };
    }

    String timestamp() {
        return String.format(Locale.ROOT, "%d-%02d-%02dT%02d:%02d:%02d.%03dZ", 2020 + random.nextInt(6), 1 + random.nextInt(12),
                1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000));
    }

    String version() {
        return switch (random.nextInt(3)) {
            case 0 -> "v" + random.nextInt(10) + "." + random.nextInt(30) + "." + random.nextInt(30);
            case 1 -> random.nextInt(30) + "." + random.nextInt(30) + "." + random.nextInt(300);
            default -> random.nextInt(5) + "." + random.nextInt(20) + "." + random.nextInt(20) + "-rc." + random.nextInt(5);
        };
    }

    String uuid() {
        String hex = values.random(HEX, 32);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-4" + hex.substring(13, 16) + "-"
                + "89ab".charAt(random.nextInt(4)) + hex.substring(17, 20) + "-" + hex.substring(20);
    }

    private String price() {
        int whole = 1 + random.nextInt(99_999);
        int cents = random.nextInt(100);
        return random.nextBoolean() ? String.format(Locale.ROOT, "$%,d.%02d", whole, cents)
                : String.format(Locale.GERMANY, "%,d,%02d €", whole, cents);
    }

    /** A real card number with its check digit changed, grouped the usual way, so only Luhn tells it apart. */
    private String badCard() {
        String digits = faker.finance().creditCard(random.nextBoolean() ? CreditCardType.VISA : CreditCardType.MASTERCARD)
                .replaceAll("\\D", "");
        char last = digits.charAt(digits.length() - 1);
        String bad = digits.substring(0, digits.length() - 1) + (char) ('0' + (last - '0' + 1 + random.nextInt(9)) % 10);
        return random.nextBoolean() ? EntityValues.group(bad, new int[] {4, 4, 4, 4}, " ") : bad;
    }

    static int mod97(String iban) {
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        int remainder = 0;
        for (char c : rearranged.toCharArray()) {
            int value = Character.isDigit(c) ? c - '0' : Character.toUpperCase(c) - 'A' + 10;
            remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
        }
        return remainder;
    }

    /** A real IBAN with its check digits changed, so only mod-97 tells it apart. */
    private String badIban() {
        String iban = faker.finance().iban(List.of("DE", "GB", "FR", "NL", "ES").get(random.nextInt(5)));
        int check = Integer.parseInt(iban.substring(2, 4));
        String bad;
        do {
            // check digits 97 apart are equivalent, so a changed pair can still pass: draw until it fails
            check = (check + 1 + random.nextInt(90)) % 100;
            bad = iban.substring(0, 2) + String.format(Locale.ROOT, "%02d", check) + iban.substring(4);
        } while (mod97(bad) == 1);
        return random.nextBoolean() ? bad.replaceAll("(.{4})(?!$)", "$1 ") : bad;
    }
}
