package com.cleversync.security;

import com.cleversync.reliability.ChildJvm;
import com.cleversync.reliability.SimulatedDistrictTest;
import com.cleversync.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret in any output: a real process runs an import with every logger at DEBUG (Spring, Hikari, the MySQL
 * driver, Spring Batch, and the JDK HTTP client's own wire log), a known Clever token and a known database
 * password, through retries and a failure; neither secret may appear anywhere in what it printed.
 */
class SecretLeakTest extends SimulatedDistrictTest {

    private String user;

    @AfterEach
    void dropUser() {
        if (user != null) {
            for (String host : List.of("%", "localhost", "127.0.0.1")) {
                jdbcTemplate.execute("DROP USER IF EXISTS '" + user + "'@'" + host + "'");
            }
        }
    }

    @Test
    void neitherTheTokenNorTheDatabasePasswordAppearsInDebugOutput() {
        String random = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        String token = "tok-secret-" + random;
        String password = "Pw-secret-" + random;
        user = "cs_leak_" + random.substring(0, 8);
        TestDatabase db = TestDatabase.get();
        for (String host : List.of("%", "localhost", "127.0.0.1")) {
            jdbcTemplate.execute("CREATE USER '" + user + "'@'" + host + "' IDENTIFIED BY '" + password + "'");
            jdbcTemplate.execute("GRANT ALL PRIVILEGES ON `" + db.schema() + "`.* TO '" + user + "'@'" + host + "'");
        }
        restartSimulator(settings().withToken(token));
        Fixture f = fixture();
        // Retries (5xx with HTML bodies) and, after a while, a 401: the failure path logs exceptions too.
        sim.faults().serverErrorRate(0.15);
        sim.faults().failAfter(14, 401);

        Map<String, String> props = new LinkedHashMap<>(childProperties());
        props.remove("spring.datasource.username");
        props.remove("spring.datasource.password");
        props.put("logging.level.root", "DEBUG");
        props.put("logging.level.com.cleversync", "DEBUG");
        props.put("logging.level.org.springframework", "DEBUG");
        props.put("logging.level.com.zaxxer.hikari", "DEBUG");
        props.put("logging.level.com.mysql", "DEBUG");
        props.put("logging.level.jdk.httpclient", "DEBUG");
        props.put("jdk.httpclient.HttpClient.log", "all");
        ChildJvm child = ChildJvm.start(props,
                Map.of("SPRING_DATASOURCE_USERNAME", user, "SPRING_DATASOURCE_PASSWORD", password), List.of(),
                "import", "--event", Long.toString(f.eventId()), "--school", f.schoolId(), "--term", f.termId());
        int exit = child.waitFor(180);
        String output = child.output();


        assertThat(exit).as("the import ran and failed on the 401: " + tail(output)).isEqualTo(1);
        assertThat(output).as("the import report names the district, not the token").contains("401", sim.district().id());
        assertThat(output).as("DEBUG really was on").contains(" DEBUG ", "com.zaxxer.hikari", "org.springframework.batch");
        assertThat(output).as("the JDK HTTP client's wire log really was on").contains("jdk.httpclient");
        assertThat(sim.requests().total()).isGreaterThan(10);
        System.out.println("debug output scanned: " + output.length() + " chars, " + output.lines().count() + " lines");

        assertThat(leaks(output, token)).as("the Clever token leaked").isEmpty();
        assertThat(leaks(output, password)).as("the database password leaked").isEmpty();
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        assertThat(output).doesNotContain(basic);
    }

    private static List<String> leaks(String output, String secret) {
        return output.lines().filter(l -> l.contains(secret)).limit(5).map(l -> l.length() > 300 ? l.substring(0, 300) : l).toList();
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
