package dev.parley.privacy.internal;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.BitSet;

/**
 * What a region's national numbers can look like, read once from libphonenumber: the lengths its numbers can have,
 * its national (trunk) prefix and whether a number written nationally must start with it. It lets the phone detector
 * skip libphonenumber's matcher (tens of microseconds a call) for digit runs that cannot be a number of the region.
 */
record PhoneRegion(String code, String trunkPrefix, boolean trunkPrefixRequired, BitSet fullLengths, BitSet anyLengths) {
    private static final int MAX_LENGTH = 17;

    static PhoneRegion of(String code) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        int countryCode = util.getCountryCodeForRegion(code);
        BitSet fullLengths = new BitSet();
        BitSet anyLengths = new BitSet();
        for (int length = 1; length <= MAX_LENGTH; length++) {
            PhoneNumber probe = new PhoneNumber().setCountryCode(countryCode).setNationalNumber(pow10(length - 1));
            PhoneNumberUtil.ValidationResult result = util.isPossibleNumberWithReason(probe);
            if (result == PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
                fullLengths.set(length);
                anyLengths.set(length);
            } else if (result == PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY) {
                anyLengths.set(length);
            }
        }
        String trunk = util.getNddPrefixForRegion(code, true);
        return new PhoneRegion(code, trunk == null ? "" : trunk, trunkRequired(util, code, trunk), fullLengths, anyLengths);
    }

    /**
     * Whether libphonenumber's VALID leniency insists on the trunk prefix in national form, found out by asking it
     * about the region's example number written without the prefix.
     */
    private static boolean trunkRequired(PhoneNumberUtil util, String code, String trunk) {
        PhoneNumber example = util.getExampleNumber(code);
        if (trunk == null || trunk.isEmpty() || example == null) {
            return false;
        }
        String withoutTrunk = util.getNationalSignificantNumber(example);
        return !util.findNumbers(withoutTrunk, code, PhoneNumberUtil.Leniency.VALID, 4).iterator().hasNext();
    }

    /**
     * Whether {@code digits} could be a valid national number of this region: a full length (local-only numbers,
     * such as seven-digit US numbers, are never valid), with the trunk prefix where it is required.
     */
    boolean couldBeValid(String digits) {
        boolean withTrunk = !trunkPrefix.isEmpty() && digits.startsWith(trunkPrefix)
                && fullLengths.get(digits.length() - trunkPrefix.length());
        return withTrunk || (!trunkPrefixRequired && fullLengths.get(digits.length()));
    }

    /** Whether {@code digits} has a length a number of this region can have, local-only included, trunk prefix or not. */
    boolean couldBePossible(String digits) {
        boolean withTrunk = !trunkPrefix.isEmpty() && digits.startsWith(trunkPrefix)
                && anyLengths.get(digits.length() - trunkPrefix.length());
        return withTrunk || anyLengths.get(digits.length());
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
