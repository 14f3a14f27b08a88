package com.cleversync.roster;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** The normal forms used to compare people: emails, names and phone numbers. */
public final class Normalize {

    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
    private static final Pattern NOT_DIGIT = Pattern.compile("\\D");


    private Normalize() {
    }

    /** Trimmed and lower-cased; null when blank. */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        String e = email.strip().toLowerCase(Locale.ROOT);
        return e.isEmpty() ? null : e;
    }

    /** Unicode NFC, lower-cased, inner white space collapsed; null when blank. */
    public static String name(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(part.strip());
            }
        }
        if (sb.isEmpty()) {
            return null;
        }
        return WHITE_SPACE.matcher(Normalizer.normalize(sb.toString(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT)).replaceAll(" ");
    }

    /** Digits only, without a leading North American country code 1; null when no digits. */
    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = NOT_DIGIT.matcher(phone).replaceAll("");
        if (digits.length() == 11 && digits.startsWith("1")) {
            digits = digits.substring(1);
        }
        return digits.isEmpty() ? null : digits;
    }

    /** Blank and null are the same: no value. */
    public static String text(String value) {
        if (value == null) {
            return null;
        }
        String s = value.strip();
        return s.isEmpty() ? null : s;
    }
}
