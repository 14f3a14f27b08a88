package com.cleversync.account;

import com.cleversync.clever.CleverApiException;
import com.cleversync.clever.CleverAuthException;
import com.cleversync.clever.CleverClient;
import com.cleversync.clever.CleverCredentials;
import com.cleversync.clever.CleverDistrict;
import com.cleversync.clever.DistrictToken;
import com.cleversync.system.BadInputException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Accounts, events and the account's Clever connection. */
@Service("accountService")
public class AccountService {

    private final JdbcClient jdbc;
    private final CleverClient clever;
    private final TokenCipher cipher;

    public AccountService(JdbcClient jdbc, CleverClient clever, TokenCipher cipher) {
        this.jdbc = jdbc;
        this.clever = clever;
        this.cipher = cipher;
    }

    public record Connection(long accountId, String districtId, String districtName) {
    }

    @Transactional
    public long createAccount(String name, String timeZone) {
        String n = requireText(name, "account name");
        String zone;
        try {
            zone = ZoneId.of(requireText(timeZone, "time zone")).getId();
        } catch (DateTimeException e) {
            throw new BadInputException("unknown time zone '" + timeZone + "' (use an IANA name such as America/Chicago)");
        }
        try {
            var keys = new GeneratedKeyHolder();
            jdbc.sql("INSERT INTO account (name, time_zone) VALUES (?, ?)").params(n, zone).update(keys);
            return keys.getKey().longValue();
        } catch (DuplicateKeyException e) {
            throw new BadInputException("an account named '" + n + "' exists already (id " + accountIdByName(n).orElse(-1L) + ")");
        }
    }

    public Optional<Long> accountIdByName(String name) {
        return jdbc.sql("SELECT id FROM account WHERE name = ?").param(name).query(Long.class).optional();
    }

    @Transactional
    public long createEvent(long accountId, String name) {
        requireAccount(accountId);
        var keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO event (account_id, name) VALUES (?, ?)").params(accountId, requireText(name, "event name")).update(keys);
        return keys.getKey().longValue();
    }

    public Optional<Long> eventIdByName(long accountId, String name) {
        return jdbc.sql("SELECT MIN(id) FROM event WHERE account_id = ? AND name = ?").params(accountId, name)
                .query(Long.class).optional();
    }

    /** Validates the token against Clever's {@code /districts} and stores it, encrypted, for the account. */
    public Connection connect(long accountId, String token) {
        requireAccount(accountId);
        String t = requireText(token, "token");
        CleverDistrict district;
        try {
            district = clever.district(new CleverCredentials("of account " + accountId, t));
        } catch (CleverAuthException e) {
            throw new BadInputException("Clever rejected the token for account " + accountId + " (401): check the district token");
        } catch (CleverApiException e) {
            throw new BadInputException("Clever did not accept the token for account " + accountId + ": " + e.getMessage());
        }
        String sealed = cipher.seal(t);
        jdbc.sql("""
                INSERT INTO clever_connection (account_id, clever_district_id, district_name, token)
                VALUES (?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE clever_district_id = VALUES(clever_district_id),
                  district_name = VALUES(district_name), token = VALUES(token), updated_at = CURRENT_TIMESTAMP(3)""")
                .params(accountId, district.id(), district.name(), sealed).update();
        return new Connection(accountId, district.id(), district.name());
    }

    /**
     * Connects with the district token the app holds for {@code districtId}, listed with the app credentials
     * ({@code GET /oauth/tokens?owner_type=district}): what an admin's accepted Clever invite gives us.
     */
    public Connection connectDistrict(long accountId, String districtId) {
        requireAccount(accountId);
        String district = requireText(districtId, "district id");
        List<DistrictToken> tokens;
        try {
            tokens = clever.districtTokens();
        } catch (IllegalStateException e) {
            throw new BadInputException(e.getMessage());
        } catch (CleverAuthException e) {
            throw new BadInputException("Clever rejected the app credentials (CLEVER_APP_CLIENT_ID / CLEVER_APP_CLIENT_SECRET)");
        }
        DistrictToken token = tokens.stream().filter(t -> district.equals(t.districtId())).findFirst()
                .orElseThrow(() -> BadInputException.notFound("the app holds no token for Clever district " + district
                        + " (has the district accepted the app's invitation?)"));
        return connect(accountId, token.accessToken());
    }

    /** The account's Clever credentials, decrypted; a clear error when the account has no connection. */
    public CleverCredentials credentials(long accountId) {
        record Row(String districtId, String districtName, String token) {
        }
        Row row = jdbc.sql("SELECT clever_district_id AS district_id, district_name, token FROM clever_connection WHERE account_id = ?")
                .param(accountId).query(Row.class).optional()
                .orElseThrow(() -> new BadInputException("account " + accountId + " has no Clever connection: run 'connect --account "
                        + accountId + " --token …' first"));
        String label = (row.districtName() == null ? "" : row.districtName() + " ") + "(" + row.districtId() + ")";
        return new CleverCredentials(label, cipher.open(row.token()));
    }

    public void requireAccount(long accountId) {
        if (jdbc.sql("SELECT COUNT(*) FROM account WHERE id = ?").param(accountId).query(Long.class).single() == 0) {
            throw BadInputException.notFound("unknown account " + accountId);
        }
    }

    static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new BadInputException(what + " must not be empty");
        }
        if (value.length() > 255) {
            throw new BadInputException(what + " is longer than 255 characters");
        }
        return value.strip();
    }
}
