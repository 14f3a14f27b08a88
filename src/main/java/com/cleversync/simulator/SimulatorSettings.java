package com.cleversync.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link CleverSimulator} runs and which district it generates. The same seed and sizes always give the
 * same district, byte for byte.
 *
 * @param port               TCP port on 127.0.0.1; 0 picks a free one
 * @param token              the district bearer token the Data API accepts
 * @param seed               seed of the generated district
 * @param schools            number of schools
 * @param studentsPerSchool  students per school
 * @param rateLimitPerMinute requests allowed per token and window (Clever: 1200 a minute)
 * @param rateLimitWindow    length of the fixed rate-limit window (tests shorten it)
 * @param clientId           OAuth client id accepted by {@code /oauth/tokens}
 * @param clientSecret       OAuth client secret accepted by {@code /oauth/tokens}
 */
public record SimulatorSettings(int port, String token, long seed, int schools, int studentsPerSchool,
                                int rateLimitPerMinute, Duration rateLimitWindow, String clientId,
                                String clientSecret) {

    public SimulatorSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        if (schools < 1 || schools > 1000) {
            throw new IllegalArgumentException("schools must be 1..1000, was " + schools);
        }
        if (studentsPerSchool < 1 || studentsPerSchool > 100_000) {
            throw new IllegalArgumentException("students per school must be 1..100000, was " + studentsPerSchool);
        }
        if (rateLimitPerMinute < 1) {
            throw new IllegalArgumentException("rate limit must be at least 1, was " + rateLimitPerMinute);
        }
        Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
        if (rateLimitWindow.isNegative() || rateLimitWindow.isZero()) {
            throw new IllegalArgumentException("rate limit window must be positive");
        }
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
    }

    public static SimulatorSettings defaults() {
        return new SimulatorSettings(0, "demo-district-token", 42, 2, 60, 1200, Duration.ofSeconds(60),
                "demo-client-id", "demo-client-secret");
    }

    public SimulatorSettings withPort(int port) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    public SimulatorSettings withToken(String token) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    public SimulatorSettings withSeed(long seed) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    public SimulatorSettings withSchools(int schools) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    public SimulatorSettings withStudentsPerSchool(int studentsPerSchool) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    public SimulatorSettings withRateLimitPerMinute(int rateLimitPerMinute) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    public SimulatorSettings withRateLimitWindow(Duration rateLimitWindow) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    public SimulatorSettings withClientId(String clientId) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    public SimulatorSettings withClientSecret(String clientSecret) {
        return new SimulatorSettings(port, token, seed, schools, studentsPerSchool, rateLimitPerMinute,
                rateLimitWindow, clientId, clientSecret);
    }

    /** The token is a secret: never printed by {@code toString}. */
    @Override
    public String toString() {
        return "SimulatorSettings[port=" + port + ", seed=" + seed + ", schools=" + schools
                + ", studentsPerSchool=" + studentsPerSchool + ", rateLimitPerMinute=" + rateLimitPerMinute
                + ", rateLimitWindow=" + rateLimitWindow + ", clientId=" + clientId + "]";
    }
}
