package com.cleversync.clever;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient mapping of Clever JSON to the client's records, and streaming page parsing.
 *
 * <p>A page is read whole as bytes, checked token by token, then mapped one list entry at a time as the reader
 * takes them ({@link LazyPage}): each entry becomes a small tree that is mapped and dropped, so a 10000-record page
 * never exists as one document tree, nor as 10000 mapped records. Mapping follows what Clever actually sends rather than
 * the swagger: unknown fields are ignored, enums stay strings (unknown values kept), {@code null}, missing and
 * {@code ""} all read as null, scalars are accepted where strings are expected (a grade sent as 13), term dates
 * are {@code YYYY-MM-DD} (a datetime is cut to its date), {@code dob} is {@code M/D/YYYY}; unreadable dates
 * read as null. A value of the wrong kind (a number or object where a name belongs, a string where a list of
 * ids belongs) fails only that record; code-like fields (grade, period, SIS numbers) also accept numbers.
 */
final class CleverJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Pattern DOB = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(?:[T ].*)?");

    private CleverJson() {
    }

    /** A record of the wrong shape. */
    static final class MappingException extends RuntimeException {
        MappingException(String message) {
            super(message, null, false, false);
        }
    }

    /** A response body that is not a readable Clever envelope. */
    static final class InvalidBodyException extends RuntimeException {
        InvalidBodyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A parsed list page before cursor extraction: items and the raw {@code next} link, if any. */
    record RawPage<T>(List<Item<T>> items, String nextUri) {
    }

    // ---------------------------------------------------------------- envelopes

    /**
     * Reads {@code {"data":[{"data":{...},"uri":...}],"links":[...]}} from the stream. Any JSON syntax failure
     * (a truncated body) throws {@link InvalidBodyException}; I/O failures surface as
     * {@link java.io.UncheckedIOException}s, handled by the caller.
     */
    static <T> RawPage<T> readPage(InputStream body, Function<JsonNode, T> mapper) {
        return readPage(body, mapper, true);
    }

    /**
     * {@code wrapped}: Data API entries are {@code {"data":{record},"uri":...}}; {@code /oauth/tokens} lists
     * the records themselves.
     */
    static <T> RawPage<T> readPage(InputStream body, Function<JsonNode, T> mapper, boolean wrapped) {
        PageBuffer buffer = new PageBuffer();
        buffer.fill(body);
        LazyPage<T> page = scanPage(buffer, mapper, wrapped);
        return new RawPage<>(page.rest(), page.nextUri());
    }

    /**
     * Checks a whole page body token by token without mapping a record: it must be one JSON object whose
     * {@code data} is a list (or null), with nothing after it; counts the entries and takes the {@code next}
     * link. Any JSON syntax failure (a truncated body) throws {@link InvalidBodyException}. The records are
     * mapped later, one at a time, by the returned page.
     */
    static <T> LazyPage<T> scanPage(PageBuffer buffer, Function<JsonNode, T> mapper, boolean wrapped) {
        int size = 0;
        String next = null;
        try (JsonParser p = MAPPER.createParser(buffer.bytes(), 0, buffer.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidBodyException("the page is not a JSON object", null);
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("data".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                        size++;
                    }
                } else if ("data".equals(field) && value != JsonToken.VALUE_NULL) {
                    throw new InvalidBodyException("the page's data is not a list", null);
                } else if ("links".equals(field) && value == JsonToken.START_ARRAY) {
                    JsonNode links = p.readValueAsTree();
                    for (JsonNode link : links) {
                        if ("next".equals(link.path("rel").asString(null)) && link.path("uri").isString()) {
                            next = link.path("uri").asString();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new InvalidBodyException("the page ended early", null);
            }
            if (p.nextToken() != null) {
                throw new InvalidBodyException("the page has data after its end", null);
            }
        } catch (JacksonException e) {
            throw new InvalidBodyException("the page is not valid JSON (" + firstLine(e.getOriginalMessage()) + ")", e);
        }
        return new LazyPage<>(buffer, mapper, wrapped, size, next);
    }

    /** Reads {@code {"data":{...}}}; the record is mapped like a list entry. */
    static <T> Item<T> readSingle(InputStream body, Function<JsonNode, T> mapper) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            if (e instanceof tools.jackson.core.exc.JacksonIOException) {
                throw e;
            }
            throw new InvalidBodyException("the response is not valid JSON (" + firstLine(e.getOriginalMessage()) + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidBodyException("the response is not a JSON object", null);
        }
        return item(root, mapper);
    }

    private static JsonNode wrap(JsonNode record) {
        var entry = MAPPER.createObjectNode();
        entry.set("data", record);
        return entry;
    }

    static <T> Item<T> item(JsonNode entry, Function<JsonNode, T> mapper, boolean wrapped) {
        return item(wrapped ? entry : wrap(entry), mapper);
    }

    private static <T> Item<T> item(JsonNode entry, Function<JsonNode, T> mapper) {
        JsonNode record = entry.path("data");
        String ownId = record.path("id").isString() ? blankToNull(record.path("id").asString()) : null;
        // A record without its own id is malformed (what it maps to has none), named by its uri where that has one.
        String id = ownId != null ? ownId : idFromUri(entry.path("uri").isString() ? entry.path("uri").asString() : null);
        if (!record.isObject()) {
            return Item.malformed(id, "the entry has no data object");
        }
        if (ownId == null) {
            return Item.malformed(id, "the record has no id");
        }
        try {
            return Item.of(id, mapper.apply(record));
        } catch (MappingException e) {
            return Item.malformed(id, e.getMessage());
        } catch (RuntimeException e) {
            return Item.malformed(id, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    static String idFromUri(String uri) {
        if (uri == null || uri.isBlank()) {
            return null;
        }
        String path = uri;
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        int slash = path.lastIndexOf('/');
        String last = slash >= 0 ? path.substring(slash + 1) : path;
        return last.isBlank() ? null : last;
    }

    /** The {@code starting_after} value of a (relative) link, resolved against the API base URL. */
    static String startingAfter(String baseUrl, String link) {
        URI uri = URI.create(baseUrl + "/").resolve(link);
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals("starting_after") && eq >= 0) {
                String value = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                return value.isBlank() ? null : value;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- records

    static CleverDistrict district(JsonNode n) {
        return new CleverDistrict(str(n, "id"), str(n, "name"), str(n, "state"));
    }

    static CleverSchool school(JsonNode n) {
        return new CleverSchool(str(n, "id"), str(n, "district"), str(n, "name"), code(n, "sis_id"),
                code(n, "school_number"), code(n, "low_grade"), code(n, "high_grade"));
    }

    static CleverTerm term(JsonNode n) {
        return new CleverTerm(str(n, "id"), str(n, "district"), str(n, "name"),
                isoDate(str(n, "start_date")), isoDate(str(n, "end_date")));
    }

    static CleverSection section(JsonNode n) {
        return new CleverSection(str(n, "id"), str(n, "district"), str(n, "school"), str(n, "term_id"),
                str(n, "name"), code(n, "period"), str(n, "subject"), code(n, "grade"), code(n, "sis_id"),
                code(n, "section_number"), str(n, "course"), str(n, "teacher"), strings(n, "teachers"),
                strings(n, "students"));
    }

    static CleverUser user(JsonNode n) {
        JsonNode nameNode = obj(n, "name");
        CleverName name = nameNode == null ? null
                : new CleverName(str(nameNode, "first"), str(nameNode, "middle"), str(nameNode, "last"));
        JsonNode roles = obj(n, "roles");
        CleverUser.Student student = null;
        CleverUser.Teacher teacher = null;
        CleverUser.Contact contact = null;
        boolean staff = false;
        boolean districtAdmin = false;
        if (roles != null) {
            JsonNode s = obj(roles, "student");
            if (s != null) {
                student = new CleverUser.Student(code(s, "sis_id"), code(s, "student_number"), code(s, "state_id"),
                        str(s, "school"), strings(s, "schools"), code(s, "grade"), dob(str(s, "dob")), str(s, "gender"));
            }
            JsonNode t = obj(roles, "teacher");
            if (t != null) {
                teacher = new CleverUser.Teacher(code(t, "sis_id"), code(t, "teacher_number"), code(t, "state_id"),
                        str(t, "title"), str(t, "school"), strings(t, "schools"));
            }
            JsonNode c = obj(roles, "contact");
            if (c != null) {
                List<CleverUser.StudentRelationship> relationships = new ArrayList<>();
                for (JsonNode r : array(c, "student_relationships")) {
                    if (r.isNull()) {
                        continue;
                    }
                    if (!r.isObject()) {
                        throw new MappingException("roles.contact.student_relationships holds a " + kind(r) + ", not an object");
                    }
                    relationships.add(new CleverUser.StudentRelationship(str(r, "student"), str(r, "relationship"), str(r, "type")));
                }
                contact = new CleverUser.Contact(code(c, "sis_id"), code(c, "phone"), str(c, "phone_type"), List.copyOf(relationships));
            }
            staff = obj(roles, "staff") != null;
            districtAdmin = obj(roles, "district_admin") != null;
        }
        return new CleverUser(str(n, "id"), str(n, "district"), str(n, "email"), name, student, teacher, contact,
                staff, districtAdmin);
    }

    static CleverEvent event(JsonNode n) {
        String type = str(n, "type");
        if (type == null) {
            throw new MappingException("the event has no type");
        }
        JsonNode data = obj(n, "data");
        JsonNode object = data == null ? null : obj(data, "object");
        JsonNode previous = data == null ? null : obj(data, "previous_attributes");
        Set<String> changed = new LinkedHashSet<>();
        if (previous != null) {
            changed.addAll(previous.propertyNames());
        }
        String recordType = type.contains(".") ? type.substring(0, type.indexOf('.')) : type;
        CleverUser user = null;
        CleverSection section = null;
        CleverTerm term = null;
        CleverSchool school = null;
        if (object != null) {
            switch (recordType) {
                case "users" -> user = user(object);
                case "sections" -> section = section(object);
                case "terms" -> term = term(object);
                case "schools" -> school = school(object);
                default -> { /* other record types are not used by clever-sync */ }
            }
        }
        return new CleverEvent(str(n, "id"), type, instant(str(n, "created")), user, section, term, school, Set.copyOf(changed));
    }

    static DistrictToken districtToken(JsonNode n) {
        JsonNode owner = obj(n, "owner");
        String districtId = owner == null ? null : str(owner, "id");
        String token = str(n, "access_token");
        if (token == null) {
            throw new MappingException("the token entry has no access_token");
        }
        return new DistrictToken(districtId, token);
    }

    // ---------------------------------------------------------------- lenient field access

    /** A string field; a number, boolean, object or list there fails the record. */
    static String str(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (!v.isString()) {
            throw new MappingException("'" + field + "' is " + kind(v) + " where a string belongs");
        }
        return blankToNull(v.asString());
    }

    /**
     * A code-like string field (grade, period, SIS ids and numbers, phone) that SIS exports sometimes send as a
     * JSON number: a number is kept as its text; an object, list or boolean fails the record.
     */
    static String code(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (!v.isString() && !v.isNumber()) {
            throw new MappingException("'" + field + "' is " + kind(v) + " where a string belongs");
        }
        return blankToNull(v.asString());
    }

    static JsonNode obj(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull() || v.isMissingNode() || (v.isString() && v.asString().isBlank())) {
            return null;
        }
        if (!v.isObject()) {
            throw new MappingException("'" + field + "' is " + kind(v) + " where an object belongs");
        }
        return v;
    }

    static List<String> strings(JsonNode parent, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(parent, field)) {
            if (v.isContainer()) {
                throw new MappingException("'" + field + "' holds " + kind(v) + " where ids belong");
            }
            String s = v.isNull() ? null : blankToNull(v.asString());
            if (s != null) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    private static Iterable<JsonNode> array(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull() || v.isMissingNode() || (v.isString() && v.asString().isBlank())) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new MappingException("'" + field + "' is " + kind(v) + " where a list belongs");
        }
        return v;
    }

    static LocalDate isoDate(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = ISO_DATE.matcher(s.strip());
        if (!m.matches()) {
            return null;
        }
        return date(m.group(1), m.group(2), m.group(3));
    }

    /** {@code M/D/YYYY} as Clever sends it; {@code YYYY-MM-DD} is accepted too; anything else is null. */
    static LocalDate dob(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = DOB.matcher(s.strip());
        if (m.matches()) {
            return date(m.group(3), m.group(1), m.group(2));
        }
        return isoDate(s);
    }

    private static LocalDate date(String year, String month, String day) {
        try {
            return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException e) {
            try {
                return Instant.parse(s);
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isNumber()) {
            return "a number (" + v.asString() + ")";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isString()) {
            return "a string";
        }
        return v.getNodeType().toString().toLowerCase();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
