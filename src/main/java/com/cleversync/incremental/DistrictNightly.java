package com.cleversync.incremental;

import com.cleversync.account.AccountService;
import com.cleversync.clever.CleverApiException;
import com.cleversync.clever.CleverClient;
import com.cleversync.clever.CleverCollection;
import com.cleversync.clever.CleverCredentials;
import com.cleversync.clever.CleverEvent;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.Item;
import com.cleversync.importing.ChangeSet;
import com.cleversync.importing.DistrictContacts;
import com.cleversync.system.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * One district's (Clever connection's) nightly: incremental from Clever's Events API when the stored cursor
 * can be trusted, else a full sync of every import; see README "Incremental nightly sync". Either way the
 * imports themselves run through the caller's {@link ImportRunner} (the import job, with all its rules), and the
 * cursor only moves when every import run tonight COMPLETED, so a crash or a failure re-applies, never skips.
 * All times are the database server's, so that they compare with the timestamps it writes itself.
 */
@Service("districtNightly")
public class DistrictNightly {

    private static final Logger log = LoggerFactory.getLogger(DistrictNightly.class);

    /** Status of an import the events showed no reason to run tonight. */
    public static final String UNCHANGED = "UNCHANGED";
    /** Status of every import of a district another process is syncing right now. */
    public static final String DISTRICT_BUSY = "RUNNING ELSEWHERE";
    /** Stored cursor of a district whose event stream was empty at the full sync: read it from its start. */
    static final String STREAM_START = "";

    public enum Mode { FULL, INCREMENTAL, NOT_RUN }

    /**
     * Runs one import (or reports one it does not run) and returns the nightly summary row's status. Called from
     * several threads at once (see {@link ParallelImports}).
     */
    public interface ImportRunner {
        /** Runs the import; returns its final status (a {@code BatchStatus} name or another nightly status). */
        String run(long eventImportId);

        /** Records an import that is not run tonight, with the status and why. */
        void skip(long eventImportId, String status, String message);

        /** Runs the import on the night's change set (it applies the changes instead of re-reading its school). */
        default String runChanges(long eventImportId, long changeSetId) {
            return run(eventImportId);
        }
    }

    /** What the district's nightly did: mode and why, events read, imports run and skipped, cursor moved. */
    public record Outcome(long accountId, Mode mode, String reason, int eventsRead, int importsRun, int importsOnChanges,
                          int importsSkipped, boolean cursorAdvanced) {

        public String describe() {
            return switch (mode) {
                case NOT_RUN -> "account %d: not run (%s)".formatted(accountId, reason);
                case FULL -> "account %d: FULL sync (%s), %d import(s) run, cursor %s".formatted(accountId, reason,
                        importsRun, cursorAdvanced ? "seeded" : "not moved");
                case INCREMENTAL -> "account %d: INCREMENTAL (%s), %d event(s), %d import(s) run (%d on the night's changes), %d unchanged, cursor %s"
                        .formatted(accountId, reason, eventsRead, importsRun, importsOnChanges, importsSkipped,
                                cursorAdvanced ? "advanced" : "not moved");
            };
        }
    }

    private record Connection(String cursor, LocalDateTime cursorAt, LocalDateTime lastFullSync, LocalDateTime updatedAt,
                              LocalDateTime now) {
    }

    private record EventsRead(Set<Long> affected, Set<Long> whole, String lastEventId, int count, String fullReason,
                              Long changeSetId) {

        static EventsRead full(int count, String reason) {
            return new EventsRead(Set.of(), Set.of(), null, count, reason, null);
        }
    }

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final AccountService accounts;
    private final CleverClient clever;
    private final DistrictLock lock;
    private final NightlyProperties properties;
    private final JdbcTemplate template;
    private final DistrictContacts contacts;

    public DistrictNightly(JdbcClient jdbc, NamedParameterJdbcTemplate named, AccountService accounts, CleverClient clever,
                           DistrictLock lock, NightlyProperties properties, DistrictContacts contacts) {
        this.jdbc = jdbc;
        this.template = named.getJdbcTemplate();
        this.contacts = contacts;
        this.named = named;
        this.accounts = accounts;
        this.clever = clever;
        this.lock = lock;
        this.properties = properties;
    }

    /**
     * Syncs the account's district: {@code importIds} are its imports of events with sync on, in run order.
     * Holds the district's lock throughout; when another process holds it, runs nothing.
     */
    public Outcome run(long accountId, List<Long> importIds, ImportRunner runner) {
        Optional<DistrictLock.Lease> lease = lock.tryAcquire(accountId);
        if (lease.isEmpty()) {
            importIds.forEach(id -> runner.skip(id, DISTRICT_BUSY, "another process is syncing this district"));
            log.info("nightly: account {} is being synced by another process; skipped", accountId);
            return new Outcome(accountId, Mode.NOT_RUN, "another process is syncing this district", 0, 0, 0, importIds.size(), false);
        }
        try (DistrictLock.Lease held = lease.get()) {
            Outcome outcome = sync(accountId, importIds, runner);
            log.info("nightly: {}", outcome.describe());
            return outcome;
        }
    }

    private Outcome sync(long accountId, List<Long> importIds, ImportRunner runner) {
        Connection c = connection(accountId);
        if (c == null) {
            importIds.forEach(id -> runner.skip(id, "FAILED", "the account has no Clever connection"));
            return new Outcome(accountId, Mode.NOT_RUN, "no Clever connection", 0, 0, 0, importIds.size(), false);
        }
        CleverCredentials credentials;
        try {
            credentials = accounts.credentials(accountId);
        } catch (RuntimeException e) {
            // The imports will say what is wrong with the connection, one by one, as a full sync would.
            return full(accountId, importIds, runner, c, null, "credentials unusable: " + Secrets.redact(e.getMessage()));
        }
        String reason = fullReason(accountId, c);
        if (reason != null) {
            return full(accountId, importIds, runner, c, credentials, reason);
        }
        EventsRead events = readEvents(accountId, credentials, c.cursor());
        if (events.fullReason() != null) {
            return full(accountId, importIds, runner, c, credentials, events.fullReason());
        }
        Set<Long> unfinished = unfinished(importIds);
        Set<Long> restoring = withDeletedClasses(importIds);
        Long changeSet = events.changeSetId();
        if (changeSet != null) {
            // Loaded once here: the imports run on it share this copy (the stored contacts already hold its changes).
            ChangeSet.load(template, changeSet);
        }
        int skipped = 0;
        List<Supplier<String>> whole = new ArrayList<>();
        List<Supplier<String>> onChanges = new ArrayList<>();
        for (long id : importIds) {
            if (!unfinished.contains(id) && !events.affected().contains(id) && !restoring.contains(id)) {
                skipped++;
                runner.skip(id, UNCHANGED, "no Clever events for this import");
            } else if (changeSet == null || unfinished.contains(id) || events.whole().contains(id)) {
                whole.add(() -> runner.run(id));
            } else {
                onChanges.add(() -> runner.runChanges(id, changeSet));
            }
        }
        // Whole imports first: the first of them reads the district's contacts alone, and the others share its read.
        // Imports on the change set alone use the stored contacts: they start together.
        List<Supplier<String>> runs = new ArrayList<>(whole);
        runs.addAll(onChanges);
        int run = runs.size();
        boolean allCompleted = ParallelImports.runAll(runs, properties.importConcurrency(), !whole.isEmpty());
        boolean advanced = false;
        if (allCompleted) {
            // The position is confirmed as of when the read started: any event we did not see is newer than that.
            advanced = jdbc.sql("""
                    UPDATE clever_connection SET events_cursor = ?, events_cursor_at = ?
                    WHERE account_id = ? AND events_cursor = ?""")
                    .params(events.lastEventId(), sql(c.now()), accountId, c.cursor()).update() == 1;
        }
        String why = events.count() == 0 ? "no new events" : "events after the cursor";
        if (!unfinished.isEmpty()) {
            why += "; " + unfinished.size() + " import(s) not completed last time";
        }
        return new Outcome(accountId, Mode.INCREMENTAL, why, events.count(), run, onChanges.size(), skipped, advanced);
    }

    /** Why tonight must be a full sync, or null when the events cursor can be used. */
    private String fullReason(long accountId, Connection c) {
        if (c.lastFullSync() == null) {
            return "no full sync yet";
        }
        if (c.cursor() == null) {
            return "no events cursor (events were off or unreadable at the last full sync)";
        }
        if (c.cursorAt() == null || Duration.between(c.cursorAt(), c.now()).compareTo(properties.eventsMaxAge()) > 0) {
            return "events cursor older than " + days(properties.eventsMaxAge()) + " (Clever keeps events 30 days)";
        }
        if (Duration.between(c.lastFullSync(), c.now()).compareTo(properties.fullResyncInterval()) > 0) {
            return "full-resync interval of " + days(properties.fullResyncInterval()) + " passed";
        }
        if (c.updatedAt() != null && c.updatedAt().isAfter(c.lastFullSync())) {
            return "Clever connection changed since the last full sync";
        }
        long added = jdbc.sql("""
                SELECT COUNT(*) FROM event_import ei JOIN event e ON e.id = ei.event_id
                WHERE e.account_id = ? AND ei.created_at >= ?""").params(accountId, sql(c.lastFullSync())).query(Long.class).single();
        if (added > 0) {
            return added + " import(s) added since the last full sync";
        }
        // Events that arrived while an event's sync was stopped moved the cursor without reaching its imports.
        long reenabled = jdbc.sql("""
                SELECT COUNT(*) FROM event WHERE account_id = ? AND sync_enabled AND sync_changed_at >= ?""")
                .params(accountId, sql(c.lastFullSync())).query(Long.class).single();
        if (reenabled > 0) {
            return "sync re-enabled for " + reenabled + " event(s) since the last full sync";
        }
        return null;
    }

    private EventsRead readEvents(long accountId, CleverCredentials credentials, String cursor) {
        List<AffectedImports.Import> imports = jdbc.sql("""
                        SELECT ei.id, ei.clever_school_id, ei.clever_term_id FROM event_import ei
                        JOIN event e ON e.id = ei.event_id WHERE e.account_id = ?""").param(accountId)
                .query((rs, n) -> new AffectedImports.Import(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
        AffectedImports affected = new AffectedImports(named, accountId, imports);
        Long changeSet = properties.applyChanges() ? ChangeSet.create(template, accountId, properties.changeSetRetention()) : null;
        EventsRead read = readEvents(accountId, credentials, cursor, affected, changeSet);
        if (changeSet != null && (read.fullReason() != null || read.count() > properties.maxChanges())) {
            ChangeSet.drop(template, changeSet);
            return new EventsRead(read.affected(), read.whole(), read.lastEventId(), read.count(), read.fullReason(), null);
        }
        return read;
    }

    private EventsRead readEvents(long accountId, CleverCredentials credentials, String cursor, AffectedImports affected,
                                  Long changeSet) {
        String after = STREAM_START.equals(cursor) ? null : cursor;
        String last = cursor;
        int count = 0;
        try {
            CleverCollection<CleverEvent> feed = clever.events(credentials);
            do {
                CleverPage<CleverEvent> page = feed.page(after);
                List<CleverEvent> events = new ArrayList<>(page.items().size());
                for (Item<CleverEvent> item : page.items()) {
                    if (item.malformed() || !readable(item.value())) {
                        return EventsRead.full(count, "unreadable event " + item.id());
                    }
                    events.add(item.value());
                }
                if (changeSet != null && count + events.size() <= properties.maxChanges()) {
                    recordAndApplyWhileAffected(accountId, changeSet, events, affected);
                } else {
                    affected.add(events);
                }
                count += events.size();
                if (!events.isEmpty()) {
                    last = events.getLast().id();
                }
                if (count > properties.maxEvents()) {
                    return EventsRead.full(count, "more than " + properties.maxEvents() + " new events");
                }
                after = page.nextStartingAfter();
            } while (after != null);
        } catch (CleverApiException e) {
            return EventsRead.full(count, e.status() == 404 ? "events disabled (404)"
                    : "events unreadable: " + Secrets.redact(e.getMessage()));
        }
        log.debug("nightly: account {} read {} event(s) after {}", accountId, count, cursor);
        return new EventsRead(affected.affected(), affected.whole(), last, count, null, changeSet);
    }

    /**
     * Records a page of events in the change set and applies its contact changes to the account's stored contacts (the
     * imports run on the change set read the district's contacts as stored), each on a thread of its own, while this
     * one finds the imports they affect (each on its own connection); returns when all three are done, throwing what
     * any threw (the lookup's failure first). Pages are applied in order, so the stored contacts end at each one's
     * latest state. A page applied on a night that then turns to a full sync (too many changes, an unreadable event)
     * stays applied: it is what Clever holds now.
     */
    private void recordAndApplyWhileAffected(long accountId, long changeSet, List<CleverEvent> events, AffectedImports affected) {
        FutureTask<Void> recording = new FutureTask<>(() -> {
            ChangeSet.record(template, changeSet, events);
            return null;
        });
        FutureTask<Void> applying = new FutureTask<>(() -> {
            ChangeSet.Users users = ChangeSet.users(events);
            contacts.apply(accountId, users.changed(), users.deleted());
            return null;
        });
        Thread.ofVirtual().name("nightly-record-" + changeSet).start(recording);
        Thread.ofVirtual().name("nightly-apply-" + changeSet).start(applying);
        RuntimeException failure = null;
        try {
            affected.add(events);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (FutureTask<Void> task : List.of(recording, applying)) {
            try {
                awaitUninterruptibly(task);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits for the task to end (an interrupt is kept for later); throws what it threw. */
    private static void awaitUninterruptibly(FutureTask<?> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The record an event is about must be there for the kinds that matter. */
    private static boolean readable(CleverEvent e) {
        return e.id() != null && switch (e.recordType()) {
            case "users" -> e.user() != null && e.user().id() != null;
            case "sections" -> e.section() != null && e.section().id() != null;
            case "terms" -> e.term() != null && e.term().id() != null;
            case "schools" -> e.school() != null && e.school().id() != null;
            default -> true;
        };
    }

    private Outcome full(long accountId, List<Long> importIds, ImportRunner runner, Connection c,
                         CleverCredentials credentials, String reason) {
        // The seed is taken before the first import reads anything: events during the sync are re-applied tomorrow.
        LocalDateTime seededAt = now();
        String seed = null;
        String note = "";
        if (credentials != null) {
            try {
                seed = clever.latestEventId(credentials).orElse(STREAM_START);
            } catch (CleverApiException e) {
                note = e.status() != 404 ? "; events unreadable" : reason.contains("(404)") ? "" : "; events disabled (404)";
            } catch (RuntimeException e) {
                note = "; events unreadable";
            }
        }
        boolean allCompleted = ParallelImports.runAll(importIds.stream().<Supplier<String>>map(id -> () -> runner.run(id)).toList(),
                properties.importConcurrency());
        boolean seeded = false;
        if (allCompleted) {
            jdbc.sql("""
                    UPDATE clever_connection SET events_cursor = ?, events_cursor_at = ?, last_full_sync_at = ?
                    WHERE account_id = ?""").params(seed, seed == null ? null : sql(seededAt), sql(seededAt), accountId).update();
            seeded = seed != null;
        }
        return new Outcome(accountId, Mode.FULL, reason + note, 0, importIds.size(), 0, 0, seeded);
    }

    /** Imports with a class an admin deleted: a sync brings it back, so they run even without events. */
    private Set<Long> withDeletedClasses(List<Long> importIds) {
        if (importIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(named.queryForList("SELECT DISTINCT event_import_id FROM event_class WHERE event_import_id IN (:ids) AND deleted_at IS NOT NULL",
                Map.of("ids", importIds), Long.class));
    }

    private Set<Long> unfinished(List<Long> importIds) {
        if (importIds.isEmpty()) {
            return Set.of();
        }
        Map<String, Object> params = new HashMap<>();
        params.put("ids", importIds);
        return Set.copyOf(named.queryForList("""
                SELECT id FROM event_import WHERE id IN (:ids) AND (last_status IS NULL OR last_status <> 'COMPLETED')""",
                params, Long.class));
    }

    private Connection connection(long accountId) {
        return jdbc.sql("""
                        SELECT events_cursor, events_cursor_at, last_full_sync_at, updated_at, CURRENT_TIMESTAMP(3)
                        FROM clever_connection WHERE account_id = ?""").param(accountId)
                .query((rs, n) -> new Connection(rs.getString(1), time(rs.getString(2)), time(rs.getString(3)),
                        time(rs.getString(4)), time(rs.getString(5))))
                .optional().orElse(null);
    }

    private LocalDateTime now() {
        return jdbc.sql("SELECT CURRENT_TIMESTAMP(3)").query((rs, n) -> time(rs.getString(1))).single();
    }

    /*
     * Times travel as text: Connector/J takes MariaDB for a 5.5 server and drops the milliseconds of Timestamp
     * parameters, and a cursor time rounded down could look older than the full sync it came from.
     */
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private static LocalDateTime time(String s) {
        return s == null ? null : LocalDateTime.parse(s.replace(' ', 'T'));
    }

    private static String sql(LocalDateTime t) {
        return t.format(SQL_TIME);
    }

    private static String days(Duration d) {
        return d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toString();
    }
}
