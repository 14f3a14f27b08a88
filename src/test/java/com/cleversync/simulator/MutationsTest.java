package com.cleversync.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mutations change what the Data API serves and emit the matching Events API entries. */
class MutationsTest {

    CleverSimulator clever;
    SimHttp http;
    SimulatedDistrict district;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-09-01T10:00:00Z"));

    @BeforeEach
    void start() {
        clever = CleverSimulator.start(SimulatorSettings.defaults());
        clever.clock(now::get);
        http = new SimHttp(clever);
        district = clever.district();
    }

    @AfterEach
    void stop() {
        clever.close();
    }

    @Test
    void noEventsBeforeAnyChange() {
        assertThat(http.get("/v3.0/events").json().get("data")).isEmpty();
    }

    @Test
    void deleteSectionMakesIt404AndEmitsSectionsDeleted() {
        SimSection section = district.sections().get(4);
        clever.mutations().deleteSection(section.id());
        assertThat(http.get("/v3.0/sections/" + section.id()).status()).isEqualTo(404);
        assertThat(SimHttp.ids(http.all("/v3.0/sections?limit=1000"))).doesNotContain(section.id());
        JsonNode event = onlyEvent();
        assertThat(event.get("type").asString()).isEqualTo("sections.deleted");
        assertThat(event.get("data").get("object").get("id").asString()).isEqualTo(section.id());
        assertThat(event.get("data").get("object").get("students")).hasSize(section.studentIds().size());
        assertThatThrownBy(() -> clever.mutations().deleteSection(section.id()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dropStudentUpdatesTheSectionWithPreviousStudents() {
        SimSection section = district.sections().get(0);
        String student = section.studentIds().get(3);
        clever.mutations().dropStudentFromSection(section.id(), student);
        JsonNode served = http.get("/v3.0/sections/" + section.id()).json().get("data");
        assertThat(served.get("students")).hasSize(section.studentIds().size() - 1);
        assertThat(served.get("students").toString()).doesNotContain(student);
        assertThat(served.get("last_modified").asString()).isEqualTo("2026-09-01T10:00:00.000Z");
        assertThat(http.get("/v3.0/users/" + student).status()).isEqualTo(200);

        JsonNode event = onlyEvent();
        assertThat(event.get("type").asString()).isEqualTo("sections.updated");
        assertThat(event.get("created").asString()).isEqualTo("2026-09-01T10:00:00.000Z");
        JsonNode previous = event.get("data").get("previous_attributes");
        assertThat(previous.get("students")).hasSize(section.studentIds().size());
        assertThat(previous.get("students").toString()).contains(student);
        assertThat(event.get("data").get("object").get("students")).hasSize(section.studentIds().size() - 1);
    }

    @Test
    void addStudentCreatesAUserAndUpdatesTheSection() {
        SimSection section = district.sections().get(1);
        String id = clever.mutations().addStudentToSection(section.id());
        assertThat(district.users().get(district.users().size() - 1).id()).isEqualTo(id);
        JsonNode user = http.get("/v3.0/users/" + id).json().get("data");
        assertThat(user.get("roles").get("student").get("school").asString()).isEqualTo(section.schoolId());
        assertThat(http.get("/v3.0/sections/" + section.id()).json().get("data").get("students").toString())
                .contains(id);
        List<JsonNode> events = http.all("/v3.0/events");
        assertThat(events).extracting(e -> e.get("type").asString())
                .containsExactly("users.created", "sections.updated");
        assertThat(events.get(0).get("data").get("object").get("id").asString()).isEqualTo(id);
        assertThat(events.get(1).get("data").get("previous_attributes").get("students"))
                .hasSize(section.studentIds().size());
    }

    @Test
    void renameUserEmitsUsersUpdatedWithThePreviousName() {
        SimUser teacher = district.users("teacher").get(0);
        clever.mutations().renameUser(teacher.id(), "Renamed");
        assertThat(http.get("/v3.1/users/" + teacher.id()).json().get("data").get("name").get("last").asString())
                .isEqualTo("Renamed");
        JsonNode event = onlyEvent();
        assertThat(event.get("type").asString()).isEqualTo("users.updated");
        assertThat(event.get("data").get("object").get("name").get("last").asString()).isEqualTo("Renamed");
        assertThat(event.get("data").get("previous_attributes").get("name").get("last").asString())
                .isEqualTo(teacher.last());
    }

    @Test
    void emptySchoolSectionsLeavesTheSchoolWithoutSections() {
        SimSchool school = district.schools().get(0);
        int count = district.sectionsOf(school.id()).size();
        clever.mutations().emptySchoolSections(school.id());
        assertThat(http.get("/v3.0/schools/" + school.id() + "/sections").json().get("data")).isEmpty();
        assertThat(http.get("/v3.0/schools/" + school.id() + "/terms").json().get("data")).isEmpty();
        assertThat(http.get("/v3.0/schools/" + school.id()).status()).isEqualTo(200);
        assertThat(http.all("/v3.0/events?record_type=sections&limit=1000")).hasSize(count);
        assertThat(district.sectionsOf(district.schools().get(1).id())).isNotEmpty();
    }

    @Test
    void eventsPageWithCursorsAndFilters() {
        SimSchool first = district.schools().get(0);
        SimSchool second = district.schools().get(1);
        clever.mutations().deleteSection(district.sectionsOf(first.id()).get(0).id());
        clever.mutations().renameUser(district.users("student").get(0).id(), "One");
        clever.mutations().deleteSection(district.sectionsOf(second.id()).get(0).id());
        clever.mutations().renameUser(district.users("contact").get(0).id(), "Parent Two");

        List<JsonNode> all = http.all("/v3.0/events?limit=1");
        assertThat(all).hasSize(4);
        assertThat(SimHttp.ids(all)).isSorted().doesNotHaveDuplicates();
        assertThat(all.get(0).get("type").asString()).isEqualTo("sections.deleted");

        JsonNode page = http.get("/v3.0/events?limit=2").json();
        assertThat(SimHttp.link(page, "next")).isEqualTo("/v3.0/events?limit=2&starting_after="
                + all.get(1).get("id").asString());
        List<JsonNode> after = http.all("/v3.0/events?starting_after=" + all.get(1).get("id").asString());
        assertThat(SimHttp.ids(after)).containsExactlyElementsOf(SimHttp.ids(all.subList(2, 4)));

        assertThat(http.all("/v3.0/events?record_type=users")).hasSize(2);
        assertThat(http.all("/v3.0/events?record_type=users&record_type=sections")).hasSize(4);
        assertThat(http.all("/v3.0/events?record_type=terms")).isEmpty();
        // School filter: the first school's deleted section, its student, and the contact of that student.
        List<JsonNode> ofFirst = http.all("/v3.0/events?school=" + first.id());
        assertThat(ofFirst).extracting(e -> e.get("type").asString())
                .contains("sections.deleted", "users.updated").hasSizeBetween(2, 3);
        assertThat(http.all("/v3.0/events?school=" + second.id() + "&record_type=sections")).hasSize(1);

        JsonNode single = http.get("/v3.0/events/" + all.get(2).get("id").asString()).json().get("data");
        assertThat(single.get("type").asString()).isEqualTo("sections.deleted");
        assertThat(http.get("/v3.0/events/000000000000000000000000").status()).isEqualTo(404);
        // The newest event, the way a client seeds its cursor before a full sync.
        JsonNode newest = http.get("/v3.0/events?ending_before=last&limit=1").json().get("data");
        assertThat(newest.get(0).get("data").get("id").asString()).isEqualTo(all.get(3).get("id").asString());
    }

    @Test
    void eventsOlderThan30DaysAreDropped() {
        clever.mutations().renameUser(district.users("student").get(0).id(), "Old");
        now.set(now.get().plus(Duration.ofDays(20)));
        clever.mutations().renameUser(district.users("student").get(1).id(), "Newer");
        assertThat(http.all("/v3.0/events")).hasSize(2);
        now.set(now.get().plus(Duration.ofDays(11)));
        List<JsonNode> live = http.all("/v3.0/events");
        assertThat(live).hasSize(1);
        assertThat(live.get(0).get("data").get("object").get("name").get("last").asString()).isEqualTo("Newer");
        now.set(now.get().plus(Duration.ofDays(30)));
        assertThat(http.all("/v3.0/events")).isEmpty();
        assertThat(district.events()).isEmpty();
    }

    @Test
    void changeShareChangesAboutThatShareConsistently() {
        clever.close();
        clever = CleverSimulator.start(SimulatorSettings.defaults().withSchools(3).withStudentsPerSchool(120));
        clever.clock(now::get);
        http = new SimHttp(clever);
        district = clever.district();
        int usersBefore = district.users().size();
        int sectionsBefore = district.sections().size();
        clever.mutations().changeShare(0.2, 7);
        List<SimEvent> events = district.events();
        Set<String> touched = new HashSet<>();
        events.forEach(e -> touched.add(e.type()));
        assertThat(touched).contains("users.updated", "users.deleted", "users.created", "sections.updated",
                "sections.deleted", "sections.created");
        long directlyChanged = events.stream().filter(e -> !e.type().equals("sections.updated")).count();
        double records = usersBefore + sectionsBefore;
        assertThat(directlyChanged / records).isBetween(0.1, 0.4);

        Set<String> users = new HashSet<>();
        district.users().forEach(u -> users.add(u.id()));
        for (SimSection section : district.sections()) {
            assertThat(users).containsAll(section.studentIds()).containsAll(section.teacherIds());
        }
        for (SimUser contact : district.users("contact")) {
            assertThat(contact.relationships()).isNotEmpty();
            contact.relationships().forEach(r -> assertThat(users).contains(r.studentId()));
        }
        for (SimEvent event : events) {
            if (event.type().equals("users.deleted")) {
                assertThat(http.get("/v3.0/users/" + ((SimUser) event.object()).id()).status()).isEqualTo(404);
            }
            if (event.type().endsWith(".updated")) {
                assertThat(event.previousAttributes()).isNotEmpty();
            }
        }
        // What the API serves is what the district holds.
        assertThat(SimHttp.ids(http.all("/v3.0/users?limit=10000")))
                .containsExactlyElementsOf(district.users().stream().map(SimUser::id).toList());
        assertThat(http.all("/v3.0/events?limit=10000")).hasSize(events.size());
    }

    @Test
    void changeShareIsDeterministic() {
        clever.mutations().changeShare(0.1, 99);
        try (CleverSimulator other = CleverSimulator.start(SimulatorSettings.defaults())) {
            other.clock(now::get);
            other.mutations().changeShare(0.1, 99);
            assertThat(other.district().events().stream().map(e -> e.id() + e.type()).toList())
                    .isEqualTo(district.events().stream().map(e -> e.id() + e.type()).toList());
            assertThat(new SimHttp(other).get("/v3.0/users?limit=10000").body())
                    .isEqualTo(http.get("/v3.0/users?limit=10000").body());
        }
    }

    private JsonNode onlyEvent() {
        List<JsonNode> events = http.all("/v3.0/events");
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
