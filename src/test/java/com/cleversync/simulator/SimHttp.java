package com.cleversync.simulator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Plain HTTP against a running simulator, the way any Clever client would talk to it. */
final class SimHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    SimHttp(CleverSimulator simulator) {
        this(simulator.baseUrl(), simulator.settings().token());
    }

    SimHttp(String base, String token) {
        this.base = base;
        this.token = token;
    }

    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Response get(String pathAndQuery) {
        return get(pathAndQuery, "Bearer " + token);
    }

    Response get(String pathAndQuery, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response getBasic(String pathAndQuery, String user, String password) {
        return get(pathAndQuery, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Follows {@code next} links from {@code firstPage} and returns every item's {@code data}, failing on errors. */
    List<JsonNode> all(String firstPage) {
        List<JsonNode> items = new ArrayList<>();
        String next = firstPage;
        int pages = 0;
        while (next != null) {
            Response response = get(next);
            if (response.status() != 200) {
                throw new AssertionError("GET " + next + " answered " + response.status() + ": " + response.body());
            }
            JsonNode page = response.json();
            page.get("data").forEach(item -> items.add(item.get("data")));
            next = link(page, "next");
            if (page.get("data").isEmpty()) {
                next = null;
            }
            if (++pages > 100_000) {
                throw new AssertionError("paging does not end");
            }
        }
        return items;
    }

    static String link(JsonNode page, String rel) {
        for (JsonNode link : page.get("links")) {
            if (rel.equals(link.get("rel").asString())) {
                return link.get("uri").asString();
            }
        }
        return null;
    }

    static List<String> ids(List<JsonNode> items) {
        return items.stream().map(item -> item.get("id").asString()).toList();
    }
}
