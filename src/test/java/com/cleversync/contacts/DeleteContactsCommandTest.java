package com.cleversync.contacts;

import com.cleversync.ops.OpsFixtures;
import com.cleversync.ops.OpsFixtures.Run;
import com.cleversync.support.DatabaseTest;
import com.cleversync.system.BadInputException;
import com.cleversync.system.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contacts clean-slate: dry run, token, real run, cascades, and every way to get it wrong. */
class DeleteContactsCommandTest extends DatabaseTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    ContactCleanup cleanup;

    OpsFixtures data;
    long acme;
    long other;
    long teacher;

    @BeforeEach
    void data() {
        data = new OpsFixtures(jdbc);
        acme = data.account("Acme");
        other = data.account("Other");
        data.contact(acme, "ADMIN", "ADMIN");
        data.contact(acme, "ADMIN", "EVENT_ADMIN");
        teacher = data.contact(acme, "TEACHER", "HOST");
        long student = data.contact(acme, "STUDENT", "CUSTOMER");
        long parent = data.contact(acme, "PARENT", "CUSTOMER");
        data.contact(other, "TEACHER", "HOST");
        long event = data.event(acme, "E", true);
        long school = data.school(acme, "5f0000000000000000000001", "S", false);
        long imp = data.eventImport(event, school, "5f0000000000000000000001", "t1");
        jdbc.sql("INSERT INTO event_class (id, event_id, event_import_id, clever_section_id, name) VALUES (1, ?, ?, 'sec1', 'Math')")
                .param(event).param(imp).update();
        jdbc.sql("INSERT INTO class_teacher VALUES (1, ?)").param(teacher).update();
        jdbc.sql("INSERT INTO class_student VALUES (1, ?)").param(student).update();
        jdbc.sql("INSERT INTO student_parent (student_id, parent_id) VALUES (?, ?)").param(student).param(parent).update();
        jdbc.sql("INSERT INTO contact_clever_user (account_id, clever_user_id, contact_id) VALUES (?, 'u1', ?)")
                .param(acme).param(teacher).update();
    }

    @Test
    void dryRunThenConfirmDeletesTheLevelAndBelow() {
        Run dry = OpsFixtures.run(context, "delete-contacts", "--account", String.valueOf(acme), "--level", "host", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would delete 3 contact(s)").containsPattern("HOST\\s+1").containsPattern("CUSTOMER\\s+2")
                .doesNotContain("EVENT_ADMIN");
        assertThat(contacts(acme)).isEqualTo(5);
        String token = token(dry.out());

        Run wrongLevel = OpsFixtures.run(context, "delete-contacts", "--account", String.valueOf(acme), "--level", "CUSTOMER", "--confirm", token);
        assertThat(wrongLevel.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(contacts(acme)).isEqualTo(5);

        Run real = OpsFixtures.run(context, "delete-contacts", "--account", String.valueOf(acme), "--level", "HOST", "--confirm", token);
        assertThat(real.code()).as(real.err()).isZero();
        assertThat(real.out()).contains("deleted 3 contact(s)");
        assertThat(data.count("SELECT COUNT(*) FROM contact WHERE account_id = ? ORDER BY 1", acme)).isEqualTo(2);
        assertThat(data.count("SELECT COUNT(*) FROM contact WHERE account_id = ? AND access_level IN ('ADMIN','EVENT_ADMIN')", acme)).isEqualTo(2);
        assertThat(contacts(other)).isEqualTo(1);
        assertThat(data.count("SELECT COUNT(*) FROM class_teacher")).isZero();
        assertThat(data.count("SELECT COUNT(*) FROM class_student")).isZero();
        assertThat(data.count("SELECT COUNT(*) FROM student_parent")).isZero();
        assertThat(data.count("SELECT COUNT(*) FROM contact_clever_user")).isZero();
        assertThat(data.count("SELECT COUNT(*) FROM event_class")).isOne();

        Run again = OpsFixtures.run(context, "delete-contacts", "--account", String.valueOf(acme), "--level", "HOST", "--confirm", token);
        assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains("already used");
    }

    @Test
    void changedCountsInvalidateTheToken() {
        ContactDeletion dry = cleanup.dryRun(acme, ContactLevel.ADMIN);
        assertThat(dry.total()).isEqualTo(5);
        data.contact(acme, "PARENT", "CUSTOMER");
        assertThatThrownBy(() -> cleanup.delete(acme, ContactLevel.ADMIN, dry.confirmationToken()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("changed since the dry run");
        assertThat(contacts(acme)).isEqualTo(6);
        assertThatThrownBy(() -> cleanup.delete(other, ContactLevel.ADMIN, dry.confirmationToken()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("another account");
    }

    @Test
    void expiredTokenIsRefused() {
        ContactDeletion dry = cleanup.dryRun(acme, ContactLevel.CUSTOMER);
        jdbc.sql("UPDATE contact_deletion_token SET expires_at = CURRENT_TIMESTAMP(3) - INTERVAL 1 MINUTE").update();
        assertThatThrownBy(() -> cleanup.delete(acme, ContactLevel.CUSTOMER, dry.confirmationToken()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("expired");
        assertThat(contacts(acme)).isEqualTo(5);
    }

    @Test
    void badInputExitsTwoAndDeletesNothing() {
        String a = String.valueOf(acme);
        String[][] bad = {
                {"delete-contacts", "--account", a, "--level", "TEACHERS", "--dry-run"},
                {"delete-contacts", "--account", "x", "--level", "HOST", "--dry-run"},
                {"delete-contacts", "--account", "-1", "--level", "HOST", "--dry-run"},
                {"delete-contacts", "--account", "123456", "--level", "HOST", "--dry-run"},
                {"delete-contacts", "--account", a, "--level", "HOST"},
                {"delete-contacts", "--account", a, "--level", "HOST", "--dry-run", "--confirm", "abc"},
                {"delete-contacts", "--account", a, "--level", "HOST", "--confirm", "not-a-token"},
                {"delete-contacts", "--level", "HOST", "--dry-run"},
        };
        for (String[] args : bad) {
            Run r = OpsFixtures.run(context, args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
        assertThat(contacts(acme)).isEqualTo(5);
        assertThat(data.count("SELECT COUNT(*) FROM contact_deletion_token")).isZero();
        assertThat(OpsFixtures.run(context, "delete-contacts", "--help").out()).contains("--dry-run", "--confirm");
    }

    private long contacts(long account) {
        return data.count("SELECT COUNT(*) FROM contact WHERE account_id = ?", account);
    }

    private static String token(String out) {
        Matcher m = Pattern.compile("--confirm (\\S+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }
}
