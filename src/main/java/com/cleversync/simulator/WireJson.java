package com.cleversync.simulator;

import tools.jackson.core.JsonGenerator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes simulator records in Clever's v3 wire format. A record listed in {@link Faults#malformedRecord} is
 * written with a broken shape ({@code "name": 42}, {@code "students": "x"}) that is still valid JSON.
 */
final class WireJson {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final SimulatedDistrict district;
    private final Faults faults;

    WireJson(SimulatedDistrict district, Faults faults) {
        this.district = district;
        this.faults = faults;
    }

    /** Consecutive records mostly share their ObjectId second: remember the last one formatted per thread. */
    private static final ThreadLocal<Object[]> LAST_SECOND = ThreadLocal.withInitial(() -> new Object[] {-1L, ""});

    static String timestamp(Instant instant) {
        if (instant.getNano() == 0) {
            Object[] last = LAST_SECOND.get();
            if ((Long) last[0] == instant.getEpochSecond()) {
                return (String) last[1];
            }
            String formatted = TIMESTAMP.format(instant);
            last[0] = instant.getEpochSecond();
            last[1] = formatted;
            return formatted;
        }
        return TIMESTAMP.format(instant);
    }

    static String dob(LocalDate date) {
        return date.getMonthValue() + "/" + date.getDayOfMonth() + "/" + date.getYear();
    }

    void district(JsonGenerator g) {
        String id = district.id();
        g.writeStartObject();
        g.writeStringProperty("id", id);
        if (faults.isMalformed(id)) {
            g.writeNumberProperty("name", 42);
        } else {
            g.writeStringProperty("name", district.name());
        }
        g.writeStringProperty("sis_type", "sftp");
        g.writeStringProperty("portal_url", "https://clever.com/in/" + id.substring(16));
        g.writeArrayPropertyStart("login_methods");
        g.writeString("clever");
        g.writeString("google");
        g.writeEndArray();
        g.writeStringProperty("launch_date", "2025-06-01");
        g.writeStringProperty("last_sync", timestamp(district.now()));
        g.writeStringProperty("state", "success");
        g.writeStringProperty("error", "");
        g.writeNullProperty("pause_start");
        g.writeNullProperty("pause_end");
        g.writeStringProperty("mdr_number", "0" + (Long.parseLong(id.substring(18), 16) % 10_000_000));
        g.writeStringProperty("nces_id", String.valueOf(600_000 + Long.parseLong(id.substring(18), 16) % 99_999));
        g.writeObjectPropertyStart("district_contact");
        g.writeStringProperty("id", id.substring(0, 23) + "f");
        g.writeStringProperty("district", id);
        g.writeStringProperty("email", "data@" + "district.example.org");
        g.writeObjectPropertyStart("name");
        g.writeStringProperty("first", "Dana");
        g.writeStringProperty("last", "Whitaker");
        g.writeEndObject();
        g.writeStringProperty("title", "Data Coordinator");
        g.writeEndObject();
        g.writeEndObject();
    }

    void school(JsonGenerator g, SimSchool s) {
        g.writeStartObject();
        g.writeStringProperty("id", s.id());
        g.writeStringProperty("district", district.id());
        if (faults.isMalformed(s.id())) {
            g.writeNumberProperty("name", 42);
        } else {
            g.writeStringProperty("name", s.name());
        }
        g.writeStringProperty("sis_id", s.sisId());
        g.writeStringProperty("school_number", s.schoolNumber());
        g.writeStringProperty("state_id", "ST-" + s.schoolNumber());
        g.writeStringProperty("nces_id", "06" + s.schoolNumber() + "0001");
        g.writeNullProperty("mdr_number");
        g.writeStringProperty("phone", "(555) 100-" + s.schoolNumber() + "0");
        g.writeStringProperty("low_grade", s.lowGrade());
        g.writeStringProperty("high_grade", s.highGrade());
        g.writeObjectPropertyStart("location");
        g.writeStringProperty("address", s.schoolNumber() + " School Street");
        g.writeStringProperty("city", "Springfield");
        g.writeStringProperty("state", "CA");
        g.writeStringProperty("zip", "90" + s.schoolNumber());
        g.writeEndObject();
        g.writeObjectPropertyStart("principal");
        g.writeStringProperty("name", "Principal of " + s.name());
        g.writeStringProperty("email", "principal" + s.schoolNumber() + "@district.example.org");
        g.writeEndObject();
        writeTimes(g, s.id());
        g.writeObjectPropertyStart("ext");
        g.writeEndObject();
        g.writeEndObject();
    }

    void term(JsonGenerator g, SimTerm t) {
        g.writeStartObject();
        g.writeStringProperty("id", t.id());
        g.writeStringProperty("district", district.id());
        if (faults.isMalformed(t.id())) {
            g.writeNumberProperty("name", 42);
        } else {
            g.writeStringProperty("name", t.name());
        }
        g.writeStringProperty("start_date", t.startDate().toString());
        g.writeStringProperty("end_date", t.endDate().toString());
        g.writeEndObject();
    }

    void section(JsonGenerator g, SimSection s) {
        boolean broken = faults.isMalformed(s.id());
        g.writeStartObject();
        g.writeStringProperty("id", s.id());
        g.writeStringProperty("district", district.id());
        g.writeStringProperty("school", s.schoolId());
        g.writeStringProperty("term_id", s.termId());
        if (broken) {
            g.writeNumberProperty("name", 42);
        } else {
            g.writeStringProperty("name", s.name());
        }
        g.writeStringProperty("period", s.period());
        g.writeStringProperty("subject", s.subject());
        g.writeStringProperty("grade", s.grade());
        g.writeStringProperty("sis_id", s.sisId());
        g.writeStringProperty("section_number", s.sectionNumber());
        g.writeStringProperty("course", s.courseId());
        g.writeStringProperty("teacher", s.teacherId());
        stringArray(g, "teachers", s.teacherIds());
        if (broken) {
            g.writeStringProperty("students", "x");
        } else {
            stringArray(g, "students", s.studentIds());
        }
        writeTimes(g, s.id());
        g.writeObjectPropertyStart("ext");
        g.writeEndObject();
        g.writeEndObject();
    }

    void user(JsonGenerator g, SimUser u) {
        boolean broken = faults.isMalformed(u.id());
        g.writeStartObject();
        if (!faults.isWithoutId(u.id())) {
            g.writeStringProperty("id", u.id());
        }
        g.writeStringProperty("district", district.id());
        g.writeStringProperty("email", u.email());
        if (broken) {
            g.writeNumberProperty("name", 42);
        } else {
            name(g, u.first(), u.middle(), u.last());
        }
        writeTimes(g, u.id());
        if (broken) {
            g.writeStringProperty("roles", "x");
            g.writeEndObject();
            return;
        }
        g.writeObjectPropertyStart("roles");
        if (u.has(SimUser.STUDENT)) {
            g.writeObjectPropertyStart("student");
            g.writeStringProperty("sis_id", u.studentSisId());
            g.writeStringProperty("student_number", u.studentNumber());
            g.writeStringProperty("state_id", "ST" + u.studentSisId());
            g.writeStringProperty("school", u.schoolId());
            stringArray(g, "schools", u.schoolIds());
            g.writeStringProperty("grade", u.grade());
            g.writeStringProperty("dob", u.dob() == null ? null : dob(u.dob()));
            g.writeStringProperty("gender", u.gender());
            g.writeObjectPropertyStart("credentials");
            g.writeStringProperty("district_username", u.studentSisId().toLowerCase(java.util.Locale.ROOT));
            g.writeEndObject();
            writeTimes(g, u.id());
            g.writeObjectPropertyStart("ext");
            g.writeEndObject();
            g.writeEndObject();
        }
        if (u.has(SimUser.TEACHER)) {
            g.writeObjectPropertyStart("teacher");
            g.writeStringProperty("sis_id", u.teacherSisId());
            g.writeStringProperty("teacher_number", u.teacherNumber());
            g.writeStringProperty("title", u.title());
            g.writeStringProperty("school", u.schoolId());
            stringArray(g, "schools", u.schoolIds());
            g.writeStringProperty("district", district.id());
            g.writeObjectPropertyStart("credentials");
            g.writeStringProperty("district_username", u.teacherSisId().toLowerCase(java.util.Locale.ROOT));
            g.writeEndObject();
            writeTimes(g, u.id());
            g.writeObjectPropertyStart("ext");
            g.writeEndObject();
            g.writeEndObject();
        }
        if (u.has(SimUser.STAFF)) {
            g.writeObjectPropertyStart("staff");
            g.writeStringProperty("staff_id", u.teacherSisId() != null ? u.teacherSisId() : "E" + u.id().substring(18));
            g.writeStringProperty("title", u.title());
            g.writeStringProperty("department", u.has(SimUser.TEACHER) ? "Instruction" : "Administration");
            stringArray(g, "schools", u.schoolIds());
            g.writeArrayPropertyStart("roles");
            g.writeEndArray();
            g.writeObjectPropertyStart("ext");
            g.writeEndObject();
            g.writeEndObject();
        }
        if (u.has(SimUser.DISTRICT_ADMIN)) {
            g.writeObjectPropertyStart("district_admin");
            g.writeStringProperty("title", u.title());
            g.writeEndObject();
        }
        if (u.has(SimUser.CONTACT)) {
            g.writeObjectPropertyStart("contact");
            g.writeStringProperty("sis_id", u.contactSisId());
            g.writeStringProperty("phone", u.phone());
            g.writeStringProperty("phone_type", u.phoneType());
            g.writeArrayPropertyStart("student_relationships");
            for (SimRelationship r : u.relationships()) {
                g.writeStartObject();
                g.writeStringProperty("student", r.studentId());
                g.writeStringProperty("relationship", r.relationship());
                g.writeStringProperty("type", r.type());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Writes any record the simulator serves. */
    void record(JsonGenerator g, Object record) {
        switch (record) {
            case SimUser u -> user(g, u);
            case SimSection s -> section(g, s);
            case SimSchool s -> school(g, s);
            case SimTerm t -> term(g, t);
            case SimEvent e -> event(g, e);
            default -> throw new IllegalArgumentException("not a simulator record: " + record);
        }
    }

    void event(JsonGenerator g, SimEvent e) {
        g.writeStartObject();
        g.writeStringProperty("id", e.id());
        g.writeStringProperty("type", e.type());
        g.writeStringProperty("created", timestamp(e.created()));
        g.writeObjectPropertyStart("data");
        g.writeName("object");
        record(g, e.object());
        if (e.type().endsWith(".updated")) {
            g.writeName("previous_attributes");
            value(g, e.previousAttributes());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Writes a plain value: null, String, Number, Boolean, List, Map or a simulator record. */
    void value(JsonGenerator g, Object value) {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Number n -> g.writeNumber(n.longValue());
            case Boolean b -> g.writeBoolean(b);
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    value(g, item);
                }
                g.writeEndArray();
            }
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    g.writeName(String.valueOf(entry.getKey()));
                    value(g, entry.getValue());
                }
                g.writeEndObject();
            }
            case SimRelationship r -> value(g, Map.of("student", r.studentId(), "relationship", r.relationship(),
                    "type", r.type()));
            default -> record(g, value);
        }
    }

    private void writeTimes(JsonGenerator g, String id) {
        String created = timestamp(Instant.ofEpochSecond(ObjectIds.seconds(id)));
        Instant changed = district.changedAt(id);
        g.writeStringProperty("created", created);
        g.writeStringProperty("last_modified", changed == null ? created : timestamp(changed));
    }

    private static void name(JsonGenerator g, String first, String middle, String last) {
        g.writeObjectPropertyStart("name");
        if (first != null) {
            g.writeStringProperty("first", first);
        }
        if (middle != null) {
            g.writeStringProperty("middle", middle);
        }
        g.writeStringProperty("last", last);
        g.writeEndObject();
    }

    private static void stringArray(JsonGenerator g, String field, List<String> values) {
        g.writeArrayPropertyStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
