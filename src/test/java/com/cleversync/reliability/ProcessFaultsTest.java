package com.cleversync.reliability;

import com.cleversync.CleverSyncApplication;
import com.cleversync.importing.ImportService;
import com.cleversync.importing.RunOptions;
import com.cleversync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults below the application: the database connection cut in the middle of a chunk (a TCP proxy in front of
 * the database), and two processes starting the same import at the same moment.
 */
class ProcessFaultsTest extends SimulatedDistrictTest {

    @Test
    void databaseConnectionsCutMidChunkFailTheRunAndARestartCompletesIt() throws Exception {
        String reference = referenceInitialImport();
        Fixture f = fixture();
        TestDatabase db = TestDatabase.get();
        Matcher hostPort = Pattern.compile("//([^/:]+):(\\d+)/").matcher(db.url());
        assertThat(hostPort.find()).isTrue();

        try (TcpProxy proxy = new TcpProxy(hostPort.group(1), Integer.parseInt(hostPort.group(2)));
             ConfigurableApplicationContext app = proxiedApplication(db, proxy)) {
            ImportService proxied = app.getBean(ImportService.class);
            sim.faults().latency(Duration.ofMillis(60));
            CompletableFuture<JobExecution> running = CompletableFuture.supplyAsync(
                    () -> proxied.run(f.eventImportId(), RunOptions.manual()));
            await("a committed chunk of students", Duration.ofSeconds(60),
                    () -> running.isDone()
                            || count("SELECT COUNT(*) FROM contact WHERE account_id = ? AND kind = 'STUDENT'", f.accountId()) > 0);
            assertThat(running).as("the run is still going when the connections are cut").isNotDone();
            proxy.dropAll();

            String outcome;
            try {
                JobExecution first = running.get(90, TimeUnit.SECONDS);
                outcome = first.getStatus() + ": " + first.getExitStatus().getExitDescription().lines().findFirst().orElse("");
                // A cut during the chunk's commit leaves Spring Batch unsure whether it committed: UNKNOWN (never
                // restarted in place; the next run starts a fresh instance that reads everything again).
                assertThat(first.getStatus()).as(outcome).isIn(BatchStatus.FAILED, BatchStatus.UNKNOWN, BatchStatus.COMPLETED);
            } catch (ExecutionException e) {
                outcome = "thrown: " + e.getCause();
            }
            System.out.println("connections cut: " + proxy.dropped() + " sockets; the run " + outcome);
            assertThat(proxy.dropped()).as("connections really were cut").isPositive();
            assertThat(count("SELECT COUNT(*) FROM event_class WHERE event_id = ?", f.eventId()))
                    .as("the failed run never reached the classes step").isZero();

            sim.faults().clear();
            // An operator restarts later, not within Hikari's 500 ms validation bypass: by then the pool tests the
            // connections the cut left behind and replaces them.
            Thread.sleep(1000);
            JobExecution restarted = proxied.run(f.eventImportId(), RunOptions.manual());
            assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(checksum(f)).isEqualTo(reference);
        }
    }

    @Test
    void twoProcessesStartingTheSameImportAtOnceRunItExactlyOnce() {
        String reference = referenceInitialImport();
        Fixture f = fixture();
        // Slow requests keep the winner's run going while the other process starts and tries its luck.
        sim.faults().latency(Duration.ofMillis(800));
        String[] command = {"import", "--event", Long.toString(f.eventId()), "--school", f.schoolId(), "--term", f.termId()};
        List<ChildJvm> children = new ArrayList<>();
        try {
            children.add(ChildJvm.start(childProperties(), Map.of(), List.of(), command));
            children.add(ChildJvm.start(childProperties(), Map.of(), List.of(), command));
            await("one of the processes to give up", Duration.ofSeconds(90),
                    () -> children.stream().anyMatch(c -> !c.isAlive()));
            ChildJvm loser = children.stream().filter(c -> !c.isAlive()).findFirst().orElseThrow();
            ChildJvm winner = children.stream().filter(c -> c != loser).findFirst().orElseThrow();
            sim.faults().clear();

            assertThat(loser.waitFor(10)).as(loser.output()).isEqualTo(1);
            assertThat(loser.output()).contains("import " + f.eventImportId() + " is already running");
            assertThat(winner.waitFor(90)).as(winner.output()).isZero();
            assertThat(winner.output()).contains("COMPLETED");
        } finally {
            children.forEach(ChildJvm::destroy);
        }
        assertThat(count("""
                SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_PARAMS WHERE PARAMETER_NAME = 'eventImportId' AND PARAMETER_VALUE = ?""",
                Long.toString(f.eventImportId()))).as("job executions of the import").isEqualTo(1);
        assertThat(checksum(f)).isEqualTo(reference);
    }

    private static ConfigurableApplicationContext proxiedApplication(TestDatabase db, TcpProxy proxy) {
        String url = db.url().replaceFirst("//[^/:]+:\\d+/", "//127.0.0.1:" + proxy.port() + "/");
        Map<String, String> props = new java.util.HashMap<>(childProperties());
        props.put("spring.datasource.url", url);
        props.put("spring.datasource.hikari.connection-timeout", "3000");
        // Command-line arguments: they outrank application.yml (default properties would not).
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(CleverSyncApplication.class).web(WebApplicationType.NONE)
                .logStartupInfo(false).run(args);
    }
}
