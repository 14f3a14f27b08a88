package com.cleversync.contacts;

import java.time.Instant;
import java.util.Map;

/**
 * A clean-slate of an account's contacts at a level and below: {@code counts} per level (highest first),
 * and for a dry run the token the real run needs and when it expires; for a real run, what was deleted.
 */
public record ContactDeletion(long accountId, ContactLevel level, boolean dryRun, Map<ContactLevel, Long> counts,
                              long total, String confirmationToken, Instant expiresAt) {
}
