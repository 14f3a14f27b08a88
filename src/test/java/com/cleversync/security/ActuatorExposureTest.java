package com.cleversync.security;

import com.cleversync.ops.Http;
import com.cleversync.ops.OpsFixtures;
import com.cleversync.ops.OpsWebTest;
import com.cleversync.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Actuator lets no one in: without credentials only health and info answer (health without details);
 * env, configprops, heapdump, threaddump, beans, mappings, loggers and shutdown are not exposed to anyone, not
 * even the operator; and no response an operator can get carries a secret (Clever token, token key, database or
 * ops password).
 */
class ActuatorExposureTest extends OpsWebTest {

    private static final List<String> NEVER_EXPOSED = List.of("env", "env/clever-sync.token-key", "configprops", "heapdump",
            "threaddump", "beans", "mappings", "loggers", "shutdown", "scheduledtasks", "conditions", "caches", "logfile",
            "startup", "sbom");
    private static final List<String> OPERATOR_ONLY = List.of("metrics", "metrics/jvm.memory.used", "imports", "sync", "fees",
            "contacts", "terms");

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int serverPort;

    @Test
    void withoutCredentialsOnlyHealthAndInfoAnswer() {
        Http nobody = Http.anonymous(serverPort);
        assertThat(nobody.get("/actuator/health").status()).isEqualTo(200);
        assertThat(nobody.get("/actuator/health").body()).doesNotContain("components", "details");
        assertThat(nobody.get("/actuator/info").status()).isEqualTo(200);
        // Kubernetes probes: the health groups answer too, without details.
        assertThat(nobody.get("/actuator/health/readiness").body()).doesNotContain("components", "details");
        for (String endpoint : concat(OPERATOR_ONLY, NEVER_EXPOSED)) {
            assertThat(nobody.get("/actuator/" + endpoint).status()).as(endpoint).isEqualTo(401);
        }
        assertThat(nobody.as("ops", "wrong-password").get("/actuator/metrics").status()).isEqualTo(401);
        assertThat(nobody.get("/").status()).as("nothing but the Actuator is served").isIn(401, 403, 404);
    }

    @Test
    void envAndConfigpropsAreNotExposedEvenToTheOperator() {
        for (String endpoint : NEVER_EXPOSED) {
            Http.Response r = ops.get("/actuator/" + endpoint);
            assertThat(r.status()).as(endpoint).isIn(403, 404);
            assertThat(r.body()).as(endpoint).doesNotContain("propertySources", "spring.datasource.url", "contexts", "\"value\"",
                    com.cleversync.support.DatabaseTest.TEST_TOKEN_KEY);
            assertThat(ops.post("/actuator/" + endpoint, "{}").status()).as("POST " + endpoint).isIn(403, 404, 405);
        }
        assertThat(ops.get("/actuator").body()).doesNotContain("/env", "/configprops", "/heapdump", "/threaddump");
    }

    @Test
    void noOperatorResponseCarriesASecret() {
        OpsFixtures.Imported f = data.connectedImport(context, "Secret district", 0);
        String execution = ops.post("/actuator/imports", "{\"event\": " + f.eventId() + ", \"school\": \"" + f.schoolId()
                + "\", \"term\": \"" + f.termId() + "\"}").body();
        List<String> bodies = new ArrayList<>();
        bodies.add(execution);
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/info", "/actuator/metrics",
                "/actuator/metrics/clever.requests", "/actuator/imports", "/actuator/sync", "/actuator/fees",
                "/actuator/health/readiness", "/actuator/health/liveness")) {
            Http.Response r = ops.get(path);
            assertThat(r.status()).as(path).isLessThan(500);
            bodies.add(r.body());
        }
        String token = CLEVER.settings().token();
        String dbPassword = TestDatabase.get().password();
        for (String body : bodies) {
            assertThat(body).doesNotContain(token, com.cleversync.support.DatabaseTest.TEST_TOKEN_KEY, "correct-horse-battery",
                    "viewer-password");
            if (!dbPassword.isEmpty()) {
                assertThat(body).doesNotContain(dbPassword);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
