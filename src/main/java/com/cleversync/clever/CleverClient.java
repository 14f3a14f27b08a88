package com.cleversync.clever;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The Clever Data API (v3.0/v3.1) for one district token at a time: single records, paged collections, the
 * Events API cursor and the app's district tokens. Thread-safe; pacing and retries are described in
 * {@link CleverHttp}.
 */
@Component("cleverClient")
public class CleverClient {

    private static final Set<String> SCHOOL_ROLES = Set.of("student", "teacher", "staff");
    private static final Set<String> USER_ROLES = Set.of("contact", "student", "teacher", "staff", "district_admin");

    private final CleverHttp http;

    @Autowired
    public CleverClient(CleverProperties properties, ObjectProvider<MeterRegistry> meterRegistry) {
        this(properties, meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
    }

    public CleverClient(CleverProperties properties, MeterRegistry meterRegistry) {
        this.http = new CleverHttp(properties, meterRegistry);
    }

    public CleverProperties properties() {
        return http.properties();
    }

    /** {@code GET /districts}: the one district the token sees. */
    public CleverDistrict district(CleverCredentials c) {
        String versioned = versioned("districts");
        CleverHttp.Call call = bearer(c, "districts", "GET " + versioned, versioned);
        CleverJson.RawPage<CleverDistrict> page = http.get(call, body -> CleverJson.readPage(body, CleverJson::district));
        if (page.items().isEmpty()) {
            throw new CleverApiException(404, false, "Clever lists no district for the token of district " + c.district());
        }
        return value(page.items().getFirst(), "districts");
    }

    public Optional<CleverSchool> school(CleverCredentials c, String schoolId) {
        return single(c, "schools", "schools/" + id(schoolId), CleverJson::school);
    }

    public Optional<CleverTerm> term(CleverCredentials c, String termId) {
        return single(c, "terms", "terms/" + id(termId), CleverJson::term);
    }

    public Optional<CleverSection> section(CleverCredentials c, String id) {
        return single(c, "sections", "sections/" + id(id), CleverJson::section);
    }

    public Optional<CleverUser> user(CleverCredentials c, String id) {
        return single(c, "users", "users/" + id(id), CleverJson::user);
    }

    public CleverCollection<CleverTerm> schoolTerms(CleverCredentials c, String schoolId) {
        return collection(c, "terms", "schools/" + id(schoolId) + "/terms", Map.of(), CleverJson::term);
    }

    public CleverCollection<CleverSection> schoolSections(CleverCredentials c, String schoolId) {
        return collection(c, "sections", "schools/" + id(schoolId) + "/sections", Map.of(), CleverJson::section);
    }

    /** {@code role}: student, teacher or staff (Clever has no contacts per school; use {@link #users}). */
    public CleverCollection<CleverUser> schoolUsers(CleverCredentials c, String schoolId, String role) {
        if (!SCHOOL_ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + SCHOOL_ROLES + " for school users, got " + role);
        }
        return collection(c, "users", "schools/" + id(schoolId) + "/users", Map.of("role", role), CleverJson::user);
    }

    /** {@code role}: contact, student, teacher, staff or district_admin. */
    public CleverCollection<CleverUser> users(CleverCredentials c, String role) {
        if (!USER_ROLES.contains(role)) {
            throw new IllegalArgumentException("role must be one of " + USER_ROLES + ", got " + role);
        }
        return collection(c, "users", "users", Map.of("role", role), CleverJson::user);
    }

    public CleverCollection<CleverSection> sections(CleverCredentials c) {
        return collection(c, "sections", "sections", Map.of(), CleverJson::section);
    }

    public CleverCollection<CleverTerm> terms(CleverCredentials c) {
        return collection(c, "terms", "terms", Map.of(), CleverJson::term);
    }

    public CleverCollection<CleverSchool> schools(CleverCredentials c) {
        return collection(c, "schools", "schools", Map.of(), CleverJson::school);
    }

    /** Oldest to newest; the cursor ({@code starting_after}) is an event id. */
    public CleverCollection<CleverEvent> events(CleverCredentials c) {
        return collection(c, "events", "events", Map.of(), CleverJson::event);
    }

    /**
     * The newest event id ({@code GET /events?ending_before=last&limit=1}), empty when the district has no
     * events yet. Events switched off for the app answer 404, thrown as a {@link CleverApiException}.
     */
    public Optional<String> latestEventId(CleverCredentials c) {
        String versioned = versioned("events") + "?ending_before=last&limit=1";
        CleverHttp.Call call = bearer(c, "events", "GET " + versioned, versioned);
        CleverJson.RawPage<CleverEvent> page = http.get(call, body -> CleverJson.readPage(body, CleverJson::event));
        if (page.items().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(page.items().getLast().id());
    }

    /**
     * The app's district tokens ({@code GET /oauth/tokens?owner_type=district} with HTTP Basic
     * clever.app.client-id / client-secret), following {@code next} links.
     */
    public List<DistrictToken> districtTokens() {
        CleverProperties.App app = http.properties().app();
        if (!app.configured()) {
            throw new IllegalStateException("clever.app.client-id and clever.app.client-secret (CLEVER_APP_CLIENT_ID / "
                    + "CLEVER_APP_CLIENT_SECRET) must be set to list district tokens");
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (app.clientId() + ":" + app.clientSecret()).getBytes(StandardCharsets.UTF_8));
        String base = http.properties().oauth().baseUrl();
        List<DistrictToken> tokens = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/oauth/tokens?owner_type=district" + (cursor == null ? "" : "&starting_after="
                    + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            CleverHttp.Call call = new CleverHttp.Call("oauth_tokens", "GET " + path, URI.create(base + path), basic,
                    "app:" + app.clientId(), "(app " + app.clientId() + ")", true);
            CleverJson.RawPage<DistrictToken> page = http.get(call, body -> CleverJson.readPage(body, CleverJson::districtToken, false));
            for (Item<DistrictToken> item : page.items()) {
                tokens.add(value(item, "oauth/tokens"));
            }
            String next = page.items().isEmpty() || page.nextUri() == null ? null : CleverJson.startingAfter(base, page.nextUri());
            cursor = next != null && !next.equals(cursor) ? next : null;
        } while (cursor != null);
        return List.copyOf(tokens);
    }

    // ---------------------------------------------------------------- helpers

    private <T> Optional<T> single(CleverCredentials c, String kind, String path, Function<JsonNode, T> mapper) {
        String versioned = versioned(path);
        CleverHttp.Call call = bearer(c, kind, "GET " + versioned, versioned);
        try {
            Item<T> item = http.get(call, body -> CleverJson.readSingle(body, mapper));
            return Optional.of(value(item, path));
        } catch (CleverApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T> CleverCollection<T> collection(CleverCredentials c, String kind, String path, Map<String, String> params,
                                               Function<JsonNode, T> mapper) {
        return new CleverCollection<>(http, c, kind, path, new LinkedHashMap<>(params), mapper);
    }

    private CleverHttp.Call bearer(CleverCredentials c, String kind, String describe, String versionedPathAndQuery) {
        URI uri = URI.create(http.properties().api().baseUrl() + versionedPathAndQuery);
        return new CleverHttp.Call(kind, describe, uri, "Bearer " + c.token(), c.token(), c.district(), false);
    }

    private String versioned(String path) {
        return "/" + http.properties().api().version() + "/" + path;
    }

    private static <T> T value(Item<T> item, String where) {
        if (item.malformed()) {
            throw new MalformedRecordException(where, item.id(), item.error());
        }
        return item.value();
    }

    /** Clever ids are 24-hex ObjectIds; anything that is not a plain path segment is refused before a request. */
    private static String id(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("not a Clever id: " + id);
        }
        return id;
    }
}
