package com.cleversync.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test hooks for a simulator running in its own process (benchmarks), served under {@code /__admin} only when
 * switched on ({@code simulator --admin}); never part of the Clever API and never rate-limited or logged.
 * <ul>
 * <li>{@code POST /__admin/mutate?share=0.01&seed=N}: {@link Mutations#changeShare}.</li>
 * <li>{@code GET /__admin/requests}: the {@link RequestLog} (total and by path) as JSON.</li>
 * <li>{@code GET /__admin/sizes}: records per collection the import job reads: for each school its sections,
 *     teachers and students; the district's contacts.</li>
 * </ul>
 */
final class AdminHandler implements HttpHandler {

    private final SimulatedDistrict district;
    private final Mutations mutations;
    private final RequestLog requests;

    AdminHandler(SimulatedDistrict district, Mutations mutations, RequestLog requests) {
        this.district = district;
        this.mutations = mutations;
        this.requests = requests;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String method = ex.getRequestMethod();
            try {
                if (path.equals("/__admin/mutate") && method.equals("POST")) {
                    double share = Double.parseDouble(q.getOrDefault("share", "0.01"));
                    long seed = Long.parseLong(q.getOrDefault("seed", "1"));
                    mutations.changeShare(share, seed);
                    send(ex, 200, "{\"share\":" + share + ",\"seed\":" + seed + "}");
                } else if (path.equals("/__admin/requests") && method.equals("GET")) {
                    StringBuilder sb = new StringBuilder("{\"total\":").append(requests.total()).append(",\"byPath\":{");
                    String sep = "";
                    for (Map.Entry<String, Long> e : new TreeMap<>(requests.byPath()).entrySet()) {
                        sb.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
                        sep = ",";
                    }
                    send(ex, 200, sb.append("}}").toString());
                } else if (path.equals("/__admin/sizes") && method.equals("GET")) {
                    send(ex, 200, sizes());
                } else {
                    send(ex, 404, "{\"error\":\"unknown admin call " + method + " " + path + "\"}");
                }
            } catch (IllegalArgumentException e) {
                send(ex, 400, "{\"error\":\"" + e.getMessage().replace('"', '\'') + "\"}");
            }
        }
    }

    private String sizes() {
        SimulatedDistrict.Cursor all = new SimulatedDistrict.Cursor(null, null, Integer.MAX_VALUE);
        StringBuilder sb = new StringBuilder("{\"contacts\":").append(district.users(SimUser.CONTACT).size()).append(",\"schools\":{");
        String sep = "";
        for (SimSchool s : district.schools()) {
            Map<String, Integer> n = new LinkedHashMap<>();
            n.put("sections", district.sectionPage(s.id(), all).items().size());
            n.put("teachers", district.schoolUserPage(s.id(), SimUser.TEACHER, all).items().size());
            n.put("students", district.schoolUserPage(s.id(), SimUser.STUDENT, all).items().size());
            sb.append(sep).append('"').append(s.id()).append("\":{");
            String inner = "";
            for (Map.Entry<String, Integer> e : n.entrySet()) {
                sb.append(inner).append('"').append(e.getKey()).append("\":").append(e.getValue());
                inner = ",";
            }
            sb.append('}');
            sep = ",";
        }
        return sb.append("}}").toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
