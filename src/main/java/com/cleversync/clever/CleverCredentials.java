package com.cleversync.clever;

import com.cleversync.system.Secrets;

/**
 * A district bearer token and a label naming the district in messages. {@link #toString()} never shows the
 * token, and the token is registered with {@link Secrets} so no message can leak it.
 */
public record CleverCredentials(String district, String token) {

    public CleverCredentials {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a Clever token is required");
        }
        Secrets.register(token);
    }

    @Override
    public String toString() {
        return "CleverCredentials[district=" + district + ", token=[redacted]]";
    }
}
