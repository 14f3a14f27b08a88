package com.cleversync.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Clever's fixed-window limit per token: headers, an empty-bodied 429, and recovery when the window resets. */
class RateLimitTest {

    @Test
    void limitIsPerWindowWith429AndRecovers() throws InterruptedException {
        try (CleverSimulator clever = CleverSimulator.start(SimulatorSettings.defaults().withRateLimitPerMinute(5)
                .withRateLimitWindow(Duration.ofSeconds(1)))) {
            SimHttp http = new SimHttp(clever);
            // Start at the beginning of a window so that the five requests share it.
            SimHttp.Response probe = http.get("/v3.0/schools");
            long reset = Long.parseLong(probe.header("X-Ratelimit-Reset"));
            Thread.sleep(Math.max(0, reset * 1000 - System.currentTimeMillis()) + 20);

            int remaining = 5;
            for (int i = 0; i < 5; i++) {
                SimHttp.Response ok = http.get("/v3.0/schools");
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.header("X-Ratelimit-Limit")).isEqualTo("5");
                assertThat(Integer.parseInt(ok.header("X-Ratelimit-Remaining"))).isEqualTo(--remaining);
            }
            SimHttp.Response limited = http.get("/v3.0/schools");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.body()).isEmpty();
            assertThat(limited.header("X-Ratelimit-Remaining")).isEqualTo("0");
            assertThat(limited.header("X-Ratelimit-Bucket")).isEqualTo("bearer");
            long resetAt = Long.parseLong(limited.header("X-Ratelimit-Reset"));
            assertThat(resetAt * 1000).isGreaterThan(System.currentTimeMillis() - 1000);

            Thread.sleep(Math.max(0, resetAt * 1000 - System.currentTimeMillis()) + 20);
            assertThat(http.get("/v3.0/schools").status()).isEqualTo(200);
            assertThat(clever.requests().countStatus(429)).isEqualTo(1);
        }
    }
}
