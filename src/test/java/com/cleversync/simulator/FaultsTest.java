package com.cleversync.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Each fault switch over real HTTP, and that clear() restores normal service. */
class FaultsTest {

    static CleverSimulator clever;
    static SimHttp http;

    @BeforeAll
    static void start() {
        clever = CleverSimulator.start(SimulatorSettings.defaults());
        http = new SimHttp(clever);
    }

    @AfterAll
    static void stop() {
        clever.close();
    }

    @AfterEach
    void clear() {
        clever.faults().clear();
        assertThat(http.get("/v3.0/schools").status()).isEqualTo(200);
    }

    @Test
    void serverErrorsComeWithHtmlBodies() {
        clever.faults().serverErrorRate(1.0);
        Set<Integer> statuses = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            SimHttp.Response r = http.get("/v3.0/sections");
            statuses.add(r.status());
            assertThat(r.header("Content-Type")).startsWith("text/html");
            assertThat(r.body()).contains("<html>");
        }
        assertThat(statuses).isSubsetOf(500, 502, 503).hasSizeGreaterThan(1);
        clever.faults().serverErrorRate(0.5);
        int errors = 0;
        for (int i = 0; i < 40; i++) {
            if (http.get("/v3.0/terms").status() >= 500) {
                errors++;
            }
        }
        assertThat(errors).isBetween(5, 35);
    }

    @Test
    void resetMidBodyCutsTheConnection() {
        clever.faults().resetMidBodyRate(1.0);
        Throwable failure = catchThrowable(() -> http.get("/v3.0/users?limit=50"));
        assertThat(failure).isInstanceOf(UncheckedIOException.class);
        // Error responses are not cut.
        assertThat(http.get("/v3.0/users/000000000000000000000000").status()).isEqualTo(404);
    }

    @Test
    void truncatedJsonHasCompleteHeadersButABrokenBody() {
        clever.faults().truncatedJsonRate(1.0);
        SimHttp.Response r = http.get("/v3.0/users?limit=20");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.body()).startsWith("{\"data\":[");
        assertThatThrownBy(r::json).isInstanceOf(RuntimeException.class);
    }

    @Test
    void latencyDelaysEveryRequest() {
        clever.faults().latency(Duration.ofMillis(250));
        long start = System.nanoTime();
        assertThat(http.get("/v3.0/schools").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void malformedRecordKeepsThePageValidJson() {
        SimSection section = clever.district().sections().get(2);
        SimUser user = clever.district().users("student").get(1);
        clever.faults().malformedRecord(section.id());
        clever.faults().malformedRecord(user.id());
        JsonNode page = http.get("/v3.0/sections?limit=5").json();
        JsonNode broken = page.get("data").get(2).get("data");
        assertThat(broken.get("id").asString()).isEqualTo(section.id());
        assertThat(broken.get("name").isNumber()).isTrue();
        assertThat(broken.get("students").isString()).isTrue();
        assertThat(page.get("data").get(1).get("data").get("name").isString()).isTrue();
        JsonNode badUser = http.get("/v3.1/users/" + user.id()).json().get("data");
        assertThat(badUser.get("name").isNumber()).isTrue();
        assertThat(badUser.get("roles").isString()).isTrue();
    }

    @Test
    void revokedTokenGets401UntilRestored() {
        clever.faults().revokeToken(true);
        SimHttp.Response r = http.get("/v3.0/districts");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asString()).isNotBlank();
        assertThat(http.getBasic("/oauth/tokens?owner_type=district", "demo-client-id", "demo-client-secret")
                .json().get("data")).isEmpty();
        clever.faults().revokeToken(false);
        assertThat(http.get("/v3.0/districts").status()).isEqualTo(200);
    }

    @Test
    void failAfterAnswersTheStatusForeverUntilCleared() {
        clever.faults().failAfter(2, 500);
        assertThat(http.get("/v3.0/schools").status()).isEqualTo(200);
        assertThat(http.get("/v3.0/terms").status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(http.get("/v3.0/schools").status()).isEqualTo(500);
        }
        clever.faults().failAfter(-1, 500);
        assertThat(http.get("/v3.0/schools").status()).isEqualTo(200);
        clever.faults().failAfter(0, 503);
        assertThat(http.get("/v3.0/schools").status()).isEqualTo(503);
        clever.faults().clear();
        assertThat(http.get("/v3.0/schools").status()).isEqualTo(200);
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThatThrownBy(() -> clever.faults().serverErrorRate(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> clever.faults().latency(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
