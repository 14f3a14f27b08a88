package com.cleversync.contacts;

import com.cleversync.system.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Deletes every contact of an account at a level and below (links cascade), in two steps: a dry run that
 * counts and hands out a single-use confirmation token, then the real run with that token. The token is bound
 * to the account, the level and the counts the dry run showed: if the counts changed meanwhile, nothing is
 * deleted and a new dry run is needed.
 */
@Service("contactCleanup")
public class ContactCleanup {

    private static final Logger log = LoggerFactory.getLogger(ContactCleanup.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Duration tokenTtl;

    public ContactCleanup(JdbcClient jdbc,
                          @Value("${clever-sync.ops.delete-confirmation-ttl:15m}") Duration tokenTtl) {
        this.jdbc = jdbc;
        this.tokenTtl = tokenTtl;
    }

    @Transactional
    public ContactDeletion dryRun(long accountId, ContactLevel level) {
        requireAccount(accountId);
        Map<ContactLevel, Long> counts = counts(accountId, level);
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = Instant.now().plus(tokenTtl);
        jdbc.sql("DELETE FROM contact_deletion_token WHERE expires_at < CURRENT_TIMESTAMP(3) - INTERVAL 1 DAY").update();
        jdbc.sql("INSERT INTO contact_deletion_token (token_hash, account_id, access_level, counts, expires_at) VALUES (?, ?, ?, ?, ?)")
                .param(hash(token)).param(accountId).param(level.name()).param(encode(counts)).param(Timestamp.from(expires))
                .update();
        return new ContactDeletion(accountId, level, true, counts, total(counts), token, expires);
    }

    @Transactional
    public ContactDeletion delete(long accountId, ContactLevel level, String confirmationToken) {
        requireAccount(accountId);
        if (confirmationToken == null || confirmationToken.isBlank()) {
            throw new BadInputException("a confirmation token is required: run a dry run first");
        }
        String tokenHash = hash(confirmationToken.strip());
        record Issued(long accountId, String level, String counts, Instant expiresAt, boolean used) {
        }
        Issued issued = jdbc.sql("""
                        SELECT account_id, access_level, counts, expires_at, used_at IS NOT NULL
                        FROM contact_deletion_token WHERE token_hash = ? FOR UPDATE""")
                .param(tokenHash)
                .query((rs, n) -> new Issued(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getBoolean(5)))
                .optional()
                .orElseThrow(() -> new BadInputException("unknown confirmation token: run a dry run first"));
        if (issued.accountId() != accountId || !issued.level().equals(level.name())) {
            throw new BadInputException("the confirmation token was issued for another account or level");
        }
        if (issued.used()) {
            throw new BadInputException("the confirmation token was already used: run a new dry run");
        }
        if (issued.expiresAt().isBefore(Instant.now())) {
            throw new BadInputException("the confirmation token expired: run a new dry run");
        }
        Map<ContactLevel, Long> counts = counts(accountId, level);
        if (!encode(counts).equals(issued.counts())) {
            throw new BadInputException("the contacts changed since the dry run (" + issued.counts() + " then, "
                    + encode(counts) + " now): run a new dry run");
        }
        List<String> levels = level.andBelow().stream().map(Enum::name).toList();
        int deleted = jdbc.sql("DELETE FROM contact WHERE account_id = :account AND access_level IN (:levels)")
                .param("account", accountId).param("levels", levels).update();
        jdbc.sql("UPDATE contact_deletion_token SET used_at = CURRENT_TIMESTAMP(3) WHERE token_hash = ?").param(tokenHash).update();
        log.info("deleted {} contacts of account {} at level {} and below ({})", deleted, accountId, level, encode(counts));
        return new ContactDeletion(accountId, level, false, counts, deleted, null, null);
    }

    private Map<ContactLevel, Long> counts(long accountId, ContactLevel level) {
        Map<ContactLevel, Long> counts = new EnumMap<>(ContactLevel.class);
        level.andBelow().forEach(l -> counts.put(l, 0L));
        jdbc.sql("""
                        SELECT access_level, COUNT(*) FROM contact
                        WHERE account_id = :account AND access_level IN (:levels) GROUP BY access_level""")
                .param("account", accountId).param("levels", level.andBelow().stream().map(Enum::name).toList())
                .query(rs -> {
                    counts.put(ContactLevel.valueOf(rs.getString(1)), rs.getLong(2));
                });
        return new LinkedHashMap<>(counts);
    }

    private static long total(Map<ContactLevel, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String encode(Map<ContactLevel, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private void requireAccount(long accountId) {
        if (accountId <= 0) {
            throw new BadInputException("account id must be a positive number, got " + accountId);
        }
        if (jdbc.sql("SELECT COUNT(*) FROM account WHERE id = ?").param(accountId).query(Long.class).single() == 0) {
            throw BadInputException.notFound("no account with id " + accountId);
        }
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
