package com.cleversync.incremental;

import com.cleversync.support.DatabaseTest;
import com.cleversync.support.TestDatabase;
import com.cleversync.sync.NightlyReport;
import com.cleversync.system.ExitCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote partitioning with real processes: two worker JVMs and a manager JVM against the simulator and the test
 * database. One worker is killed in the middle of its district; the manager notices, the run fails, the other
 * districts complete; restarting the run redoes only the lost district, and every district ends with exactly the
 * booking rows a single-process nightly gives.
 */
class RemotePartitioningTest extends NightlyTestSupport {

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledWorkersDistrictIsRedoneByTheRestartAndTheResultEqualsASingleProcessRun() throws Exception {
        List<District> remote = List.of(district("Remote A", 0, 1), district("Remote B", 0, 1), district("Remote C", 0, 1));
        sim.faults().latency(Duration.ofMillis(40));

        Process w1 = start("worker-1", "worker");
        Process w2 = start("worker-2", "worker");
        waitForLog("worker-1", "worker ready", w1);
        waitForLog("worker-2", "worker ready", w2);

        Process manager = start("manager-1", "nightly");
        waitForLog("worker-1", "started: execution", w1);
        w1.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        assertThat(manager.waitFor(150, TimeUnit.SECONDS)).as(log("manager-1")).isTrue();
        assertThat(manager.exitValue()).as(log("manager-1")).isEqualTo(ExitCodes.FAILED);
        assertThat(log("manager-1")).contains("is gone");
        Map<String, String> firstRun = partitionStatuses();
        assertThat(firstRun).as(log("manager-1")).hasSize(3).containsValue("FAILED").containsValue("COMPLETED");
        List<String> completedFirst = firstRun.entrySet().stream().filter(e -> e.getValue().equals("COMPLETED"))
                .map(Map.Entry::getKey).toList();
        assertThat(completedFirst).hasSize(2);

        Process restart = start("manager-2", "nightly");
        assertThat(restart.waitFor(150, TimeUnit.SECONDS)).as(log("manager-2")).isTrue();
        assertThat(restart.exitValue()).as(log("manager-2") + log("worker-2")).isEqualTo(ExitCodes.OK);
        assertThat(log("manager-2")).contains("FULL sync (no full sync yet)").contains("done in run");
        assertThat(partitionStatuses()).hasSize(3).allSatisfy((name, status) -> assertThat(status).isEqualTo("COMPLETED"));
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT JOB_INSTANCE_ID) FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i "
                + "USING (JOB_INSTANCE_ID) WHERE i.JOB_NAME = 'nightlySyncJob'").query(Long.class).single()).as("restarted, not started anew").isOne();
        for (String name : completedFirst) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = ?").param(name)
                    .query(Long.class).single()).as(name + " was not redone").isOne();
        }
        // Each import of a district done in the first run ran once; the killed district's imports were restarted.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM BATCH_JOB_INSTANCE WHERE JOB_NAME = 'cleverImportJob'").query(Long.class).single())
                .isEqualTo(6);
        restart.waitFor();
        w2.destroy();

        sim.faults().latency(Duration.ZERO);
        for (District d : remote) {
            District reference = district("Single " + d.accountId(), 0, 1);
            nightly.runDistrict(reference.accountId(), new ArrayList<NightlyReport.Row>());
            assertThat(checksum(d.accountId())).as("district of account " + d.accountId()).isEqualTo(checksum(reference.accountId()));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM contact WHERE account_id = ?").param(d.accountId()).query(Long.class).single()).isPositive();
        }
    }

    private Map<String, String> partitionStatuses() {
        return jdbc.sql("""
                        SELECT s.STEP_NAME, s.STATUS FROM BATCH_STEP_EXECUTION s WHERE s.STEP_EXECUTION_ID IN
                          (SELECT MAX(STEP_EXECUTION_ID) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE 'nightlyDistrictStep:%' GROUP BY STEP_NAME)""")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private Process start(String name, String command) throws Exception {
        TestDatabase db = TestDatabase.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dspring.datasource.url=" + db.url(),
                "-Dspring.datasource.username=" + db.username(),
                "-Dspring.datasource.password=" + db.password(),
                "-Dclever.api.base-url=" + sim.baseUrl(),
                "-Dclever.page-limit=50",
                "-Dclever-sync.import.chunk-size=50",
                "-Dclever-sync.token-key=" + DatabaseTest.TEST_TOKEN_KEY,
                "-Dclever-sync.nightly.mode=manager",
                "-Dclever-sync.nightly.remote.poll-interval=300ms",
                "-Dclever-sync.nightly.remote.worker-poll=200ms",
                "-Dclever-sync.nightly.remote.dead-after=3s",
                "-Dclever-sync.nightly.remote.timeout=140s",
                "com.cleversync.CleverSyncApplication", command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile(name)).start();
        children.add(p);
        return p;
    }

    private static File logFile(String name) {
        return new File("target/remote-" + name + ".log");
    }

    private static String log(String name) {
        try {
            return Files.readString(logFile(name).toPath());
        } catch (Exception e) {
            return "(no log)";
        }
    }

    private static void waitForLog(String name, String text, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (log(name).contains(text)) {
                return;
            }
            assertThat(p.isAlive()).as(name + " died:\n" + log(name)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never logged '" + text + "':\n" + log(name));
    }
}
