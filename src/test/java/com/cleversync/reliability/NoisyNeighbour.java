package com.cleversync.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Another client of the same district token, sending one request every {@code period} until closed. */
final class NoisyNeighbour implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    NoisyNeighbour(String url, String token, Duration period) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
        thread = Thread.ofPlatform().daemon().name("noisy-neighbour").start(() -> {
            while (running) {
                try {
                    client.send(request, HttpResponse.BodyHandlers.discarding());
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // keep going: the neighbour does not care about its own failures
                }
            }
        });
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
