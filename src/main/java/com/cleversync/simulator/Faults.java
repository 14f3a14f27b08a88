package com.cleversync.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the simulator's HTTP API. Every switch is thread-safe and takes effect on the next request.
 * Shares are probabilities in [0, 1] drawn from a seeded generator, so a test run is repeatable.
 */
public final class Faults {

    private volatile double serverErrorRate;
    private volatile double resetMidBodyRate;
    private volatile double truncatedJsonRate;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean tokenRevoked;
    private volatile boolean eventsDisabled;
    private volatile int failStatus = -1;
    private final AtomicInteger failCountdown = new AtomicInteger();
    private final Set<String> malformed = ConcurrentHashMap.newKeySet();
    private final Set<String> idless = ConcurrentHashMap.newKeySet();
    private final SplittableRandom random;

    Faults(long seed) {
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** Share of requests answered 500, 502 or 503 with an HTML body. */
    public void serverErrorRate(double share) {
        serverErrorRate = checkShare(share);
    }

    /** Share of 200 responses whose connection is cut off in the middle of the body. */
    public void resetMidBodyRate(double share) {
        resetMidBodyRate = checkShare(share);
    }

    /** Delay added to every request. */
    public void latency(Duration perRequest) {
        Objects.requireNonNull(perRequest, "perRequest");
        if (perRequest.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        latency = perRequest;
    }

    /** Share of 200 responses with complete headers but a body cut short, so it is not valid JSON. */
    public void truncatedJsonRate(double share) {
        truncatedJsonRate = checkShare(share);
    }

    /** Serves that record (district, school, term, section or user) with a broken shape in otherwise valid JSON. */
    public void malformedRecord(String recordId) {
        malformed.add(Objects.requireNonNull(recordId, "recordId"));
    }

    /** Serves that user without its {@code id}, in the record and in its entry's {@code uri}: a record no client can name. */
    public void recordWithoutId(String userId) {
        idless.add(Objects.requireNonNull(userId, "userId"));
    }

    /** While revoked, the district token gets 401 everywhere (and {@code /oauth/tokens} no longer lists it). */
    public void revokeToken(boolean revoked) {
        tokenRevoked = revoked;
    }

    /** While disabled, {@code /events} answers 404, as Clever does for an app that has not enabled events. */
    public void eventsDisabled(boolean disabled) {
        eventsDisabled = disabled;
    }

    /** After {@code requests} more requests, every request is answered {@code status} until {@link #clear()}; -1 disables. */
    public void failAfter(int requests, int status) {
        if (requests < 0) {
            failStatus = -1;
            return;
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        failCountdown.set(requests);
        failStatus = status;
    }

    /** Switches every fault off. */
    public void clear() {
        serverErrorRate = 0;
        resetMidBodyRate = 0;
        truncatedJsonRate = 0;
        latency = Duration.ZERO;
        tokenRevoked = false;
        eventsDisabled = false;
        failStatus = -1;
        malformed.clear();
        idless.clear();
    }

    // ---- used by the server -------------------------------------------------------------------------------------

    Duration latency() {
        return latency;
    }

    boolean tokenRevoked() {
        return tokenRevoked;
    }

    boolean eventsDisabled() {
        return eventsDisabled;
    }

    boolean isMalformed(String recordId) {
        return !malformed.isEmpty() && malformed.contains(recordId);
    }

    boolean isWithoutId(String userId) {
        return !idless.isEmpty() && idless.contains(userId);
    }

    /** The forced status for this request, or -1. */
    int forcedStatus() {
        int status = failStatus;
        if (status < 0) {
            return -1;
        }
        return failCountdown.getAndDecrement() <= 0 ? status : -1;
    }

    /** 500, 502 or 503 when this request draws a server error, else -1. */
    int serverError() {
        double rate = serverErrorRate;
        if (rate <= 0) {
            return -1;
        }
        synchronized (random) {
            if (random.nextDouble() >= rate) {
                return -1;
            }
            return new int[] {500, 502, 503}[random.nextInt(3)];
        }
    }

    boolean drawResetMidBody() {
        return draw(resetMidBodyRate);
    }

    boolean drawTruncatedJson() {
        return draw(truncatedJsonRate);
    }

    private boolean draw(double rate) {
        if (rate <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }

    private static double checkShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], was " + share);
        }
        return share;
    }
}
