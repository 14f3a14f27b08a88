package com.cleversync.importing;

import com.cleversync.system.AppContext;
import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import com.cleversync.support.BookingChecksum;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line of the import: create-account, create-event, connect, terms, import; bad input writes nothing. */
class ImportCommandsTest extends ImportTestSupport {

    @Autowired
    ApplicationContext context;

    record Result(int code, String out, String err) {
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(AppContext.of(context), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void theCommandsSetUpAndRunAnImport() {
        Result account = run("create-account", "--name", "Lakeside", "--time-zone", "America/Denver");
        assertThat(account.code()).as(account.err()).isZero();
        String accountId = account.out().strip();
        Result event = run("create-event", "--account", accountId, "--name", "Spring conferences");
        String eventId = event.out().strip();
        Result connect = run("connect", "--account", accountId, "--token", sim.settings().token());
        assertThat(connect.code()).as(connect.err()).isZero();
        assertThat(connect.out()).contains(sim.district().name());
        assertThat(jdbcTemplate.queryForObject("SELECT token FROM clever_connection", String.class))
                .as("the token is stored encrypted").startsWith("v1:").doesNotContain(sim.settings().token());

        String school = sim.district().schools().getFirst().id();
        Result terms = run("terms", "--account", accountId, "--school", school);
        assertThat(terms.code()).as(terms.err()).isZero();
        String term = sim.district().termsOf(school).getFirst().id();
        assertThat(terms.out()).contains(term, sim.district().termsOf(school).getFirst().name());

        Result imported = run("import", "--event", eventId, "--school", school, "--term", term);
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("COMPLETED", "classes", "class_student");
        assertThat(count("SELECT COUNT(*) FROM event_import")).isEqualTo(1);
        Result again = run("import", "--event", eventId, "--school", school, "--term", term);
        assertThat(again.code()).isZero();
        assertThat(count("SELECT COUNT(*) FROM event_import")).isEqualTo(1);
    }

    @Test
    void badInputIsAOneLineErrorWithExitCode2AndWritesNothing() {
        Fixture f = fixture("Bad input");
        String before = BookingChecksum.of(jdbcTemplate, f.accountId());
        long imports = count("SELECT COUNT(*) FROM event_import");
        String school = f.schoolId();
        String term = f.termId();
        String[][] cases = {
                {"import", "--event", "999999", "--school", school, "--term", term},
                {"import", "--event", Long.toString(f.eventId()), "--school", "5a0000000000000000000000", "--term", term},
                {"import", "--event", Long.toString(f.eventId()), "--school", school, "--term", "5a0000000000000000000000"},
                {"import", "--event", Long.toString(f.eventId()), "--school", "x'; DROP TABLE contact; --", "--term", term},
                {"import", "--event", "-1", "--school", school, "--term", term},
                {"import", "--event", "99999999999999999999", "--school", school, "--term", term},
                {"import", "--event", "abc", "--school", school, "--term", term},
                {"import", "--school", school, "--term", term},
                {"terms", "--account", "424242", "--school", school},
                {"connect", "--account", Long.toString(f.accountId()), "--token", "not-the-token"},
                {"create-account", "--name", "X", "--time-zone", "Mars/Olympus"},
                {"create-event", "--account", "31337", "--name", "E"},
        };
        for (String[] args : cases) {
            Result r = run(args);
            assertThat(r.code()).as(String.join(" ", args) + " -> " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).doesNotContain(sim.settings().token(), "Exception");
        }
        assertThat(BookingChecksum.of(jdbcTemplate, f.accountId())).isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM event_import")).isEqualTo(imports);
        assertThat(count("SELECT COUNT(*) FROM account")).isEqualTo(1);
        assertThat(jdbcTemplate.queryForObject("SELECT token FROM clever_connection", String.class)).startsWith("v1:");
    }

    @Test
    void connectByDistrictUsesTheTokenTheAppHolds() {
        long account = accounts.createAccount("Invited", "UTC");
        Result ok = run("connect", "--account", Long.toString(account), "--district", sim.district().id());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains(sim.district().id());
        Result unknown = run("connect", "--account", Long.toString(account), "--district", "5a0000000000000000000009");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no token for Clever district");
        Result both = run("connect", "--account", Long.toString(account), "--district", "x", "--token", "y");
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void anAccountWithoutACleverConnectionIsToldToConnectFirst() {
        long account = accounts.createAccount("Unconnected", "UTC");
        long event = accounts.createEvent(account, "E");
        Result r = run("import", "--event", Long.toString(event), "--school", "5a0000000000000000000000", "--term", "5a0000000000000000000001");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no Clever connection", "connect");
    }
}
