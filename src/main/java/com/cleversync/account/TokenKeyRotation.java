package com.cleversync.account;

import com.cleversync.system.BadInputException;
import com.cleversync.system.Secrets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.Arrays;
import java.util.List;

/**
 * Re-encrypts every stored Clever token with the current key ({@code CLEVER_TOKEN_KEY}): tokens sealed with the
 * previous key are opened with it and sealed again, plain-text tokens (the demo's) are sealed, tokens already on
 * the current key are left alone. All or nothing, in one transaction with the rows locked, so a second run (or a
 * run after a crash) finds everything on the current key and changes nothing. Tokens are never returned or
 * printed: only counts and key ids.
 */
@Service("tokenKeyRotation")
public class TokenKeyRotation {

    private final JdbcClient jdbc;
    private final TokenCipher cipher;

    public TokenKeyRotation(JdbcClient jdbc, TokenCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** What a rotation did (or, for a dry run, would do). */
    public record Result(String previousKeyId, String currentKeyId, int rotated, int plainSealed, int alreadyCurrent,
                         boolean dryRun) {
        public String describe() {
            return (dryRun ? "dry run: would re-encrypt " : "re-encrypted ") + rotated + " token(s) from key " + previousKeyId
                    + " to key " + currentKeyId + ", " + (dryRun ? "would encrypt " : "encrypted ") + plainSealed
                    + " plain-text token(s); " + alreadyCurrent + " already on key " + currentKeyId;
        }
    }

    private record Row(long accountId, String token) {
    }

    /** Decodes a base64 AES-256 key given for the previous key; a clear one-line error (never the key) otherwise. */
    public static byte[] previousKey(String base64, String source) {
        if (base64 == null || base64.isBlank()) {
            throw new BadInputException(source + " is empty: it must hold the previous CLEVER_TOKEN_KEY");
        }
        try {
            return TokenCipher.decodeKey(base64);
        } catch (IllegalStateException e) {
            throw new BadInputException("the previous key from " + source + " is not a base64 AES-256 key (32 bytes)");
        }
    }

    @Transactional
    public Result rotate(byte[] previousKey, boolean dryRun) {
        if (!cipher.hasKey()) {
            throw new BadInputException("no token encryption key: set CLEVER_TOKEN_KEY to the new key (32 random bytes, base64)");
        }
        String current = cipher.keyId();
        String previous = TokenCipher.keyId(previousKey);
        if (Arrays.equals(previousKey, cipher.key())) {
            throw new BadInputException("the previous key is the current CLEVER_TOKEN_KEY (key " + current
                    + "): set CLEVER_TOKEN_KEY to the new key and pass the old one as the previous key");
        }
        List<Row> rows = jdbc.sql("SELECT account_id, token FROM clever_connection ORDER BY account_id FOR UPDATE")
                .query(Row.class).list();
        int rotated = 0;
        int plain = 0;
        int already = 0;
        for (Row row : rows) {
            String sealedWith = TokenCipher.sealedWith(row.token());
            String token;
            if (current.equals(sealedWith)) {
                // Opening proves the stored value is intact; a second run of the rotation lands here.
                Secrets.register(TokenCipher.open(row.token(), cipher.key(), current));
                already++;
                continue;
            } else if (previous.equals(sealedWith)) {
                token = TokenCipher.open(row.token(), previousKey, previous);
                rotated++;
            } else if ("plain".equals(sealedWith)) {
                token = row.token().substring("plain:".length());
                plain++;
            } else {
                throw new BadInputException("the token of account " + row.accountId() + " was sealed with key " + sealedWith
                        + ", neither the previous key (" + previous + ") nor the current one (" + current + "); nothing was changed");
            }
            Secrets.register(token);
            if (!dryRun) {
                jdbc.sql("UPDATE clever_connection SET token = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE account_id = ?")
                        .params(cipher.seal(token), row.accountId()).update();
            }
        }
        return new Result(previous, current, rotated, plain, already, dryRun);
    }
}
