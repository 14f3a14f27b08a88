package com.cleversync.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another client of the same district token (a second integration, another pod): every {@code period} it sends a
 * burst of {@code burst} requests, taking most of a rate-limit window at once, so the import's view of the
 * remaining budget goes stale and its next request runs into a 429. Counts its own 429s, so a test can tell
 * the import's apart.
 */
final class NoisyNeighbour implements AutoCloseable {

    private final Thread thread;
    private final AtomicInteger tooMany = new AtomicInteger();
    private volatile boolean running = true;

    NoisyNeighbour(String url, String token, int burst, Duration period) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
        thread = Thread.ofPlatform().daemon().name("noisy-neighbour").start(() -> {
            while (running) {
                try {
                    for (int i = 0; i < burst; i++) {
                        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 429) {
                            tooMany.incrementAndGet();
                        }
                    }
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // keep going: the neighbour does not care about its own failures
                }
            }
        });
    }

    /** 429s the neighbour itself received. */
    int tooManyRequests() {
        return tooMany.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
