package dev.parley.bench.privacy;

import dev.parley.bench.privacy.TextBuilder.Value;
import dev.parley.privacy.EntityType;
import net.datafaker.Faker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generates the labelled corpus from a seed: chat messages, e-mails, support tickets, configuration and code snippets,
 * and log excerpts, each mixing sensitive values ({@link EntityValues}, {@link Secrets}) with hard negatives
 * ({@link HardNegatives}) and plain prose. The same seed and sample count give the same corpus, byte for byte (with the
 * same Datafaker version). Entity types are drawn so that every type ends up with about as many spans as the others.
 */
final class CorpusGenerator {
    /** Names the generator in the corpus header: change it whenever a change here changes the output. */
    static final String VERSION = "parley-bench privacy corpus generator 1 (Datafaker 2.7.0, libphonenumber)";

    enum Type {
        EMAIL, PHONE, CREDIT_CARD, IBAN, US_SSN, IP_ADDRESS, SECRET, URL_CREDENTIALS
    }

    private final Random random;
    private final Faker faker;
    private final EntityValues values;
    private final Secrets secrets;
    private final HardNegatives negatives;
    private final Map<Type, Integer> drawn = new EnumMap<>(Type.class);

    CorpusGenerator(long seed) {
        this.random = new Random(seed);
        this.faker = new Faker(Locale.US, new Random(seed + 1));
        Map<String, Faker> byRegion = Map.of("US", faker, "GB", new Faker(Locale.UK, new Random(seed + 2)),
                "DE", new Faker(Locale.GERMANY, new Random(seed + 3)), "FR", new Faker(Locale.FRANCE, new Random(seed + 4)));
        this.values = new EntityValues(random, faker, byRegion);
        this.secrets = new Secrets(random, faker, values);
        this.negatives = new HardNegatives(random, faker, values);
        for (Type type : Type.values()) {
            drawn.put(type, 0);
        }
    }

    static Corpus generate(long seed, int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("a corpus needs at least one sample, got " + samples);
        }
        CorpusGenerator generator = new CorpusGenerator(seed);
        List<Corpus.Sample> out = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            out.add(generator.next());
        }
        return new Corpus(seed, VERSION, out);
    }

    Corpus.Sample next() {
        int pick = random.nextInt(100);
        if (pick < 36) {
            return chat();
        }
        if (pick < 50) {
            return email();
        }
        if (pick < 64) {
            return ticket();
        }
        if (pick < 80) {
            return config();
        }
        if (pick < 95) {
            return log();
        }
        return prose();
    }

    // ----------------------------------------------------------------------------------------------- chat

    private Corpus.Sample chat() {
        TextBuilder text = new TextBuilder();
        if (random.nextInt(3) == 0) {
            text.add(List.of("Hi, ", "Hello! ", "hey - ", "Good morning, ", "Quick question: ").get(random.nextInt(5)));
        }
        int sentences = 1 + random.nextInt(4);
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                text.add(" ");
            }
            int pick = random.nextInt(100);
            if (pick < 55) {
                entitySentence(text, Secrets.Style.CHAT);
            } else if (pick < 80) {
                negativeSentence(text);
            } else {
                text.add(filler());
            }
        }
        return text.build("chat");
    }

    private void entitySentence(TextBuilder text, Secrets.Style style) {
        Type type = nextType();
        if (type == Type.SECRET) {
            Secrets.Embedded secret = secrets.next(style);
            text.add(capitalise(secret.before())).entity(secret.secret()).add(secret.after());
            return;
        }
        String[] frames = switch (type) {
            case EMAIL -> new String[] {"You can email me at {}.", "my email is {}", "Please send the invoice to {} asap.",
                    "I changed my address to {} yesterday.", "Contact {} for access.", "(reply to {})", "Is {} the right address?",
                    "cc {} on the thread please", "My work email: {}"};
            case PHONE -> new String[] {"Call me at {}.", "my number is {}", "You can reach me on {} after 6pm.", "Tel: {}",
                    "text me at {} when you arrive", "Phone number: {}", "My mobile is {}, the office line is busy.",
                    "Please ring {} tomorrow."};
            case CREDIT_CARD -> new String[] {"My card number is {} exp 09/27.", "charge it to {} please", "card: {}",
                    "I used {} but it was declined.", "Can you refund to {}?"};
            case IBAN -> new String[] {"Please wire the deposit to {}.", "IBAN: {}", "my account is {} (current account)",
                    "Send the refund to IBAN {} please.", "The new bank details are {}."};
            case US_SSN -> new String[] {"My SSN is {}.", "social security number {}", "SSN: {}", "For the W-9 my ssn is {}.",
                    "her social security no. is {}"};
            case IP_ADDRESS -> new String[] {"The server at {} is down again.", "I'm connecting from {}.", "ssh into {} and restart it",
                    "please whitelist {} in the firewall", "my IP is {}", "ping {} times out"};
            case URL_CREDENTIALS -> new String[] {"connect with {} and run the migration", "the connection string is {}",
                    "clone {} and build it", "I set DATABASE_URL to {} but it fails"};
            case SECRET -> throw new IllegalStateException("secrets are embedded above");
        };
        text.fill(frames[random.nextInt(frames.length)], value(type), true);
    }

    private void negativeSentence(TextBuilder text) {
        HardNegatives.Framed negative = negatives.next();
        text.fill(capitalise(negative.frame()), negative.value(), false);
    }

    private String filler() {
        return List.of("Thanks a lot!", "I ordered the " + faker.commerce().productName() + " last week.",
                "We are based in " + faker.address().city() + ".", "Let me know if you need anything else.",
                faker.name().firstName() + " from " + faker.company().name() + " said it would be fixed by Friday.",
                "It worked fine until the update.", "Sorry for the long message.", "Can you look into it today?",
                "The app crashes when I open settings.", "I'll be out of office next week.").get(random.nextInt(10));
    }

    // ----------------------------------------------------------------------------------------------- e-mail

    private Corpus.Sample email() {
        TextBuilder text = new TextBuilder();
        String sender = faker.name().fullName();
        text.add("From: " + sender + " <").entity(typed(Type.EMAIL)).add(">\n");
        text.add("To: " + faker.name().fullName() + " <").entity(typed(Type.EMAIL)).add(">\n");
        if (random.nextBoolean()) {
            text.add("Cc: ").entity(typed(Type.EMAIL)).add("\n");
        }
        text.add("Date: ").negative(new Value("DATE", negatives.date(), "")).add("\n");
        text.add("Subject: " + List.of("Re: your order", "Invoice", "Account update", "Meeting notes", "Access request", "Fwd: details")
                .get(random.nextInt(6)) + "\n\n");
        text.add("Hi " + faker.name().firstName() + ",\n\n");
        int sentences = 1 + random.nextInt(3);
        for (int i = 0; i < sentences; i++) {
            if (random.nextInt(3) > 0) {
                entitySentence(text, Secrets.Style.CHAT);
            } else {
                negativeSentence(text);
            }
            text.add(i + 1 < sentences ? " " : "\n\n");
        }
        text.add(List.of("Best regards,", "Thanks,", "Kind regards,", "Cheers,").get(random.nextInt(4)) + "\n" + sender + "\n"
                + faker.company().name() + "\n");
        text.add(List.of("Tel: ", "Phone: ", "T: ", "Mobile: ", "Direct: ").get(random.nextInt(5))).entity(typed(Type.PHONE)).add("\n");
        if (random.nextInt(3) == 0) {
            text.add("Fax: ").entity(typed(Type.PHONE)).add("\n");
        }
        return text.build("email");
    }

    // ----------------------------------------------------------------------------------------------- ticket

    private Corpus.Sample ticket() {
        TextBuilder text = new TextBuilder();
        text.add("Ticket ").negative(new Value("ORDER_NUMBER", "#" + negatives.digits(5 + random.nextInt(3)), ""))
                .add(" | Priority: " + List.of("low", "normal", "high", "urgent").get(random.nextInt(4)) + " | Opened: ")
                .negative(new Value("DATE", negatives.date(), "")).add("\n");
        text.add("Customer: " + faker.name().fullName() + "\n");
        text.add("Email: ").entity(typed(Type.EMAIL)).add("\n");
        if (random.nextInt(4) > 0) {
            text.add("Phone: ").entity(typed(Type.PHONE)).add("\n");
        }
        List<Type> fields = new ArrayList<>(List.of(Type.CREDIT_CARD, Type.IBAN, Type.US_SSN, Type.IP_ADDRESS));
        Collections.shuffle(fields, random);
        for (Type field : fields.subList(0, random.nextInt(3))) {
            String label = switch (field) {
                case CREDIT_CARD -> List.of("Card: ", "Card number: ", "Payment card: ").get(random.nextInt(3));
                case IBAN -> List.of("IBAN: ", "Refund to IBAN: ", "Bank account: ").get(random.nextInt(3));
                case US_SSN -> List.of("SSN: ", "Social security number: ").get(random.nextInt(2));
                default -> List.of("IP: ", "Last login from: ", "Client IP: ").get(random.nextInt(3));
            };
            text.add(label).entity(typed(field)).add("\n");
        }
        if (random.nextBoolean()) {
            text.add("Order: ").negative(new Value("ORDER_NUMBER", negatives.digits(8 + random.nextInt(4)), "")).add("\n");
        }
        text.add("Description:\n");
        int sentences = 1 + random.nextInt(3);
        for (int i = 0; i < sentences; i++) {
            int pick = random.nextInt(3);
            if (pick == 0) {
                entitySentence(text, Secrets.Style.CHAT);
            } else if (pick == 1) {
                negativeSentence(text);
            } else {
                text.add(filler());
            }
            text.add(i + 1 < sentences ? " " : "\n");
        }
        return text.build("ticket");
    }

    // ----------------------------------------------------------------------------------------------- config and code

    private Corpus.Sample config() {
        TextBuilder text = new TextBuilder();
        text.add(List.of("# .env\n", "# config/production.yml\n", "// settings.json\n", "# deploy.sh\n", "").get(random.nextInt(5)));
        int lines = 3 + random.nextInt(6);
        for (int i = 0; i < lines; i++) {
            switch (random.nextInt(12)) {
                case 0, 1, 2 -> {
                    Secrets.Embedded secret = secrets.next(Secrets.Style.CONFIG);
                    text.add(secret.before()).entity(secret.secret()).add(secret.after());
                    nextType(Type.SECRET);
                }
                case 3 -> text.add(List.of("DATABASE_URL=", "  url: ", "spring.datasource.url=", "MONGO_URI=\"").get(random.nextInt(4)))
                        .entity(typed(Type.URL_CREDENTIALS));
                case 4 -> text.add(List.of("SUPPORT_EMAIL=", "  admin_email: ", "mail.from=").get(random.nextInt(3)))
                        .entity(typed(Type.EMAIL));
                case 5 -> text.add(List.of("BIND_ADDRESS=", "  host: ", "upstream_server=", "ALLOWED_IP=").get(random.nextInt(4)))
                        .entity(typed(Type.IP_ADDRESS));
                case 6 -> text.add("APP_VERSION=").negative(new Value("VERSION", negatives.version(), ""));
                case 7 -> text.add("BUILD_SHA=").negative(new Value("HASH", values.random(HardNegatives.HEX, 40), ""));
                case 8 -> text.add("INSTANCE_ID=").negative(new Value("UUID", negatives.uuid(), ""));
                case 9 -> text.add(List.of("DB_PASSWORD=", "password: ", "api_key = ").get(random.nextInt(3)))
                        .negative(new Value("PLACEHOLDER", List.of("${DB_PASSWORD}", "\"<your-api-key>\"", "changeme", "********",
                                "{{ vault.db_password }}").get(random.nextInt(5)), ""));
                case 10 -> text.add("PORT=" + (1024 + random.nextInt(60_000)) + "\nTIMEOUT_MS=" + (100 * (1 + random.nextInt(300))));
                default -> text.add("REDIS_URL=").negative(new Value("URL", "redis://cache-" + random.nextInt(5) + ".internal:6379/"
                        + random.nextInt(16), ""));
            }
            text.add("\n");
        }
        return text.build("config");
    }

    // ----------------------------------------------------------------------------------------------- logs

    private Corpus.Sample log() {
        TextBuilder text = new TextBuilder();
        int lines = 2 + random.nextInt(5);
        for (int i = 0; i < lines; i++) {
            text.negative(new Value("TIMESTAMP", negatives.timestamp(), ""))
                    .add(" " + List.of("INFO ", "WARN ", "ERROR", "DEBUG").get(random.nextInt(4)) + " [" + List.of("main", "http-nio-8080-exec-"
                            + random.nextInt(20), "worker-" + random.nextInt(8)).get(random.nextInt(3)) + "] ");
            switch (random.nextInt(10)) {
                case 0, 1 -> text.add("login ok user=").entity(typed(Type.EMAIL)).add(" ip=").entity(typed(Type.IP_ADDRESS));
                case 2 -> text.add("GET /api/v1/orders/").negative(new Value("ORDER_NUMBER", negatives.digits(7), ""))
                        .add(" 200 " + random.nextInt(900) + "ms client=").entity(typed(Type.IP_ADDRESS));
                case 3 -> text.add("sending SMS verification to ").entity(typed(Type.PHONE));
                case 4 -> text.add("payment declined card=").entity(typed(Type.CREDIT_CARD)).add(" reason=insufficient_funds");
                case 5 -> text.add("user ").entity(typed(Type.EMAIL)).add(" updated payout IBAN to ").entity(typed(Type.IBAN));
                case 6 -> {
                    Secrets.Embedded secret = secrets.next(Secrets.Style.LOG);
                    text.add(secret.before()).entity(secret.secret()).add(secret.after());
                    nextType(Type.SECRET);
                }
                case 7 -> text.add("connecting to ").entity(typed(Type.URL_CREDENTIALS)).add(" (attempt " + (1 + random.nextInt(3)) + ")");
                case 8 -> text.add("request_id=").negative(new Value("UUID", negatives.uuid(), "")).add(" trace=")
                        .negative(new Value("HASH", values.random(HardNegatives.HEX, 32), "")).add(" latency=" + random.nextInt(3000) + "ms");
                default -> text.add("KYC check for ssn=").entity(typed(Type.US_SSN)).add(" result=" + (random.nextBoolean() ? "pass" : "review"));
            }
            text.add("\n");
        }
        return text.build("log");
    }

    // ----------------------------------------------------------------------------------------------- prose

    private Corpus.Sample prose() {
        TextBuilder text = new TextBuilder();
        int sentences = 2 + random.nextInt(4);
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                text.add(" ");
            }
            if (random.nextBoolean()) {
                negativeSentence(text);
            } else {
                text.add(filler());
            }
        }
        return text.build("prose");
    }

    // ----------------------------------------------------------------------------------------------- types

    /** Mostly the type drawn least so far, else any: every type gets about as many spans, in an unpredictable order. */
    private Type nextType() {
        Type type;
        if (random.nextBoolean()) {
            type = drawn.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        } else {
            type = Type.values()[random.nextInt(Type.values().length)];
        }
        return nextType(type);
    }

    private Type nextType(Type type) {
        drawn.merge(type, 1, Integer::sum);
        return type;
    }

    private Value typed(Type type) {
        nextType(type);
        return value(type);
    }

    private Value value(Type type) {
        return switch (type) {
            case EMAIL -> values.email();
            case PHONE -> values.phone();
            case CREDIT_CARD -> values.card();
            case IBAN -> values.iban();
            case US_SSN -> values.ssn();
            case IP_ADDRESS -> values.ip();
            case URL_CREDENTIALS -> values.urlWithCredentials();
            case SECRET -> throw new IllegalStateException("a secret needs its surroundings: use Secrets");
        };
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The entity type names of the corpus, as {@link EntityType} spells them. */
    static List<String> types() {
        return List.of(EntityType.EMAIL, EntityType.PHONE, EntityType.CREDIT_CARD, EntityType.IBAN, EntityType.US_SSN,
                EntityType.IP_ADDRESS, EntityType.SECRET, EntityType.URL_CREDENTIALS);
    }
}
