package com.cleversync.clever;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Paces requests per bearer token from Clever's {@code X-Ratelimit-Remaining} / {@code X-Ratelimit-Reset}
 * headers (Reset is unix seconds; header names are matched case-insensitively by {@link HttpHeaders}). When the
 * remaining budget is down to the reserve, callers wait for the window to reset instead of running into 429s.
 * Requests in flight are counted against the budget so concurrent readers on one token do not overshoot it.
 */
final class RateLimiter {

    private static final Duration MIN_JITTER = Duration.ofMillis(100);
    private static final Duration MAX_JITTER = Duration.ofMillis(500);

    private final int reserve;
    private final Duration maxWait;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimiter(int reserve, Duration maxWait, Clock clock) {
        this.reserve = reserve;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    private static final class Window {
        long remaining = -1;     // unknown until a response told us
        Instant reset;           // null when unknown
    }

    /** How long to wait before the next request on this token (zero when it may go now); reserves one request. */
    Duration acquire(String token) {
        Window w = windows.computeIfAbsent(token, t -> new Window());
        synchronized (w) {
            Instant now = clock.instant();
            if (w.reset != null && !now.isBefore(w.reset)) {
                w.remaining = -1;
                w.reset = null;
            }
            if (w.remaining >= 0 && w.remaining <= reserve && w.reset != null) {
                Duration wait = cap(Duration.between(now, w.reset).plus(jitter()));
                // After the wait the window is new: forget the old numbers; the next response brings fresh ones.
                w.remaining = -1;
                w.reset = null;
                return wait;
            }
            if (w.remaining > 0) {
                w.remaining--;
            }
            return Duration.ZERO;
        }
    }

    /** Records the headers of any response (200, 4xx, 429) for the token. */
    void observe(String token, HttpHeaders headers) {
        OptionalLong remaining = number(headers, "X-Ratelimit-Remaining");
        if (remaining.isEmpty()) {
            return;
        }
        Instant reset = resetOf(headers);
        Window w = windows.computeIfAbsent(token, t -> new Window());
        synchronized (w) {
            w.remaining = remaining.getAsLong();
            w.reset = reset;
        }
    }

    /** How long to wait after a 429: until X-Ratelimit-Reset plus jitter, or {@code fallback} plus jitter. */
    Duration waitAfter429(HttpHeaders headers, Duration fallback) {
        Instant reset = resetOf(headers);
        Duration base = reset == null ? fallback : Duration.between(clock.instant(), reset);
        if (base.isNegative()) {
            base = Duration.ZERO;
        }
        return cap(base.plus(jitter()));
    }

    private Instant resetOf(HttpHeaders headers) {
        OptionalLong reset = number(headers, "X-Ratelimit-Reset");
        if (reset.isEmpty()) {
            return null;
        }
        long value = reset.getAsLong();
        // Clever sends unix seconds; a small number can only be "seconds from now".
        return value > 1_000_000_000L ? Instant.ofEpochSecond(value) : clock.instant().plusSeconds(value);
    }

    private Duration cap(Duration d) {
        return d.compareTo(maxWait) > 0 ? maxWait : d;
    }

    private static Duration jitter() {
        return MIN_JITTER.plusMillis(ThreadLocalRandom.current().nextLong(MAX_JITTER.toMillis() - MIN_JITTER.toMillis() + 1));
    }

    static OptionalLong number(HttpHeaders headers, String name) {
        return headers.firstValue(name).flatMap(v -> {
            try {
                return java.util.Optional.of((long) Double.parseDouble(v.strip()));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }).map(OptionalLong::of).orElse(OptionalLong.empty());
    }
}
