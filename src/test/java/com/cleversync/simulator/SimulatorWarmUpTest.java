package com.cleversync.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up a benchmark asks for ({@code simulator --warm-up}): every page of every list an import reads, served
 * over HTTP, then forgotten by the request log and the rate limit.
 */
class SimulatorWarmUpTest {

    @Test
    void isNeitherRateLimitedNorCounted() {
        try (CleverSimulator clever = CleverSimulator.start(SimulatorSettings.defaults().withRateLimitPerMinute(5)
                .withRateLimitWindow(Duration.ofMinutes(10)))) {
            // Two schools' sections, teachers and students and the district's contacts (one page each), twice:
            // more pages than the limit allows in one window.
            assertThat(clever.warmUp(2)).isEqualTo(2 * (3 * 2 + 1));
            assertThat(clever.requests().total()).isZero();

            SimHttp.Response first = new SimHttp(clever).get("/v3.0/schools");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("X-Ratelimit-Remaining")).isEqualTo("4");
            assertThat(clever.requests().total()).isEqualTo(1);
        }
    }

    @Test
    void servesEveryPageOfEveryList() {
        try (CleverSimulator clever = CleverSimulator.start(SimulatorSettings.defaults())) {
            SimulatedDistrict district = clever.district();
            int limit = 25;
            int expected = pages(district.users("contact").size(), limit);
            for (SimSchool school : district.schools()) {
                expected += pages(district.sectionsOf(school.id()).size(), limit);
                for (String role : List.of("teacher", "student")) {
                    expected += pages((int) district.users(role).stream().filter(u -> u.schoolIds().contains(school.id())).count(), limit);
                }
            }
            assertThat(expected).isGreaterThan(3 * district.schools().size() + 1);
            assertThat(clever.warmUp(1, limit)).isEqualTo(expected);
            assertThat(clever.requests().total()).isZero();
        }
    }

    /** Clever's pages for a list of {@code records}: one at least (an empty list is one empty page). */
    private static int pages(int records, int limit) {
        return Math.max(1, (records + limit - 1) / limit);
    }
}
