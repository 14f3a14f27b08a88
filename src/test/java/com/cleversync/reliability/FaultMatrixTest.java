package com.cleversync.reliability;

import com.cleversync.importing.ImportReport;
import com.cleversync.importing.RunOptions;
import com.cleversync.importing.RunStats;
import com.cleversync.simulator.SimSection;
import com.cleversync.system.AppContext;
import com.cleversync.system.Cli;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.context.ApplicationContext;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The import under the faults a real Clever and a real network produce, injected by the simulator over HTTP.
 * Every case ends with the booking tables identical (checksum) to an undisturbed run's, or with a clear failure
 * that removed nothing and that a restart completes to exactly that state.
 */
class FaultMatrixTest extends SimulatedDistrictTest {

    @org.springframework.beans.factory.annotation.Autowired
    ApplicationContext context;

    private JobExecution importNow(Fixture f) {
        return imports.run(f.eventImportId(), RunOptions.manual());
    }

    private void assertCompletedLikeUndisturbed(Fixture f, JobExecution run, String reference) {
        assertThat(run.getStatus()).as(run.getExitStatus().getExitDescription()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(checksum(f)).as("booking tables equal an undisturbed run's").isEqualTo(reference);
    }

    private long serverErrors() {
        return sim.requests().countStatus(500) + sim.requests().countStatus(502) + sim.requests().countStatus(503);
    }

    @Test
    void rateLimitStormIsWaitedOut() {
        String reference = referenceInitialImport();
        // 10 requests per 2 s window: the import needs several times that, so it runs into the limit again and again.
        restartSimulator(settings().withRateLimitPerMinute(10).withRateLimitWindow(Duration.ofSeconds(2)));
        Fixture f = fixture();
        sim.requests().reset();
        // Another client of the same district token takes 7 of every window's 10 requests in one burst, so the
        // import's own pacing cannot avoid every 429 (those carry X-Ratelimit-Reset). On top, after the import's
        // fifth request a proxy answers every request with a bare 429 (no headers) for 1.5 s.
        sim.faults().failAfter(4, 429);
        Thread lifter = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (sim.requests().countStatus(429) == 0) {
                    Thread.sleep(10);
                }
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sim.faults().failAfter(-1, 429);
        });
        JobExecution run;
        long app429s;
        try (NoisyNeighbour neighbour = new NoisyNeighbour(sim.baseUrl() + "/v3.0/districts", sim.settings().token(), 7,
                Duration.ofSeconds(2))) {
            run = importNow(f);
            neighbour.close();
            app429s = sim.requests().countStatus(429) - neighbour.tooManyRequests();
        } finally {
            lifter.interrupt();
        }

        assertCompletedLikeUndisturbed(f, run, reference);
        System.out.println("429 storm: " + sim.requests() + ", the import waited out " + app429s + " 429s");
        assertThat(app429s).as("429s the import itself received and waited out").isGreaterThanOrEqualTo(3);
    }

    @Test
    void serverErrorsWithHtmlBodiesAreRetried() {
        String reference = referenceInitialImport();
        Fixture f = fixture();
        sim.requests().reset();
        sim.faults().serverErrorRate(0.10);

        JobExecution run = importNow(f);

        assertCompletedLikeUndisturbed(f, run, reference);
        assertThat(serverErrors()).as("5xx answers served").isPositive();
    }

    @Test
    void connectionResetsMidBodyAreRetried() {
        String reference = referenceInitialImport();
        Fixture f = fixture();
        sim.requests().reset();
        sim.faults().resetMidBodyRate(0.20);

        JobExecution run = importNow(f);

        assertCompletedLikeUndisturbed(f, run, reference);
        System.out.println("resets: " + sim.requests());
    }

    @Test
    void twoSecondLatencyOnEveryRequestOnlySlowsTheRunDown() {
        // A tiny school keeps the number of slow requests (and the test's time) small.
        restartSimulator(settings().withSchools(1).withStudentsPerSchool(12));
        Fixture clean = fixture();
        assertThat(importNow(clean).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        String reference = checksum(clean);
        cleanAllTables(jdbcTemplate);

        Fixture f = fixture();
        sim.requests().reset();
        sim.faults().latency(Duration.ofSeconds(2));
        long started = System.nanoTime();

        JobExecution run = importNow(f);

        assertCompletedLikeUndisturbed(f, run, reference);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("latency: " + sim.requests() + " in " + millis + " ms");
        assertThat(sim.requests().total()).isGreaterThanOrEqualTo(3);
        assertThat(millis).as("the requests really were slow").isGreaterThanOrEqualTo(2000L * 3);
    }

    @Test
    void truncatedJsonPagesAreRetried() {
        String reference = referenceInitialImport();
        Fixture f = fixture();
        sim.requests().reset();
        sim.faults().truncatedJsonRate(0.20);

        JobExecution run = importNow(f);

        assertCompletedLikeUndisturbed(f, run, reference);
        System.out.println("truncated: " + sim.requests());
    }

    @Test
    void aMalformedRecordIsSkippedAndReportedAndTheNextSyncBringsItIn() {
        String reference = referenceInitialImport();
        Fixture f = fixture();
        SimSection section = firstSection(f);
        String student = section.studentIds().getFirst();
        sim.faults().malformedRecord(student);

        JobExecution run = importNow(f);

        assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        ImportReport report = imports.report(run.getId());
        assertThat(report.count("students", RunStats.SKIPPED)).isEqualTo(1);
        assertThat(report.format()).contains(student);
        assertThat(count("SELECT COUNT(*) FROM contact_clever_user WHERE clever_user_id = ?", student)).isZero();

        sim.faults().clear();
        JobExecution next = imports.run(f.eventImportId(), RunOptions.nightly());
        assertCompletedLikeUndisturbed(f, next, reference);
    }

    @Test
    void tokenRevokedMidRunFailsClearlyRemovesNothingAndTheRestartCompletes() throws Exception {
        String reference = referenceAfterSync("drop-one-enrollment", FaultMatrixTest::dropOneEnrollment);
        Fixture f = fixture();
        assertThat(importNow(f).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        String dropped = dropOneEnrollment(f);
        List<String> before = rows(f);
        long enrolled = enrollment(f, dropped);
        assertThat(enrolled).isEqualTo(1);
        sim.requests().reset();
        sim.faults().latency(Duration.ofMillis(40));

        CompletableFuture<JobExecution> running = CompletableFuture.supplyAsync(
                () -> imports.run(f.eventImportId(), RunOptions.nightly()));
        await("the students step to start reading", Duration.ofSeconds(30),
                () -> sim.requests().count("/v3.0/schools/" + f.schoolId() + "/users") >= 2);
        sim.faults().revokeToken(true);
        JobExecution failed = running.get(60, TimeUnit.SECONDS);

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        String message = failed.getExitStatus().getExitDescription();
        assertThat(message).contains("401", sim.district().id()).doesNotContain(sim.settings().token());
        assertThat(rows(f)).as("nothing removed").containsAll(before);
        assertThat(enrollment(f, dropped)).as("the enrollment Clever dropped is still there").isEqualTo(1);

        sim.faults().clear();
        JobExecution restarted = imports.run(f.eventImportId(), RunOptions.nightly());
        assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
        assertCompletedLikeUndisturbed(f, restarted, reference);
    }

    @Test
    void aDistrictThatSuddenlyReturnsNoSectionsIsStoppedByTheMassRemovalGuard() {
        Fixture f = fixture();
        assertThat(importNow(f).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        String before = checksum(f);
        // The SIS export comes back nearly empty: every section of the term but one is gone.
        List<SimSection> sections = sim.district().sectionsOf(f.schoolId()).stream()
                .filter(s -> f.termId().equals(s.termId())).toList();
        sections.stream().skip(1).forEach(s -> sim.mutations().deleteSection(s.id()));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cli.run(AppContext.of(context), new PrintWriter(out), new PrintWriter(err),
                "import", "--event", Long.toString(f.eventId()), "--school", f.schoolId(), "--term", f.termId());

        assertThat(exit).as(out + "\n" + err).isEqualTo(1);
        assertThat(out.toString()).contains("FAILED").contains("--allow-mass-removal").contains("nothing was removed");
        assertThat(checksum(f)).as("nothing removed").isEqualTo(before);

        // The admin confirms Clever really dropped them: the override runs the removal.
        int confirmed = Cli.run(AppContext.of(context), new PrintWriter(out), new PrintWriter(err), "import", "--event",
                Long.toString(f.eventId()), "--school", f.schoolId(), "--term", f.termId(), "--allow-mass-removal");
        assertThat(confirmed).isZero();
        assertThat(count("SELECT COUNT(*) FROM event_class WHERE event_id = ?", f.eventId())).isEqualTo(1);
    }

    /** Clever drops one student from the first section (one enrollment of many: under the mass-removal guard). */
    static String dropOneEnrollment(Fixture f) {
        SimSection section = firstSection(f);
        String student = section.studentIds().getFirst();
        sim.mutations().dropStudentFromSection(section.id(), student);
        return section.id() + "/" + student;
    }

    private long enrollment(Fixture f, String sectionAndStudent) {
        String[] ids = sectionAndStudent.split("/");
        return count("""
                SELECT COUNT(*) FROM class_student cs JOIN event_class ec ON ec.id = cs.class_id
                JOIN contact_clever_user ccu ON ccu.contact_id = cs.contact_id
                WHERE ec.event_id = ? AND ec.clever_section_id = ? AND ccu.clever_user_id = ?""", f.eventId(), ids[0], ids[1]);
    }
}
