package com.cleversync.simulator;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A local stand-in for Clever: serves a generated district over real HTTP on 127.0.0.1 with the Data API v3.0
 * and v3.1 (plus {@code /events}) and {@code /oauth/tokens}. Starts in milliseconds, without Spring.
 *
 * <pre>{@code
 * try (CleverSimulator clever = CleverSimulator.start(SimulatorSettings.defaults())) {
 *     String base = clever.baseUrl();   // GET base + "/v3.0/sections" with "Authorization: Bearer demo-district-token"
 * }
 * }</pre>
 */
public final class CleverSimulator implements AutoCloseable {

    private static final int THREADS = 8;
    private static final int WARM_UP_PAGE = 10_000;

    static {
        // Streamed (chunked) pages otherwise wait for Nagle's algorithm and delayed ACKs: ~40 ms per request.
        // The JDK server reads this once, when its first instance starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorSettings settings;
    private final SimulatedDistrict district;
    private final Faults faults;
    private final Mutations mutations;
    private final RequestLog requests = new RequestLog();
    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiHandler api;

    private CleverSimulator(SimulatorSettings settings) throws IOException {
        this.settings = settings;
        this.district = DistrictGenerator.generate(settings);
        this.faults = new Faults(settings.seed());
        this.mutations = new Mutations(district, settings.seed());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 64);
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "clever-simulator-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(THREADS, threads);
        server.setExecutor(executor);
        this.api = new ApiHandler(settings, district, faults, requests);
        server.createContext("/", api);
        server.start();
    }

    /** Generates the district and starts serving it; the port is free again after {@link #close()}. */
    public static CleverSimulator start(SimulatorSettings settings) {
        try {
            return new CleverSimulator(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Clever simulator on port " + settings.port(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT}; the API lives under {@code /v3.0}, {@code /v3.1} and {@code /oauth/tokens}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public SimulatedDistrict district() {
        return district;
    }

    public Faults faults() {
        return faults;
    }

    public Mutations mutations() {
        return mutations;
    }

    public RequestLog requests() {
        return requests;
    }

    /**
     * Serves the test hooks under {@code /__admin} (mutate on request, request log, collection sizes) for a
     * simulator running in a process of its own, as the benchmark runs it. Off unless called.
     */
    public void enableAdmin() {
        server.createContext("/__admin", new AdminHandler(district, mutations, requests));
    }

    /**
     * Serves the lists an import reads (each school's sections, teachers and students, and the district's
     * contacts), page after page at the page size imports ask for (10,000), to itself over HTTP {@code rounds}
     * times, then forgets those requests: they are not rate limited, and afterwards the request log is empty and
     * the rate limit's window starts afresh. A benchmark calls it before it measures anything, so that the
     * simulator's own start-up (its JIT compiling the code that writes pages) is not counted against the import,
     * as Clever's servers are warm when an import starts.
     *
     * @return the pages served
     */
    public int warmUp(int rounds) {
        return warmUp(rounds, WARM_UP_PAGE);
    }

    int warmUp(int rounds, int pageSize) {
        String base = baseUrl() + "/v3.0/";
        List<String> lists = new ArrayList<>();
        for (SimSchool school : district.schools()) {
            lists.add("schools/" + school.id() + "/sections?limit=" + pageSize);
            lists.add("schools/" + school.id() + "/users?role=teacher&limit=" + pageSize);
            lists.add("schools/" + school.id() + "/users?role=student&limit=" + pageSize);
        }
        lists.add("users?role=contact&limit=" + pageSize);
        JsonMapper json = JsonMapper.builder().build();
        int pages = 0;
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int round = 0; round < rounds; round++) {
                for (String list : lists) {
                    String uri = base + list;
                    while (uri != null) {
                        api.forgetRateWindows();
                        HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(uri))
                                .header("Authorization", "Bearer " + settings.token()).build(), BodyHandlers.ofByteArray());
                        if (page.statusCode() != 200) {
                            throw new IllegalStateException("warm-up: " + uri + " answered " + page.statusCode());
                        }
                        pages++;
                        uri = null;
                        for (JsonNode link : json.readTree(page.body()).path("links")) {
                            if ("next".equals(link.path("rel").asString(""))) {
                                uri = baseUrl() + link.path("uri").asString();
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("warm-up of the Clever simulator failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("warm-up of the Clever simulator interrupted", e);
        }
        requests.reset();
        api.forgetRateWindows();
        return pages;
    }

    /**
     * The clock used for event times, {@code last_modified} of changed records and the 30-day event retention.
     * Tests move it forward to let events expire.
     */
    public void clock(Supplier<Instant> now) {
        district.clock(now);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
