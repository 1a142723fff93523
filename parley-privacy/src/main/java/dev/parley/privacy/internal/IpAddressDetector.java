package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;
import org.apache.commons.validator.routines.InetAddressValidator;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * IPv4 addresses (four decimal octets 0-255 without leading zeros, standing alone: not part of a longer dotted
 * number such as an OID, and not after "version") and IPv6 addresses (validated by commons-validator, compressed
 * forms and embedded IPv4 included, at least two groups). IPv6 candidates are read around each {@code :} within
 * the 45 characters an address can span, so both scans are linear.
 */
public final class IpAddressDetector implements Detector {
    private static final double SCORE = 0.9;
    private static final int MAX_IPV6 = 45;
    private static final InetAddressValidator ADDRESSES = InetAddressValidator.getInstance();
    private static final ContextWords VERSION_WORDS = new ContextWords("version", "ver", "v", "release", "build",
            "firmware", "revision", "rev");

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        findIpv4(text, out);
        findIpv6(text, out);
        return Findings.resolve(out);
    }

    @Override
    public String normalise(String type, String value) {
        if (!EntityType.IP_ADDRESS.equals(type) || value.indexOf(':') < 0) {
            return value;
        }
        try {
            // A literal IPv6 address is parsed locally; InetAddress only resolves names, and this value is validated.
            return InetAddress.getByName(value).getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException notALiteral) {
            return value.toLowerCase(Locale.ROOT);
        }
    }

    private static void findIpv4(CharSequence text, List<Finding> out) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (!Chars.isAsciiDigit(text.charAt(i)) || !Chars.wordStartsAt(text, i) || (i > 0 && text.charAt(i - 1) == '.')) {
                i++;
                continue;
            }
            int end = ipv4End(text, i);
            if (end > 0 && !VERSION_WORDS.rightBefore(text, i, 2)) {
                out.add(new Finding(EntityType.IP_ADDRESS, i, end, SCORE));
                i = end;
            } else {
                i++;
            }
        }
    }

    /** End of four octets starting at {@code start}, or -1. */
    private static int ipv4End(CharSequence text, int start) {
        int n = text.length();
        int i = start;
        for (int octet = 0; octet < 4; octet++) {
            int from = i;
            int value = 0;
            while (i < n && Chars.isAsciiDigit(text.charAt(i)) && i - from < 3) {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - from;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(from) == '0')
                    || (i < n && Chars.isAsciiDigit(text.charAt(i)))) {
                return -1;
            }
            if (octet < 3) {
                if (i >= n || text.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        boolean dottedOn = i + 1 < n && text.charAt(i) == '.' && Chars.isAsciiDigit(text.charAt(i + 1));
        return Chars.wordEndsAt(text, i) && !dottedOn ? i : -1;
    }

    private static void findIpv6(CharSequence text, List<Finding> out) {
        int n = text.length();
        int scannedTo = 0;
        for (int colon = 0; colon < n; colon++) {
            if (text.charAt(colon) != ':' || colon < scannedTo) {
                continue;
            }
            int start = colon;
            while (start > 0 && isIpv6Char(text.charAt(start - 1)) && colon - start < MAX_IPV6) {
                start--;
            }
            int end = colon;
            while (end < n && isIpv6Char(text.charAt(end)) && end - start < MAX_IPV6 + 1) {
                end++;
            }
            scannedTo = end;
            if (start > 0 && (isIpv6Char(text.charAt(start - 1)) || Chars.isWordChar(text.charAt(start - 1)))) {
                continue;
            }
            while (end > start && text.charAt(end - 1) == '.') {
                end--;
            }
            if (end - start <= MAX_IPV6 && Chars.wordEndsAt(text, end) && isIpv6(text.subSequence(start, end).toString())) {
                out.add(new Finding(EntityType.IP_ADDRESS, start, end, SCORE));
            }
        }
    }

    private static boolean isIpv6(String candidate) {
        if (!ADDRESSES.isValidInet6Address(candidate)) {
            return false;
        }
        int groups = 0;
        int hexDigits = 0;
        boolean inGroup = false;
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean hex = Character.digit(c, 16) >= 0;
            if (hex) {
                hexDigits++;
            }
            if (hex && !inGroup) {
                groups++;
            }
            inGroup = hex;
        }
        return groups >= 2 && hexDigits >= 4;
    }

    private static boolean isIpv6Char(char c) {
        return Chars.isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
    }
}
