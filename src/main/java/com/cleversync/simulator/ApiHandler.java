package com.cleversync.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Serves Clever's Data API v3.0 and v3.1 ({@code /v3.x/...} including {@code /events}) and
 * {@code /oauth/tokens} from a {@link SimulatedDistrict}: bearer auth, per-token rate limit, keyset paging and
 * Clever's error bodies (JSON, empty or HTML), plus the faults switched on in {@link Faults}.
 */
final class ApiHandler implements HttpHandler {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> SCHOOL_ROLES = Set.of(SimUser.STUDENT, SimUser.TEACHER, SimUser.STAFF);

    private final SimulatorSettings settings;
    private final SimulatedDistrict district;
    private final Faults faults;
    private final RequestLog log;
    private final RateLimiter rateLimiter;
    private final WireJson json;
    private final JsonFactory factory = new JsonFactory();

    ApiHandler(SimulatorSettings settings, SimulatedDistrict district, Faults faults, RequestLog log) {
        this.settings = settings;
        this.district = district;
        this.faults = faults;
        this.log = log;
        this.rateLimiter = new RateLimiter(settings.rateLimitPerMinute(), settings.rateLimitWindow(),
                System::currentTimeMillis);
        this.json = new WireJson(district, faults);
    }

    /** Starts every token's rate-limit window afresh, as if no request had been made. */
    void forgetRateWindows() {
        rateLimiter.forget();
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            serve(ex);
        } catch (IOException | RuntimeException e) {
            // A client that went away or a deliberately cut body: nothing more to send.
        } finally {
            ex.close();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        Request req = new Request(ex, path, ex.getRequestURI().getRawQuery());
        Duration latency = faults.latency();
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int forced = faults.forcedStatus();
        if (forced > 0) {
            failure(req, forced);
            return;
        }
        int serverError = faults.serverError();
        if (serverError > 0) {
            failure(req, serverError);
            return;
        }
        if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
            sendJson(req, 405, g -> message(g, "method not allowed"), false);
            return;
        }
        String[] segments = path.length() <= 1 ? new String[0] : path.substring(1).split("/", -1);
        if (segments.length == 2 && segments[0].equals("oauth") && segments[1].equals("tokens")) {
            tokens(req);
            return;
        }
        if (segments.length < 2 || !(segments[0].equals("v3.0") || segments[0].equals("v3.1"))) {
            notFoundHtml(req);
            return;
        }
        if (!authorized(ex)) {
            sendJson(req, 401, g -> {
                g.writeStartObject();
                g.writeStringProperty("error", "Unauthorized");
                g.writeEndObject();
            }, false);
            return;
        }
        RateLimiter.Decision rate = rateLimiter.acquire(settings.token());
        var headers = ex.getResponseHeaders();
        headers.set("X-Ratelimit-Bucket", "bearer");
        headers.set("X-Ratelimit-Limit", String.valueOf(rate.limit()));
        headers.set("X-Ratelimit-Remaining", String.valueOf(rate.remaining()));
        headers.set("X-Ratelimit-Reset", String.valueOf(rate.resetEpochSeconds()));
        if (!rate.allowed()) {
            sendEmpty(req, 429);
            return;
        }
        route(req, segments);
    }

    private void route(Request req, String[] seg) throws IOException {
        String version = "/" + seg[0];
        String resource = seg[1];
        int n = seg.length;
        switch (resource) {
            case "districts" -> {
                if (n == 2) {
                    TreeMap<String, String> one = new TreeMap<>(Map.of(district.id(), district.id()));
                    list(req, version, "districts", cursor -> pageOf(one, cursor), (g, x) -> json.district(g));
                    return;
                }
                if (n == 3) {
                    single(req, seg[2].equals(district.id()) ? Optional.of(district.id()) : Optional.empty(),
                            (g, x) -> json.district(g));
                    return;
                }
            }
            case "schools" -> {
                if (n == 2) {
                    list(req, version, "schools", district::schoolPage, json::school);
                    return;
                }
                Optional<SimSchool> school = district.school(seg[2]);
                if (n == 3) {
                    single(req, school, json::school);
                    return;
                }
                if (n == 4) {
                    if (school.isEmpty() && isSchoolChild(seg[3])) {
                        notFoundJson(req);
                        return;
                    }
                    String schoolId = seg[2];
                    switch (seg[3]) {
                        case "sections" -> {
                            list(req, version, "sections", c -> district.sectionPage(schoolId, c), json::section);
                            return;
                        }
                        case "terms" -> {
                            list(req, version, "terms", c -> district.schoolTermPage(schoolId, c), json::term);
                            return;
                        }
                        case "users" -> {
                            String role = req.param("role");
                            if (role != null && !role.isEmpty() && !SCHOOL_ROLES.contains(role)) {
                                badRequest(req, "invalid role: " + role);
                                return;
                            }
                            String r = role == null || role.isEmpty() ? null : role;
                            list(req, version, "users", c -> district.schoolUserPage(schoolId, r, c), json::user);
                            return;
                        }
                        case "district" -> {
                            single(req, Optional.of(district.id()), (g, x) -> json.district(g));
                            return;
                        }
                        default -> {
                        }
                    }
                }
            }
            case "terms" -> {
                if (n == 2) {
                    list(req, version, "terms", district::termPage, json::term);
                    return;
                }
                if (n == 3) {
                    single(req, district.term(seg[2]), json::term);
                    return;
                }
            }
            case "sections" -> {
                if (n == 2) {
                    list(req, version, "sections", c -> district.sectionPage(null, c), json::section);
                    return;
                }
                if (n == 3) {
                    single(req, district.section(seg[2]), json::section);
                    return;
                }
            }
            case "users" -> {
                if (n == 2) {
                    String role = req.param("role");
                    if (role != null && !role.isEmpty() && !SimUser.ROLES.contains(role)) {
                        badRequest(req, "invalid role: " + role);
                        return;
                    }
                    String r = role == null || role.isEmpty() ? null : role;
                    list(req, version, "users", c -> district.userPage(r, c), json::user);
                    return;
                }
                if (n == 3) {
                    single(req, district.user(seg[2]), json::user);
                    return;
                }
            }
            case "events" -> {
                if (faults.eventsDisabled()) {
                    notFoundJson(req);
                    return;
                }
                if (n == 2) {
                    Set<String> types = new LinkedHashSet<>(req.params("record_type"));
                    types.remove("");
                    String school = req.param("school");
                    String s = school == null || school.isEmpty() ? null : school;
                    list(req, version, "events", c -> district.eventPage(types, s, c), json::event);
                    return;
                }
                if (n == 3) {
                    single(req, district.event(seg[2]), json::event);
                    return;
                }
            }
            default -> {
            }
        }
        notFoundHtml(req);
    }

    private static boolean isSchoolChild(String name) {
        return name.equals("sections") || name.equals("terms") || name.equals("users") || name.equals("district");
    }

    // ---- lists and single objects -------------------------------------------------------------------------------

    private interface PageSource<T> {
        SimulatedDistrict.Page<T> page(SimulatedDistrict.Cursor cursor);
    }

    private <T> void list(Request req, String version, String type, PageSource<T> source,
                          BiConsumer<JsonGenerator, T> writer) throws IOException {
        int limit;
        String rawLimit = req.param("limit");
        if (rawLimit == null || rawLimit.isEmpty()) {
            limit = DEFAULT_LIMIT;
        } else {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                badRequest(req, "limit must be an integer");
                return;
            }
            if (limit > MAX_LIMIT) {
                sendJson(req, 413, g -> message(g, "limit must be at most " + MAX_LIMIT), false);
                return;
            }
            if (limit < 1) {
                badRequest(req, "limit must be at least 1");
                return;
            }
        }
        String after = emptyToNull(req.param("starting_after"));
        String before = emptyToNull(req.param("ending_before"));
        SimulatedDistrict.Page<T> page = source.page(new SimulatedDistrict.Cursor(after, before, limit));
        List<T> items = page.items();
        List<String[]> links = new ArrayList<>(3);
        links.add(new String[] {"self", req.path + (req.rawQuery == null ? "" : "?" + req.rawQuery)});
        if (!items.isEmpty() && page.moreAfter()) {
            links.add(new String[] {"next", req.linkWith("starting_after", idOf(items.get(items.size() - 1)))});
        }
        if (!items.isEmpty() && (page.moreBefore() || after != null)) {
            links.add(new String[] {"prev", req.linkWith("ending_before", idOf(items.get(0)))});
        }
        sendJson(req, 200, g -> {
            g.writeStartObject();
            g.writeArrayPropertyStart("data");
            for (T item : items) {
                g.writeStartObject();
                g.writeName("data");
                writer.accept(g, item);
                String id = idOf(item);
                if (!faults.isWithoutId(id)) {
                    g.writeStringProperty("uri", version + "/" + type + "/" + id);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("links");
            for (String[] link : links) {
                g.writeStartObject();
                g.writeStringProperty("rel", link[0]);
                g.writeStringProperty("uri", link[1]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }, true);
    }

    private <T> void single(Request req, Optional<T> record, BiConsumer<JsonGenerator, T> writer) throws IOException {
        if (record.isEmpty()) {
            notFoundJson(req);
            return;
        }
        sendJson(req, 200, g -> {
            g.writeStartObject();
            g.writeName("data");
            writer.accept(g, record.get());
            g.writeEndObject();
        }, true);
    }

    private static <T> SimulatedDistrict.Page<T> pageOf(TreeMap<String, T> map, SimulatedDistrict.Cursor cursor) {
        return SimulatedDistrict.page(map, x -> true, cursor);
    }

    private static String idOf(Object item) {
        return switch (item) {
            case SimSchool s -> s.id();
            case SimTerm t -> t.id();
            case SimSection s -> s.id();
            case SimUser u -> u.id();
            case SimEvent e -> e.id();
            case String id -> id;
            default -> throw new IllegalArgumentException("no id: " + item);
        };
    }

    // ---- oauth ------------------------------------------------------------------------------------------------

    private void tokens(Request req) throws IOException {
        String auth = req.ex.getRequestHeaders().getFirst("Authorization");
        String expected = settings.clientId() + ":" + settings.clientSecret();
        boolean ok = false;
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                byte[] given = Base64.getDecoder().decode(auth.substring(6).trim());
                ok = MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                ok = false;
            }
        }
        if (!ok) {
            sendJson(req, 401, g -> {
                g.writeStartObject();
                g.writeStringProperty("error", "invalid_client");
                g.writeStringProperty("error_description", "Client authentication failed.");
                g.writeEndObject();
            }, false);
            return;
        }
        String ownerType = req.param("owner_type");
        String districtFilter = emptyToNull(req.param("district"));
        boolean listed = "district".equals(ownerType) && !faults.tokenRevoked()
                && (districtFilter == null || districtFilter.equals(district.id()));
        sendJson(req, 200, g -> {
            g.writeStartObject();
            g.writeArrayPropertyStart("data");
            if (listed) {
                g.writeStartObject();
                g.writeStringProperty("id", district.id().substring(0, 16) + "00000001");
                g.writeStringProperty("created", WireJson.timestamp(district.created()));
                g.writeObjectPropertyStart("owner");
                g.writeStringProperty("type", "district");
                g.writeStringProperty("id", district.id());
                g.writeEndObject();
                g.writeStringProperty("access_token", settings.token());
                g.writeArrayPropertyStart("scopes");
                for (String scope : List.of("read:district_admins", "read:school_admins", "read:students",
                        "read:teachers", "read:user_id", "read:sis", "read:contacts")) {
                    g.writeString(scope);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("links");
            g.writeStartObject();
            g.writeStringProperty("rel", "self");
            g.writeStringProperty("uri", req.path + (req.rawQuery == null ? "" : "?" + req.rawQuery));
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }, false);
    }

    private boolean authorized(HttpExchange ex) {
        if (faults.tokenRevoked()) {
            return false;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(auth.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                settings.token().getBytes(StandardCharsets.UTF_8));
    }

    // ---- responses --------------------------------------------------------------------------------------------

    private void failure(Request req, int status) throws IOException {
        if (status == 429 || status == 204 || status == 304) {
            sendEmpty(req, status);
        } else if (status >= 500) {
            sendHtml(req, status, "<html><head><title>" + status + " " + reason(status) + "</title></head><body>"
                    + "<center><h1>" + status + " " + reason(status) + "</h1></center></body></html>");
        } else {
            sendJson(req, status, g -> message(g, reason(status)), false);
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Temporarily Unavailable";
            case 504 -> "Gateway Time-out";
            default -> "Error";
        };
    }

    private void badRequest(Request req, String message) throws IOException {
        sendJson(req, 400, g -> message(g, message), false);
    }

    private void notFoundJson(Request req) throws IOException {
        sendJson(req, 404, g -> message(g, "Resource not found"), false);
    }

    private void notFoundHtml(Request req) throws IOException {
        sendHtml(req, 404, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n"
                + "</head>\n<body>\n<pre>Cannot GET " + escapeHtml(req.path) + "</pre>\n</body>\n</html>\n");
    }

    private static void message(JsonGenerator g, String message) {
        g.writeStartObject();
        g.writeStringProperty("message", message);
        g.writeEndObject();
    }

    private void sendEmpty(Request req, int status) throws IOException {
        log.record(req.path, status);
        req.ex.sendResponseHeaders(status, -1);
    }

    private void sendHtml(Request req, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        log.record(req.path, status);
        req.ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        req.ex.sendResponseHeaders(status, body.length);
        req.ex.getResponseBody().write(body);
    }

    /**
     * Writes a JSON response. Successful Data API bodies stream out chunked; when a truncation or mid-body
     * reset fault is drawn the body is rendered first so that only part of it can be sent.
     */
    private void sendJson(Request req, int status, Consumer<JsonGenerator> body, boolean faultable)
            throws IOException {
        req.ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        boolean reset = faultable && status == 200 && faults.drawResetMidBody();
        boolean truncated = !reset && faultable && status == 200 && faults.drawTruncatedJson();
        log.record(req.path, status);
        if (reset || truncated) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            write(buffer, body);
            byte[] bytes = buffer.toByteArray();
            int cut = Math.max(1, bytes.length / 2);
            // Truncated: the headers promise only the bytes sent. Reset: they promise the whole body, then the
            // connection closes after half of it.
            req.ex.sendResponseHeaders(status, truncated ? cut : bytes.length);
            OutputStream out = req.ex.getResponseBody();
            out.write(bytes, 0, cut);
            out.flush();
            if (reset) {
                throw new IOException("connection cut mid-body (fault)");
            }
            return;
        }
        if ("HEAD".equals(req.ex.getRequestMethod())) {
            req.ex.sendResponseHeaders(status, -1);
            return;
        }
        req.ex.sendResponseHeaders(status, 0);
        try (OutputStream out = new BufferedOutputStream(req.ex.getResponseBody(), 1 << 16)) {
            write(out, body);
        }
    }

    private void write(OutputStream out, Consumer<JsonGenerator> body) {
        try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), out, JsonEncoding.UTF8)) {
            body.accept(g);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The parsed request line: raw path and query, and decoded query parameters in order. */
    private static final class Request {
        final HttpExchange ex;
        final String path;
        final String rawQuery;
        final List<String[]> rawParams = new ArrayList<>();

        Request(HttpExchange ex, String path, String rawQuery) {
            this.ex = ex;
            this.path = path;
            this.rawQuery = rawQuery;
            if (rawQuery != null && !rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    rawParams.add(eq < 0 ? new String[] {pair, ""} : new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
                }
            }
        }

        String param(String name) {
            for (String[] p : rawParams) {
                if (decode(p[0]).equals(name)) {
                    return decode(p[1]);
                }
            }
            return null;
        }

        List<String> params(String name) {
            List<String> values = new ArrayList<>();
            for (String[] p : rawParams) {
                if (decode(p[0]).equals(name)) {
                    values.add(decode(p[1]));
                }
            }
            return values;
        }

        /** This request's path and query with the paging cursor replaced, as Clever builds next/prev links. */
        String linkWith(String cursorName, String cursorValue) {
            StringBuilder uri = new StringBuilder(path).append('?');
            for (String[] p : rawParams) {
                String name = decode(p[0]);
                if (name.equals("starting_after") || name.equals("ending_before")) {
                    continue;
                }
                uri.append(p[0]).append('=').append(p[1]).append('&');
            }
            return uri.append(cursorName).append('=').append(cursorValue).toString();
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return s;
            }
        }
    }
}
