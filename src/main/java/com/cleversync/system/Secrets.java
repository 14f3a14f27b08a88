package com.cleversync.system;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Last line of defence for messages that leave the process: removes bearer tokens, basic credentials,
 * passwords in URLs and any secret value registered at run time (tokens, keys, passwords).
 */
public final class Secrets {

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password|token|secret)=[^&\\s,;]+");

    private Secrets() {
    }

    /** Registers a value that must never be printed (ignored when shorter than 6 characters). */
    public static void register(String secret) {
        if (secret != null && secret.length() >= 6) {
            KNOWN.add(secret);
        }
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = text;
        for (String secret : KNOWN) {
            if (s.contains(secret)) {
                s = s.replace(secret, "[redacted]");
            }
        }
        s = BEARER.matcher(s).replaceAll("$1 [redacted]");
        return PASSWORD_PARAM.matcher(s).replaceAll("$1=[redacted]");
    }
}
