package com.cleversync.ops;

import com.cleversync.system.AppContext;
import com.cleversync.system.Cli;
import org.springframework.context.ApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Rows for the operations tests, written with plain SQL, and a way to run a command in-process. */
public final class OpsFixtures {

    private final JdbcClient jdbc;

    public OpsFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long account(String name) {
        return insert("INSERT INTO account (name) VALUES (?)", name);
    }

    public long event(long accountId, String name, boolean syncEnabled) {
        return insert("INSERT INTO event (account_id, name, sync_enabled) VALUES (?, ?, ?)", accountId, name, syncEnabled);
    }

    public long school(long accountId, String cleverId, String name, boolean detached) {
        return insert("INSERT INTO school (account_id, clever_school_id, name, detached_at) VALUES (?, ?, ?, "
                + (detached ? "CURRENT_TIMESTAMP(3)" : "NULL") + ")", accountId, cleverId, name);
    }

    public long eventImport(long eventId, long schoolId, String cleverSchoolId, String cleverTermId) {
        return insert("INSERT INTO event_import (event_id, school_id, clever_school_id, clever_term_id) VALUES (?, ?, ?, ?)",
                eventId, schoolId, cleverSchoolId, cleverTermId);
    }

    public long contact(long accountId, String kind, String level) {
        return insert("INSERT INTO contact (account_id, kind, access_level, first_name, last_name, source) "
                + "VALUES (?, ?, ?, 'First', 'Last', 'CLEVER')", accountId, kind, level);
    }

    /** An account connected to the simulator, an event, and a registered import of its first school and term. */
    public Imported connectedImport(org.springframework.context.ApplicationContext context, String accountName, int school) {
        var accounts = context.getBean(com.cleversync.account.AccountService.class);
        long account = account(accountName);
        accounts.connect(account, OpsWebTest.CLEVER.settings().token());
        long event = event(account, accountName + " conferences", true);
        var district = OpsWebTest.CLEVER.district();
        String schoolId = district.schools().get(school).id();
        String termId = district.termsOf(schoolId).getFirst().id();
        long importId = context.getBean(com.cleversync.importing.ImportService.class)
                .register(new com.cleversync.importing.ImportRequest(event, schoolId, termId));
        return new Imported(account, event, schoolId, termId, importId);
    }

    public record Imported(long accountId, long eventId, String schoolId, String termId, long eventImportId) {
    }

    public long count(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }

    private long insert(String sql, Object... params) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        spec.update(keys);
        return keys.getKey().longValue();
    }

    /**
     * Runs a command against the test's context. The command sees it through a child context, because the
     * command line closes the context it used when it is done and the test's context must stay open.
     */
    public static Run run(ApplicationContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        GenericApplicationContext child = new GenericApplicationContext(context);
        child.refresh();
        int code = Cli.run(AppContext.of(child), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    public record Run(int code, String out, String err) {
    }
}
