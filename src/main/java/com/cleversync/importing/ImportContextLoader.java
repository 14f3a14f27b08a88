package com.cleversync.importing;

import com.cleversync.account.AccountService;
import com.cleversync.system.BadInputException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Loads an event import with its account and Clever credentials. */
@Component("importContextLoader")
public class ImportContextLoader {

    private final JdbcClient jdbc;
    private final AccountService accounts;

    public ImportContextLoader(JdbcClient jdbc, AccountService accounts) {
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    record Row(long eventImportId, long accountId, long eventId, long schoolId, String cleverSchoolId, String cleverTermId) {
    }

    Row row(long eventImportId) {
        return jdbc.sql("""
                SELECT ei.id AS event_import_id, e.account_id, ei.event_id, ei.school_id, ei.clever_school_id, ei.clever_term_id
                FROM event_import ei JOIN event e ON e.id = ei.event_id WHERE ei.id = ?""")
                .param(eventImportId).query(Row.class).optional()
                .orElseThrow(() -> BadInputException.notFound("unknown event import " + eventImportId));
    }

    public ImportContext load(long eventImportId, long jobInstanceId, Long changeSetId) {
        Row r = row(eventImportId);
        return new ImportContext(r.eventImportId(), jobInstanceId, r.accountId(), r.eventId(), r.schoolId(),
                r.cleverSchoolId(), r.cleverTermId(), accounts.credentials(r.accountId()), changeSetId);
    }
}
