package com.cleversync.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Data API wire format over real HTTP: paging, envelopes, errors, auth and rate-limit headers. */
class SimulatorApiTest {

    static CleverSimulator clever;
    static SimHttp http;
    static SimulatedDistrict district;

    @BeforeAll
    static void start() {
        clever = CleverSimulator.start(SimulatorSettings.defaults().withSchools(3).withStudentsPerSchool(80));
        http = new SimHttp(clever);
        district = clever.district();
    }

    @AfterAll
    static void stop() {
        clever.close();
    }

    @Test
    void pagingWithSeveralLimitsReturnsEveryRecordExactlyOnceInIdOrder() {
        List<String> users = district.users().stream().map(SimUser::id).toList();
        List<String> sections = district.sections().stream().map(SimSection::id).toList();
        List<String> contacts = district.users("contact").stream().map(SimUser::id).toList();
        String school = district.schools().get(1).id();
        List<String> schoolStudents = district.users("student").stream()
                .filter(u -> u.schoolIds().contains(school)).map(SimUser::id).toList();
        List<String> schoolSections = district.sectionsOf(school).stream().map(SimSection::id).toList();
        assertThat(users).isSorted().doesNotHaveDuplicates().hasSizeGreaterThan(400);

        for (int limit : new int[] {1, 7, 100, 10_000}) {
            if (limit == 1) {
                assertThat(SimHttp.ids(http.all("/v3.0/schools/" + school + "/sections?limit=1")))
                        .containsExactlyElementsOf(schoolSections);
                continue;
            }
            assertThat(SimHttp.ids(http.all("/v3.0/users?limit=" + limit))).containsExactlyElementsOf(users);
            assertThat(SimHttp.ids(http.all("/v3.1/sections?limit=" + limit))).containsExactlyElementsOf(sections);
            assertThat(SimHttp.ids(http.all("/v3.0/users?role=contact&limit=" + limit)))
                    .containsExactlyElementsOf(contacts);
            assertThat(SimHttp.ids(http.all("/v3.0/schools/" + school + "/users?role=student&limit=" + limit)))
                    .containsExactlyElementsOf(schoolStudents);
            assertThat(SimHttp.ids(http.all("/v3.1/schools/" + school + "/sections?limit=" + limit)))
                    .containsExactlyElementsOf(schoolSections);
        }
        // No limit: Clever's default page size of 100.
        JsonNode first = http.get("/v3.0/users").json();
        assertThat(first.get("data")).hasSize(100);
        assertThat(SimHttp.ids(http.all("/v3.0/users"))).containsExactlyElementsOf(users);
    }

    @Test
    void envelopeCarriesUrisAndRelativeLinksWithTheOriginalParams() {
        String school = district.schools().get(0).id();
        JsonNode page = http.get("/v3.0/schools/" + school + "/users?role=student&limit=5").json();
        JsonNode item = page.get("data").get(0);
        assertThat(item.get("uri").asString()).isEqualTo("/v3.0/users/" + item.get("data").get("id").asString());
        assertThat(SimHttp.link(page, "self")).isEqualTo("/v3.0/schools/" + school + "/users?role=student&limit=5");
        String last = page.get("data").get(4).get("data").get("id").asString();
        assertThat(SimHttp.link(page, "next"))
                .isEqualTo("/v3.0/schools/" + school + "/users?role=student&limit=5&starting_after=" + last);
        assertThat(SimHttp.link(page, "prev")).isNull();

        JsonNode second = http.get(SimHttp.link(page, "next")).json();
        String firstOfSecond = second.get("data").get(0).get("data").get("id").asString();
        assertThat(SimHttp.link(second, "prev"))
                .isEqualTo("/v3.0/schools/" + school + "/users?role=student&limit=5&ending_before=" + firstOfSecond);
        // Following prev returns the first page again.
        JsonNode back = http.get(SimHttp.link(second, "prev")).json();
        assertThat(SimHttp.ids(items(back))).isEqualTo(SimHttp.ids(items(page)));
    }

    @Test
    void lastPageHasNoNextAndACursorPastTheEndGivesEmptyData() {
        List<SimTerm> terms = district.terms();
        JsonNode all = http.get("/v3.0/terms?limit=10000").json();
        assertThat(all.get("data")).hasSize(terms.size());
        assertThat(SimHttp.link(all, "next")).isNull();
        String lastId = terms.get(terms.size() - 1).id();
        JsonNode past = http.get("/v3.0/terms?starting_after=" + lastId).json();
        assertThat(past.get("data")).isEmpty();
        assertThat(SimHttp.link(past, "next")).isNull();
        assertThat(http.get("/v3.0/users?starting_after=ffffffffffffffffffffffff").json().get("data")).isEmpty();
        // Exactly a full last page: next is absent as well.
        JsonNode exact = http.get("/v3.0/terms?limit=" + terms.size()).json();
        assertThat(SimHttp.link(exact, "next")).isNull();
    }

    @Test
    void endingBeforePagesBackwards() {
        List<String> sections = district.sections().stream().map(SimSection::id).toList();
        String cursor = sections.get(20);
        JsonNode page = http.get("/v3.0/sections?limit=5&ending_before=" + cursor).json();
        assertThat(SimHttp.ids(items(page))).containsExactlyElementsOf(sections.subList(15, 20));
        assertThat(SimHttp.link(page, "next")).endsWith("starting_after=" + sections.get(19));
    }

    @Test
    void limitOver10000Is413AndBadLimitIs400() {
        SimHttp.Response tooBig = http.get("/v3.0/users?limit=10001");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().get("message").asString()).contains("10000");
        assertThat(http.get("/v3.0/users?limit=abc").status()).isEqualTo(400);
        assertThat(http.get("/v3.0/users?limit=0").status()).isEqualTo(400);
        assertThat(http.get("/v3.0/users?role=parent").status()).isEqualTo(400);
        assertThat(http.get("/v3.0/schools/" + district.schools().get(0).id() + "/users?role=contact").status())
                .isEqualTo(400);
    }

    @Test
    void missingOrWrongTokenIs401WithAJsonError() {
        SimHttp.Response none = http.get("/v3.0/districts", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asString()).isNotBlank();
        assertThat(http.get("/v3.0/districts", "Bearer wrong").status()).isEqualTo(401);
        assertThat(http.get("/v3.0/districts", "Basic ZGVtbzpkZW1v").status()).isEqualTo(401);
        assertThat(none.body()).doesNotContain(clever.settings().token());
    }

    @Test
    void singleObjectsAndNotFound() {
        SimSection section = district.sections().get(3);
        JsonNode one = http.get("/v3.0/sections/" + section.id()).json();
        assertThat(one.get("data").get("id").asString()).isEqualTo(section.id());
        assertThat(one.get("data").get("students")).hasSize(section.studentIds().size());
        assertThat(http.get("/v3.1/users/" + section.studentIds().get(0)).json().get("data").get("roles")
                .has("student")).isTrue();
        assertThat(http.get("/v3.0/districts/" + district.id()).json().get("data").get("name").asString())
                .isEqualTo(district.name());
        assertThat(http.get("/v3.0/schools/" + section.schoolId()).json().get("data").get("name").asString())
                .isEqualTo(district.school(section.schoolId()).orElseThrow().name());

        SimHttp.Response missing = http.get("/v3.0/sections/000000000000000000000000");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/json");
        assertThat(missing.json().get("message").asString()).isNotBlank();
        assertThat(http.get("/v3.0/users/nope").status()).isEqualTo(404);
        assertThat(http.get("/v3.0/schools/000000000000000000000000/sections").status()).isEqualTo(404);

        SimHttp.Response unknownPath = http.get("/v3.0/classes");
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.header("Content-Type")).startsWith("text/html");
        assertThat(unknownPath.body()).contains("<html");
        assertThat(http.get("/nothing/here", null).status()).isEqualTo(404);
    }

    @Test
    void districtsListsTheOneDistrict() {
        JsonNode page = http.get("/v3.0/districts").json();
        assertThat(page.get("data")).hasSize(1);
        assertThat(page.get("data").get(0).get("uri").asString()).isEqualTo("/v3.0/districts/" + district.id());
    }

    @Test
    void schoolTermsAreTheTermsItsSectionsUse() {
        for (SimSchool school : district.schools()) {
            Set<String> used = district.sectionsOf(school.id()).stream().map(SimSection::termId)
                    .filter(t -> t != null).collect(Collectors.toCollection(TreeSet::new));
            List<JsonNode> served = http.all("/v3.0/schools/" + school.id() + "/terms");
            assertThat(SimHttp.ids(served)).containsExactlyElementsOf(used).hasSize(2);
            assertThat(served.get(0).get("start_date").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(district.termsOf(school.id()).stream().map(SimTerm::id).toList())
                    .containsExactlyElementsOf(used);
        }
    }

    @Test
    void recordsCarryClevers_fields() {
        SimUser student = district.users("student").get(0);
        JsonNode s = http.get("/v3.0/users/" + student.id()).json().get("data");
        JsonNode role = s.get("roles").get("student");
        assertThat(role.get("sis_id").asString()).isEqualTo(student.studentSisId());
        assertThat(role.get("student_number").asString()).isEqualTo(student.studentNumber());
        assertThat(role.get("school").asString()).isEqualTo(student.schoolId());
        assertThat(role.get("dob").asString()).isEqualTo(student.dob().format(DateTimeFormatter.ofPattern("M/d/yyyy")))
                .matches("\\d{1,2}/\\d{1,2}/\\d{4}");
        assertThat(s.get("district").asString()).isEqualTo(district.id());

        SimSection section = district.sections().stream().filter(x -> x.teacherIds().size() == 2).findFirst()
                .orElseThrow();
        JsonNode sec = http.get("/v3.1/sections/" + section.id()).json().get("data");
        assertThat(sec.get("teacher").asString()).isEqualTo(section.teacherIds().get(0));
        assertThat(sec.get("teachers")).hasSize(2);
        for (String field : List.of("id", "district", "school", "term_id", "name", "period", "subject", "grade",
                "sis_id", "section_number", "course", "teacher", "teachers", "students", "created", "last_modified")) {
            assertThat(sec.has(field)).as(field).isTrue();
        }
        SimUser contact = district.users("contact").get(0);
        JsonNode c = http.get("/v3.0/users/" + contact.id()).json().get("data").get("roles").get("contact");
        assertThat(c.get("student_relationships").get(0).get("student").asString())
                .isEqualTo(contact.relationships().get(0).studentId());
    }

    @Test
    void rateLimitHeadersOnEveryAuthorizedResponse() {
        SimHttp.Response a = http.get("/v3.0/schools");
        SimHttp.Response b = http.get("/v3.0/sections/000000000000000000000000");
        for (SimHttp.Response r : List.of(a, b)) {
            assertThat(r.header("X-Ratelimit-Limit")).isEqualTo("1200");
            assertThat(r.header("X-Ratelimit-Bucket")).isEqualTo("bearer");
            assertThat(Long.parseLong(r.header("X-Ratelimit-Reset"))).isGreaterThan(System.currentTimeMillis() / 1000 - 1);
        }
        int remainingA = Integer.parseInt(a.header("X-Ratelimit-Remaining"));
        int remainingB = Integer.parseInt(b.header("X-Ratelimit-Remaining"));
        assertThat(remainingB).isLessThan(remainingA > 0 ? remainingA : Integer.MAX_VALUE);
    }

    @Test
    void oauthTokensListsTheDistrictTokenForTheClientCredentials() {
        SimHttp.Response ok = http.getBasic("/oauth/tokens?owner_type=district", "demo-client-id", "demo-client-secret");
        assertThat(ok.status()).isEqualTo(200);
        JsonNode token = ok.json().get("data").get(0);
        assertThat(token.get("access_token").asString()).isEqualTo(clever.settings().token());
        assertThat(token.get("owner").get("type").asString()).isEqualTo("district");
        assertThat(token.get("owner").get("id").asString()).isEqualTo(district.id());
        SimHttp.Response bad = http.getBasic("/oauth/tokens?owner_type=district", "demo-client-id", "wrong");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().get("error").asString()).isEqualTo("invalid_client");
        assertThat(http.get("/oauth/tokens?owner_type=district").status()).isEqualTo(401);
    }

    @Test
    void requestLogCounts() {
        RequestLog log = clever.requests();
        long before = log.count("/v3.0/terms");
        long notFound = log.countStatus(404);
        http.get("/v3.0/terms");
        http.get("/v3.0/terms/000000000000000000000000");
        assertThat(log.count("/v3.0/terms")).isEqualTo(before + 2);
        assertThat(log.countStatus(404)).isGreaterThanOrEqualTo(notFound + 1);
        assertThat(log.total()).isGreaterThanOrEqualTo(2);
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.get("data").forEach(i -> out.add(i.get("data")));
        out.sort(Comparator.comparing(n -> n.get("id").asString()));
        return out;
    }
}
