package com.cleversync.clever;

import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimUser;
import com.cleversync.simulator.SimulatorSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Clever's per-token fixed window, shortened to 5 requests per 2 s in the simulator. */
class CleverRateLimitTest {

    CleverSimulator sim;
    CleverCredentials credentials;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        sim = CleverSimulator.start(SimulatorSettings.defaults().withRateLimitPerMinute(5)
                .withRateLimitWindow(Duration.ofSeconds(2)));
        credentials = new CleverCredentials("Rate Limited District", sim.settings().token());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    CleverClient client(int reserve, int maxWaits) {
        CleverProperties props = CleverProperties.defaults(sim.baseUrl()).withPageLimit(10)
                .withRateLimit(new CleverProperties.RateLimit(reserve, maxWaits, Duration.ofSeconds(5)));
        return new CleverClient(props, meters);
    }

    double waits(String reason) {
        var c = meters.find("clever.rate_limit.waits").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theReserveIsKeptSoNoRequestRunsIntoA429() {
        List<String> expected = sim.district().users(SimUser.STUDENT).stream().map(SimUser::id).sorted().toList();
        int requests = (expected.size() + 9) / 10;
        assertThat(requests).as("more requests than one window allows").isGreaterThan(5);

        List<String> read = client(1, 3).users(credentials, "student").stream().map(CleverUser::id).toList();

        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(sim.requests().countStatus(429)).isZero();
        assertThat(sim.requests().total()).isEqualTo(requests);
        // 4 requests per window (one kept in reserve): at least ceil(requests / 4) - 1 waits for a reset.
        assertThat(waits("reserve")).isGreaterThanOrEqualTo((requests + 3) / 4 - 1);
    }

    @Test
    void a429WaitsForTheResetAndSucceeds() throws Exception {
        long resetMillis = exhaustWindowFromElsewhere();
        long before = System.currentTimeMillis();

        CleverPage<CleverSchool> page = client(0, 3).schools(credentials).page(null);

        assertThat(page.items()).hasSize(sim.district().schools().size());
        assertThat(waits("429")).isEqualTo(1);
        assertThat(System.currentTimeMillis()).as("waited for X-Ratelimit-Reset").isGreaterThanOrEqualTo(resetMillis);
        assertThat(System.currentTimeMillis() - before).isLessThan(5000);
    }

    @Test
    void repeated429sAreBounded() throws Exception {
        exhaustWindowFromElsewhere();
        CleverApiException e = catchThrowableOfType(CleverApiException.class,
                () -> client(0, 0).schools(credentials).page(null));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("clever.rate-limit.max-waits").contains("Rate Limited District");
    }

    /**
     * Uses the token's whole window the way another process sharing the token would, until the simulator
     * answers 429 with at least 700 ms of the window left; returns the reset time in epoch millis.
     */
    private long exhaustWindowFromElsewhere() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v3.0/schools?limit=1"))
                .header("Authorization", "Bearer " + sim.settings().token()).build();
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                long reset = Long.parseLong(response.headers().firstValue("x-ratelimit-reset").orElseThrow()) * 1000;
                if (reset - System.currentTimeMillis() >= 700) {
                    sim.requests().reset();
                    return reset;
                }
                Thread.sleep(Math.max(0, reset - System.currentTimeMillis()) + 20);
            }
        }
        throw new AssertionError("the simulator never answered 429");
    }
}
