package com.cleversync.sync;

import com.cleversync.system.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;

/**
 * The per-event sync switch the nightly run obeys: stop one event, stop every event of an account (the
 * confirmation lists exactly the events that were on), enable again, list what is on. Used by the commands
 * and the Actuator endpoint alike.
 */
@Service("syncSettings")
public class SyncSettings {

    private static final Logger log = LoggerFactory.getLogger(SyncSettings.class);

    private final JdbcClient jdbc;

    public SyncSettings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public EventSync stopEvent(long eventId) {
        return switchEvent(eventId, false);
    }

    @Transactional
    public EventSync enableEvent(long eventId) {
        return switchEvent(eventId, true);
    }

    /** Stops sync for every event of the account; returns the events that had it on (now off). */
    @Transactional
    public List<EventSync> stopAccount(long accountId) {
        requireAccount(accountId);
        List<EventSync> on = jdbc.sql("""
                        SELECT id, account_id, name FROM event
                        WHERE account_id = ? AND sync_enabled ORDER BY id FOR UPDATE""")
                .param(accountId)
                .query((rs, n) -> new EventSync(rs.getLong(1), rs.getLong(2), rs.getString(3), false, true))
                .list();
        if (!on.isEmpty()) {
            jdbc.sql("UPDATE event SET sync_enabled = FALSE, sync_changed_at = CURRENT_TIMESTAMP(3) "
                    + "WHERE account_id = ? AND sync_enabled").param(accountId).update();
        }
        log.info("sync stopped for account {}: {} events", accountId, on.size());
        return on;
    }

    /** Events with sync on, of one account or (null) of every account, by account then event id. */
    @Transactional(readOnly = true)
    public List<EventSync> enabledEvents(Long accountId) {
        if (accountId != null) {
            requireAccount(accountId);
        }
        return jdbc.sql("""
                        SELECT id, account_id, name FROM event
                        WHERE sync_enabled AND (? IS NULL OR account_id = ?) ORDER BY account_id, id""")
                .param(accountId).param(accountId)
                .query((rs, n) -> new EventSync(rs.getLong(1), rs.getLong(2), rs.getString(3), true, false))
                .list();
    }

    /** The event's switch as it is now; not found is a {@link BadInputException}. */
    @Transactional(readOnly = true)
    public EventSync event(long eventId) {
        return find(eventId, false).orElseThrow(() -> BadInputException.notFound("no event with id " + eventId));
    }

    private EventSync switchEvent(long eventId, boolean enabled) {
        EventSync before = find(eventId, true)
                .orElseThrow(() -> BadInputException.notFound("no event with id " + eventId));
        if (before.syncEnabled() == enabled) {
            return before;
        }
        jdbc.sql("UPDATE event SET sync_enabled = ?, sync_changed_at = CURRENT_TIMESTAMP(3) WHERE id = ?")
                .param(enabled).param(eventId).update();
        log.info("sync {} for event {} of account {}", enabled ? "enabled" : "stopped", eventId, before.accountId());
        return new EventSync(eventId, before.accountId(), before.eventName(), enabled, true);
    }

    private Optional<EventSync> find(long eventId, boolean forUpdate) {
        requirePositive(eventId, "event");
        return jdbc.sql("SELECT id, account_id, name, sync_enabled FROM event WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))
                .param(eventId)
                .query((rs, n) -> new EventSync(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4), false))
                .optional();
    }

    private void requireAccount(long accountId) {
        requirePositive(accountId, "account");
        boolean exists = jdbc.sql("SELECT COUNT(*) FROM account WHERE id = ?").param(accountId).query(Long.class).single() > 0;
        if (!exists) {
            throw BadInputException.notFound("no account with id " + accountId);
        }
    }

    static void requirePositive(long id, String what) {
        if (id <= 0) {
            throw new BadInputException(what + " id must be a positive number, got " + id);
        }
    }
}
