package com.cleversync.clever;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A server that sends the headers and the start of a page, then goes silent. The simulator has no such fault
 * (its faults cut the connection instead), so a raw socket plays the stalled server here.
 */
class CleverStalledBodyTest {

    @Test
    void aBodyThatStallsHalfWayTimesOutAndIsRetried() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread stalling = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> stall(socket));
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            CleverProperties props = CleverProperties.defaults("http://127.0.0.1:" + server.getLocalPort())
                    .withReadTimeout(Duration.ofMillis(300))
                    .withRetry(new CleverProperties.Retry(2, Duration.ofMillis(10), Duration.ofMillis(10), 1));
            CleverClient client = new CleverClient(props, new SimpleMeterRegistry());
            CleverCredentials credentials = new CleverCredentials("Stalled District", "stalled-district-token");
            long start = System.nanoTime();

            CleverApiException e = catchThrowableOfType(CleverApiException.class,
                    () -> client.schools(credentials).page(null));

            assertThat(e.status()).isZero();
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("no data from Clever for 300 ms while reading the body")
                    .contains("gave up after 2 attempts");
            assertThat(connections).hasValue(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            server.close();
            stalling.join(1000);
        }
    }

    private static void stall(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[8192];
            StringBuilder request = new StringBuilder();
            while (!request.toString().contains("\r\n\r\n")) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                request.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
                    + "{\"data\":[{\"data\":{\"id\":\"a1\",\"name\":\"x\"}},").getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(5000);
        } catch (Exception ignored) {
            // the client hung up
        }
    }
}
