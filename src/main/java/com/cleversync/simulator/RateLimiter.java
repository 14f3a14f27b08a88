package com.cleversync.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** Clever's per-token fixed-window rate limit: {@code limit} requests per window, reset at the window's end. */
final class RateLimiter {

    /** The outcome of one request: whether it may run and the X-Ratelimit-* header values. */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSeconds) {
    }

    private final int limit;
    private final long windowMillis;
    private final LongSupplier millis;
    private final Map<String, long[]> windows = new HashMap<>();

    RateLimiter(int limit, Duration window, LongSupplier millis) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.millis = millis;
    }

    synchronized void forget() {
        windows.clear();
    }

    synchronized Decision acquire(String token) {
        long now = millis.getAsLong();
        long start = now - Math.floorMod(now, windowMillis);
        long[] window = windows.computeIfAbsent(token, k -> new long[] {start, 0});
        if (window[0] != start) {
            window[0] = start;
            window[1] = 0;
        }
        window[1]++;
        long reset = (start + windowMillis + 999) / 1000;
        return new Decision(window[1] <= limit, limit, (int) Math.max(0, limit - window[1]), reset);
    }
}
