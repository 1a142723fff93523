package dev.parley.bench.privacy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.parley.bench.privacy.TextBuilder.Value;
import dev.parley.privacy.EntityType;
import net.datafaker.Faker;
import net.datafaker.providers.base.Finance.CreditCardType;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Sensitive values in the many ways people write them, each with its form (so a report can say which forms a detector
 * misses): e-mail addresses in upper, lower and mixed case, with tags and subdomains; phone numbers of the US, the UK,
 * Germany and France in national, international, E.164 and locally usual forms; payment cards with spaces, dashes or
 * none; IBANs of many countries, grouped or not; SSNs; IPv4 and IPv6 addresses in every notation; URLs with credentials.
 * Secrets live in {@link Secrets}. Values come from Datafaker, seeded; phone numbers are kept only when libphonenumber
 * says they are valid for their region (real people's numbers are in assigned ranges).
 */
final class EntityValues {
    private static final List<String> PHONE_REGIONS = List.of("US", "GB", "DE", "FR");
    private static final List<String> IBAN_COUNTRIES = List.of("DE", "GB", "FR", "NL", "ES", "IT", "BE", "CH", "AT", "PL", "IE", "PT",
            "SE", "DK", "NO", "FI", "LU", "CZ", "GR", "HR");
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Random random;
    private final Faker us;
    private final Map<String, Faker> byRegion;
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

    EntityValues(Random random, Faker us, Map<String, Faker> byRegion) {
        this.random = random;
        this.us = us;
        this.byRegion = byRegion;
    }

    Value email() {
        String address = random.nextBoolean() ? us.internet().emailAddress() : us.internet().safeEmailAddress();
        String local = address.substring(0, address.indexOf('@'));
        String domain = address.substring(address.indexOf('@') + 1);
        int pick = random.nextInt(100);
        if (pick < 35) {
            return new Value(EntityType.EMAIL, address, "lower");
        }
        if (pick < 50) {
            return new Value(EntityType.EMAIL, address.toUpperCase(Locale.ROOT), "upper");
        }
        if (pick < 62) {
            return new Value(EntityType.EMAIL, capitalise(local) + "@" + capitalise(domain), "capitalised");
        }
        if (pick < 76) {
            String tag = List.of("invoices", "news", "shop", "work", "2024", "spam", "github").get(random.nextInt(7));
            return new Value(EntityType.EMAIL, local + "+" + tag + "@" + domain, "plus tag");
        }
        if (pick < 89) {
            String sub = List.of("mail", "eu", "corp", "support", "mx1").get(random.nextInt(5));
            String tld = List.of(".co.uk", ".de", ".fr", ".com.au", ".io", ".org").get(random.nextInt(6));
            String base = domain.substring(0, domain.indexOf('.'));
            return new Value(EntityType.EMAIL, local + "@" + sub + "." + base + tld, "subdomain");
        }
        String name = local.replace('.', '_') + random.nextInt(100);
        return new Value(EntityType.EMAIL, name + "@" + domain, "underscore digits");
    }

    private static String capitalise(String dotted) {
        StringBuilder out = new StringBuilder();
        for (String part : dotted.split("\\.", -1)) {
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(part.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }

    Value phone() {
        String region = PHONE_REGIONS.get(random.nextInt(PHONE_REGIONS.size()));
        Phonenumber.PhoneNumber number = validNumber(region);
        String national = phones.format(number, PhoneNumberUtil.PhoneNumberFormat.NATIONAL);
        String international = phones.format(number, PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
        String e164 = phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        String nsn = phones.getNationalSignificantNumber(number);
        String afterCode = international.substring(international.indexOf(' ') + 1);
        List<String[]> forms = switch (region) {
            case "US" -> List.of(new String[] {"national", national}, new String[] {"international", international},
                    new String[] {"E.164", e164}, new String[] {"dashes", nsn.substring(0, 3) + "-" + nsn.substring(3, 6) + "-" + nsn.substring(6)},
                    new String[] {"dots", nsn.substring(0, 3) + "." + nsn.substring(3, 6) + "." + nsn.substring(6)},
                    new String[] {"+1 (area)", "+1 " + national},
                    new String[] {"1-area", "1-" + nsn.substring(0, 3) + "-" + nsn.substring(3, 6) + "-" + nsn.substring(6)},
                    new String[] {"spaces", nsn.substring(0, 3) + " " + nsn.substring(3, 6) + " " + nsn.substring(6)},
                    new String[] {"(area)no space", "(" + nsn.substring(0, 3) + ")" + nsn.substring(3, 6) + "-" + nsn.substring(6)});
            case "GB" -> List.of(new String[] {"national", national}, new String[] {"international", international},
                    new String[] {"E.164", e164}, new String[] {"+44 (0)", "+44 (0)" + national.substring(1)},
                    new String[] {"0044", "0044 " + afterCode});
            case "DE" -> List.of(new String[] {"national", national}, new String[] {"international", international},
                    new String[] {"E.164", e164}, new String[] {"0049", "0049 " + afterCode},
                    new String[] {"slash", national.replaceFirst(" ", "/")}, new String[] {"dash", national.replaceFirst(" ", "-")},
                    new String[] {"+49 (0)", "+49 (0)" + national.substring(1)});
            default -> List.of(new String[] {"national", national}, new String[] {"international", international},
                    new String[] {"E.164", e164}, new String[] {"dots", national.replace(' ', '.')},
                    new String[] {"+33 (0)", "+33 (0)" + national.substring(1)}, new String[] {"0033", "0033 " + afterCode});
        };
        String[] form = forms.get(random.nextInt(forms.size()));
        return new Value(EntityType.PHONE, form[1], region + " " + form[0]);
    }

    /** A number valid for {@code region}: Datafaker's, else libphonenumber's example with its subscriber digits drawn anew. */
    private Phonenumber.PhoneNumber validNumber(String region) {
        Faker faker = byRegion.get(region);
        for (int attempt = 0; attempt < 8; attempt++) {
            String candidate = random.nextBoolean() ? faker.phoneNumber().cellPhone() : faker.phoneNumber().phoneNumber();
            Phonenumber.PhoneNumber parsed = parseOrNull(candidate, region);
            if (parsed != null && phones.isValidNumberForRegion(parsed, region)) {
                return parsed.clearExtension();
            }
        }
        PhoneNumberUtil.PhoneNumberType type = random.nextBoolean() ? PhoneNumberUtil.PhoneNumberType.MOBILE
                : PhoneNumberUtil.PhoneNumberType.FIXED_LINE;
        String example = phones.getNationalSignificantNumber(phones.getExampleNumberForType(region, type));
        while (true) {
            StringBuilder digits = new StringBuilder(example.substring(0, 3));
            for (int i = 3; i < example.length(); i++) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            Phonenumber.PhoneNumber drawn = parseOrNull("+" + phones.getCountryCodeForRegion(region) + digits, region);
            if (drawn != null && phones.isValidNumberForRegion(drawn, region)) {
                return drawn;
            }
        }
    }

    /** Null when libphonenumber cannot read it at all: the caller draws another candidate. */
    private Phonenumber.PhoneNumber parseOrNull(String candidate, String region) {
        try {
            return phones.parse(candidate, region);
        } catch (NumberParseException unreadable) {
            return null;
        }
    }

    Value card() {
        CreditCardType type = switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5, 6 -> CreditCardType.VISA;
            case 7, 8, 9, 10, 11 -> CreditCardType.MASTERCARD;
            case 12, 13, 14 -> CreditCardType.AMERICAN_EXPRESS;
            case 15, 16 -> CreditCardType.DISCOVER;
            case 17, 18 -> CreditCardType.JCB;
            default -> CreditCardType.DINERS_CLUB;
        };
        String digits = us.finance().creditCard(type).replaceAll("\\D", "");
        if (!luhn(digits)) {
            throw new IllegalStateException("Datafaker made a " + type + " number failing Luhn: " + digits);
        }
        int[] groups = switch (digits.length()) {
            case 15 -> new int[] {4, 6, 5};
            case 14 -> new int[] {4, 6, 4};
            case 19 -> new int[] {4, 4, 4, 4, 3};
            default -> new int[] {4, 4, 4, 4};
        };
        String name = type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return switch (random.nextInt(3)) {
            case 0 -> new Value(EntityType.CREDIT_CARD, group(digits, groups, " "), name + " spaces");
            case 1 -> new Value(EntityType.CREDIT_CARD, group(digits, groups, "-"), name + " dashes");
            default -> new Value(EntityType.CREDIT_CARD, digits, name + " plain");
        };
    }

    static String group(String digits, int[] groups, String separator) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int size : groups) {
            if (at > 0) {
                out.append(separator);
            }
            out.append(digits, at, Math.min(digits.length(), at + size));
            at += size;
        }
        return out.toString();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    Value iban() {
        String country = IBAN_COUNTRIES.get(random.nextInt(IBAN_COUNTRIES.size()));
        String iban = us.finance().iban(country);
        int pick = random.nextInt(20);
        if (pick < 11) {
            return new Value(EntityType.IBAN, iban, "compact");
        }
        if (pick < 19) {
            return new Value(EntityType.IBAN, iban.replaceAll("(.{4})(?!$)", "$1 "), "grouped");
        }
        return new Value(EntityType.IBAN, iban.toLowerCase(Locale.ROOT), "lower case");
    }

    Value ssn() {
        String ssn = us.idNumber().ssnValid();
        return switch (random.nextInt(10)) {
            case 0 -> new Value(EntityType.US_SSN, ssn.replace('-', ' '), "spaces");
            case 1 -> new Value(EntityType.US_SSN, ssn.replace("-", ""), "plain");
            default -> new Value(EntityType.US_SSN, ssn, "dashes");
        };
    }

    Value ip() {
        int pick = random.nextInt(100);
        if (pick < 30) {
            return new Value(EntityType.IP_ADDRESS, us.internet().publicIpV4Address(), "IPv4 public");
        }
        if (pick < 45) {
            return new Value(EntityType.IP_ADDRESS, us.internet().privateIpV4Address(), "IPv4 private");
        }
        if (pick < 52) {
            return new Value(EntityType.IP_ADDRESS, us.internet().publicIpV4Address(), "IPv4 with port", "", ":" + (1024 + random.nextInt(60_000)));
        }
        int[] groups = ipv6Groups();
        if (pick < 58) {
            return new Value(EntityType.IP_ADDRESS, compressed(groups), "IPv6 in brackets with port", "[", "]:" + (1024 + random.nextInt(60_000)));
        }
        if (pick < 70) {
            return new Value(EntityType.IP_ADDRESS, compressed(groups), "IPv6 compressed");
        }
        if (pick < 78) {
            StringBuilder full = new StringBuilder();
            for (int g : groups) {
                full.append(full.isEmpty() ? "" : ":").append(String.format(Locale.ROOT, "%04x", g));
            }
            return new Value(EntityType.IP_ADDRESS, full.toString(), "IPv6 full");
        }
        if (pick < 88) {
            return new Value(EntityType.IP_ADDRESS, compressed(groups).toUpperCase(Locale.ROOT), "IPv6 upper case");
        }
        return new Value(EntityType.IP_ADDRESS, "::ffff:" + us.internet().publicIpV4Address(), "IPv6 mapped IPv4");
    }

    /** Eight groups of a global unicast address, often with a run of zeros to compress. */
    private int[] ipv6Groups() {
        int[] groups = new int[8];
        groups[0] = 0x2000 + random.nextInt(0x2000);
        for (int i = 1; i < 8; i++) {
            groups[i] = random.nextInt(4) == 0 ? random.nextInt(0x100) : random.nextInt(0x10000);
        }
        if (random.nextInt(10) < 7) {
            int length = 2 + random.nextInt(3);
            int from = 2 + random.nextInt(8 - 2 - length + 1);
            for (int i = from; i < from + length; i++) {
                groups[i] = 0;
            }
        }
        return groups;
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    static String compressed(int[] groups) {
        int bestFrom = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestFrom = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            if (i == bestFrom) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    Value urlWithCredentials() {
        if (random.nextInt(10) == 0) {
            String token = "ghp_" + random(ALNUM, 36);
            return new Value(EntityType.URL_CREDENTIALS, "https://" + token + "@github.com/" + us.internet().domainWord() + "/"
                    + us.app().name().toLowerCase(Locale.ROOT).replace(' ', '-') + ".git", "token as user");
        }
        String scheme = List.of("postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp", "https", "ftp").get(random.nextInt(8));
        String user = us.credentials().username();
        String password = random(ALNUM, 10 + random.nextInt(12));
        String host = random.nextBoolean() ? us.internet().domainName() : "db-" + random.nextInt(10) + "." + random(LOWER, 6) + ".internal";
        String port = switch (scheme) {
            case "postgres", "postgresql" -> ":5432";
            case "mysql" -> ":3306";
            case "redis" -> ":6379";
            case "amqp" -> ":5672";
            default -> "";
        };
        String path = switch (scheme) {
            case "https" -> "/api/v1/" + us.internet().domainWord();
            case "ftp" -> "/uploads/";
            case "redis" -> "/0";
            default -> "/" + us.internet().domainWord() + (random.nextBoolean() ? "?sslmode=require" : "");
        };
        return new Value(EntityType.URL_CREDENTIALS, scheme + "://" + user + ":" + password + "@" + host + port + path, scheme);
    }

    String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
