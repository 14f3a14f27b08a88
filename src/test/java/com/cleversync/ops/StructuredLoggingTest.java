package com.cleversync.ops;

import com.cleversync.support.DatabaseTest;
import com.cleversync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code logging.structured.format.console=ecs} turns the jar's log lines into one JSON object each. */
class StructuredLoggingTest extends DatabaseTest {

    @Test
    void ecsFormatLogsJsonLines() throws Exception {
        OpsFixtures data = new OpsFixtures(jdbc);
        long event = data.event(data.account("Acme"), "Spring", true);
        TestDatabase db = TestDatabase.get();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dspring.datasource.url=" + db.url(), "-Dspring.datasource.username=" + db.username(),
                "-Dspring.datasource.password=" + db.password(), "-Dlogging.structured.format.console=ecs",
                "com.cleversync.CleverSyncApplication", "stop-sync", "--event", String.valueOf(event)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String line = out.lines().filter(l -> l.contains("sync stopped for event " + event)).filter(l -> l.startsWith("{"))
                .findFirst().orElseThrow(() -> new AssertionError("no JSON log line in:\n" + out));
        JsonNode json = JsonMapper.builder().build().readTree(line);
        assertThat(json.has("log.level") ? json.get("log.level").asString() : json.at("/log/level").asString()).isEqualTo("INFO");
        assertThat(json.get("message").asString()).contains("sync stopped for event " + event);
        assertThat(json.has("@timestamp")).isTrue();
        assertThat(out).contains("sync stopped for event " + event + " (Spring)");
    }
}
