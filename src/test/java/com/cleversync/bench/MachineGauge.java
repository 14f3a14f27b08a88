package com.cleversync.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How fast the machine was, right before the cold phase, at three kinds of work the import's time is made of. A shared
 * machine's speed moves from day to day and not alike for every kind of work, so wall times of different days compare
 * only with these beside them. Each is the best of three rounds, so that a round slowed by a neighbour does not count:
 * <ul>
 *   <li>{@code computeNanos}: one step of a pseudo-random number generator, in this JVM (the CPU's own speed);</li>
 *   <li>{@code memoryNanos}: one step of a walk through a random cycle over 32 MB, each step waiting for memory (what
 *       the caches shared with the machine's neighbours leave);</li>
 *   <li>{@code roundTripMicros}: one {@code SELECT ?} to the database server and back, on one connection (the
 *       network stack and the server's per-statement work: the import makes about 27,000 statements at size L).</li>
 * </ul>
 */
final class MachineGauge {

    private static final int COMPUTE_STEPS = 20_000_000;
    private static final int CYCLE = 8 * 1024 * 1024;
    private static final int WALK_STEPS = 2_000_000;
    private static final int ROUND_TRIPS = 2_000;

    private MachineGauge() {
    }

    static Map<String, Object> measure(Connection db) throws SQLException {
        Map<String, Object> gauge = new LinkedHashMap<>();
        gauge.put("computeNanos", ImportBenchmark.round(best(MachineGauge::compute), 2));
        int[] cycle = cycle();
        int[] at = {0};
        gauge.put("memoryNanos", ImportBenchmark.round(best(() -> walk(cycle, at)), 1));
        try (PreparedStatement s = db.prepareStatement("SELECT ?")) {
            gauge.put("roundTripMicros", ImportBenchmark.round(best(() -> roundTrips(s)), 1));
        }
        return gauge;
    }

    /** One round of a gauge: the time of one step, in its unit. */
    private interface Round {
        double run() throws SQLException;
    }

    /** The fastest of three rounds: a round slowed by a neighbour does not count. */
    private static double best(Round round) throws SQLException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            best = Math.min(best, round.run());
        }
        return best;
    }

    /** Nanoseconds a step of xorshift. */
    private static double compute() {
        long x = 88172645463325252L;
        long start = System.nanoTime();
        for (int i = 0; i < COMPUTE_STEPS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        double nanos = (System.nanoTime() - start) / (double) COMPUTE_STEPS;
        if (x == 0) {
            throw new IllegalStateException("xorshift never reaches 0");
        }
        return nanos;
    }

    /** One random cycle through every index of a 32 MB array (Sattolo's shuffle): {@code next[i]} follows {@code i}. */
    private static int[] cycle() {
        int[] next = new int[CYCLE];
        for (int i = 0; i < CYCLE; i++) {
            next[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = CYCLE - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        return next;
    }

    /** Nanoseconds a step of a walk along the cycle, on from {@code at[0]}, where the walk is left for the next round. */
    private static double walk(int[] next, int[] from) {
        int at = from[0];
        long start = System.nanoTime();
        for (int i = 0; i < WALK_STEPS; i++) {
            at = next[at];
        }
        double nanos = (System.nanoTime() - start) / (double) WALK_STEPS;
        from[0] = at;
        return nanos;
    }

    /** Microseconds a {@code SELECT ?} to the server and back. */
    private static double roundTrips(PreparedStatement s) throws SQLException {
        long start = System.nanoTime();
        for (int i = 0; i < ROUND_TRIPS; i++) {
            s.setInt(1, i);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
            }
        }
        return (System.nanoTime() - start) / 1e3 / ROUND_TRIPS;
    }
}
