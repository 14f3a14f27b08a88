package com.cleversync.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every response shape the simulator serves validates against Clever's published Swagger specs (read from the
 * shared reference folder, never copied into the project). Known gaps in the specs are allowed explicitly:
 * list items carry {@code uri}; term dates are YYYY-MM-DD although declared datetime; events carry
 * {@code previous_attributes} inside {@code data} next to {@code object} (as recorded on the wire), where the spec
 * places it beside {@code data}.
 */
class ContractTest {

    private static final Set<String> DATE_ONLY = Set.of("Term.start_date", "Term.end_date");
    /** Undeclared properties the wire is known to have. */
    private static final List<Pattern> KNOWN_UNDECLARED = List.of(
            Pattern.compile(".*\\.data\\[\\d+]\\.uri"),
            Pattern.compile(".*\\.data\\.previous_attributes"));

    static CleverSimulator clever;
    static SimHttp http;
    static Path specs;

    @BeforeAll
    static void start() {
        specs = specFolder();
        Assumptions.assumeTrue(specs != null, "Clever's Swagger files are not in ../shared/reference/clever (or the folder "
                + "named by CLEVER_REFERENCE_DIR); contract test skipped");
        clever = CleverSimulator.start(SimulatorSettings.defaults().withSchools(3).withStudentsPerSchool(40));
        http = new SimHttp(clever);
        SimulatedDistrict d = clever.district();
        // Events of every kind the simulator emits.
        SimSection section = d.sections().get(0);
        clever.mutations().dropStudentFromSection(section.id(), section.studentIds().get(0));
        clever.mutations().addStudentToSection(section.id());
        clever.mutations().renameUser(d.users("contact").get(0).id(), "Renamed Parent");
        clever.mutations().changeShare(0.05, 3);
        clever.mutations().deleteSection(d.sections().get(1).id());
    }

    @AfterAll
    static void stop() {
        if (clever != null) {
            clever.close();
        }
    }

    static Path specFolder() {
        String configured = System.getenv("CLEVER_REFERENCE_DIR");
        List<Path> candidates = configured == null || configured.isBlank()
                ? List.of(Path.of("..", "shared", "reference", "clever"))
                : List.of(Path.of(configured), Path.of("..", "shared", "reference", "clever"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("v3.0.yml"))) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void dataApiV30() throws Exception {
        validateDataApi("v3.0");
    }

    @Test
    void dataApiV31() throws Exception {
        validateDataApi("v3.1");
    }

    @Test
    void eventsV30() throws Exception {
        validateEvents("v3.0");
    }

    @Test
    void eventsV31() throws Exception {
        validateEvents("v3.1");
    }

    @Test
    void theValidatorCatchesBrokenShapesAndUndeclaredFields() throws Exception {
        SwaggerValidator v = new SwaggerValidator(specs.resolve("v3.0.yml"), DATE_ONLY);
        SimSection section = clever.district().sections().get(2);
        clever.faults().malformedRecord(section.id());
        try {
            v.validate(http.get("/v3.0/sections/" + section.id()).json(), "SectionResponse", "s");
        } finally {
            clever.faults().clear();
        }
        assertThat(v.errors()).extracting(SwaggerValidator.Problem::path).contains("s.data.name", "s.data.students");
        v.validate(SimHttp.JSON.readTree("{\"data\":{\"id\":\"x\",\"grade\":\"14\",\"start\":1,"
                + "\"teachers\":[null]}}"), "SectionResponse", "t");
        assertThat(v.errors()).extracting(SwaggerValidator.Problem::path).contains("t.data.grade", "t.data.teachers[0]");
        assertThat(v.undeclared()).extracting(SwaggerValidator.Problem::path).containsExactly("t.data.start");
        v.validate(SimHttp.JSON.readTree("{\"data\":{\"start_date\":\"2026-01-01\"}}"), "CourseResponse", "c");
        v.validate(SimHttp.JSON.readTree("{\"data\":{\"launch_date\":\"2026-01-01T00:00:00Z\"}}"),
                "DistrictResponse", "d");
        assertThat(v.errors()).extracting(SwaggerValidator.Problem::path).contains("d.data.launch_date");
    }

    private void validateDataApi(String version) throws Exception {
        SwaggerValidator v = new SwaggerValidator(specs.resolve(version + ".yml"), DATE_ONLY);
        String p = "/" + version;
        SimulatedDistrict d = clever.district();
        list(v, p + "/districts", "DistrictsResponse");
        list(v, p + "/schools", "SchoolsResponse");
        list(v, p + "/terms", "TermsResponse");
        list(v, p + "/sections?limit=10000", "SectionsResponse");
        list(v, p + "/users?limit=10000", "UsersResponse");
        for (String role : SimUser.ROLES) {
            list(v, p + "/users?role=" + role, "UsersResponse");
        }
        SimSchool school = d.schools().get(0);
        list(v, p + "/schools/" + school.id() + "/sections", "SectionsResponse");
        list(v, p + "/schools/" + school.id() + "/terms", "TermsResponse");
        list(v, p + "/schools/" + school.id() + "/users?role=teacher", "UsersResponse");
        single(v, p + "/districts/" + d.id(), "DistrictResponse");
        single(v, p + "/schools/" + school.id(), "SchoolResponse");
        single(v, p + "/terms/" + d.terms().get(0).id(), "TermResponse");
        single(v, p + "/sections/" + d.sections().get(0).id(), "SectionResponse");
        for (String role : SimUser.ROLES) {
            single(v, p + "/users/" + d.users(role).get(0).id(), "UserResponse");
        }
        assertThat(v.errors()).as("schema violations").isEmpty();
        assertThat(unexpected(v)).as("properties the spec does not declare").isEmpty();
    }

    private void validateEvents(String version) throws Exception {
        SwaggerValidator v = new SwaggerValidator(specs.resolve(version + "-events.yml"), DATE_ONLY);
        JsonNode page = list(v, "/" + version + "/events?limit=10000", "EventsResponse");
        Set<String> types = new java.util.TreeSet<>();
        page.get("data").forEach(e -> types.add(e.get("data").get("type").asString()));
        assertThat(types).contains("users.created", "users.updated", "users.deleted", "sections.created",
                "sections.updated", "sections.deleted");
        for (String type : types) {
            assertThat(v.has(type)).as("spec defines " + type).isTrue();
        }
        single(v, "/" + version + "/events/" + page.get("data").get(0).get("data").get("id").asString(),
                "EventResponse");
        assertThat(v.errors()).as("schema violations").isEmpty();
        assertThat(unexpected(v)).as("properties the spec does not declare").isEmpty();
    }

    private static JsonNode list(SwaggerValidator v, String path, String definition) {
        SimHttp.Response r = http.get(path);
        assertThat(r.status()).as(path).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("data")).as(path).isNotEmpty();
        v.validate(body, definition, path);
        return body;
    }

    private static void single(SwaggerValidator v, String path, String definition) {
        SimHttp.Response r = http.get(path);
        assertThat(r.status()).as(path).isEqualTo(200);
        v.validate(r.json(), definition, path);
    }

    private static List<SwaggerValidator.Problem> unexpected(SwaggerValidator v) {
        List<SwaggerValidator.Problem> out = new ArrayList<>();
        for (SwaggerValidator.Problem problem : v.undeclared()) {
            if (KNOWN_UNDECLARED.stream().noneMatch(k -> k.matcher(problem.path()).matches())) {
                out.add(problem);
            }
        }
        return out;
    }
}
