package com.cleversync.clever;

import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimSchool;
import com.cleversync.simulator.SimUser;
import com.cleversync.simulator.SimulatorSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Paging, single lookups and lenient mapping against the Clever simulator over real HTTP. */
class CleverClientPagingTest {

    static CleverSimulator sim;
    static CleverCredentials credentials;

    @BeforeAll
    static void start() {
        sim = CleverSimulator.start(SimulatorSettings.defaults());
        credentials = new CleverCredentials("Demo District", sim.settings().token());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.faults().clear();
        sim.requests().reset();
    }

    static CleverClient client(int limit) {
        return new CleverClient(CleverProperties.defaults(sim.baseUrl()).withPageLimit(limit), new SimpleMeterRegistry());
    }

    static long pages(int records, int limit) {
        return Math.max(1, (records + limit - 1) / limit);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 10000})
    void everyRecordOnceInIdOrderWithTheFewestRequests(int limit) {
        CleverClient client = client(limit);
        List<String> expectedStudents = sim.district().users(SimUser.STUDENT).stream().map(SimUser::id).sorted().toList();
        List<String> expectedContacts = sim.district().users(SimUser.CONTACT).stream().map(SimUser::id).sorted().toList();
        SimSchool school = sim.district().schools().getFirst();
        List<String> expectedSections = sim.district().sectionsOf(school.id()).stream()
                .map(com.cleversync.simulator.SimSection::id).sorted().toList();
        assertThat(expectedStudents).hasSizeGreaterThan(100);

        List<String> students = client.users(credentials, "student").stream().map(CleverUser::id).toList();
        assertThat(students).containsExactlyElementsOf(expectedStudents);
        assertThat(sim.requests().total()).isEqualTo(pages(expectedStudents.size(), limit));

        sim.requests().reset();
        List<String> contacts = client.users(credentials, "contact").stream().map(CleverUser::id).toList();
        assertThat(contacts).containsExactlyElementsOf(expectedContacts);
        assertThat(sim.requests().total()).isEqualTo(pages(expectedContacts.size(), limit));

        sim.requests().reset();
        List<String> sections = client.schoolSections(credentials, school.id()).stream().map(CleverSection::id).toList();
        assertThat(sections).containsExactlyElementsOf(expectedSections);
        assertThat(sim.requests().total()).isEqualTo(pages(expectedSections.size(), limit));
    }

    @Test
    void anExactlyFullLastPageNeedsNoExtraRequest() {
        List<SimUser> students = sim.district().users(SimUser.STUDENT);
        int limit = students.size() / 2;
        assertThat(students.size() % limit).as("the district must split into two full pages").isZero();
        CleverClient client = client(limit);
        assertThat(client.users(credentials, "student").stream().count()).isEqualTo(students.size());
        // The simulator, like Clever, leaves the next link off the last page when nothing follows.
        assertThat(sim.requests().total()).isEqualTo(2);
    }

    @Test
    void pagesCarryTheNextCursorAndAPageCanBeAskedForFromAnyId() {
        CleverClient client = client(7);
        CleverCollection<CleverUser> students = client.users(credentials, "student");
        CleverPage<CleverUser> first = students.page(null);
        assertThat(first.items()).hasSize(7);
        assertThat(first.nextStartingAfter()).isEqualTo(first.items().getLast().id());
        CleverPage<CleverUser> second = students.page(first.nextStartingAfter());
        List<String> expected = sim.district().users(SimUser.STUDENT).stream().map(SimUser::id).sorted().toList();
        assertThat(second.items().stream().map(Item::id).toList()).containsExactlyElementsOf(expected.subList(7, 14));

        CleverPage<CleverUser> last = students.page(expected.get(expected.size() - 3));
        assertThat(last.items()).hasSize(2);
        assertThat(last.nextStartingAfter()).isNull();
        CleverPage<CleverUser> past = students.page(expected.getLast());
        assertThat(past.items()).isEmpty();
        assertThat(past.nextStartingAfter()).isNull();
        assertThat(students.describe()).isEqualTo("users?role=student");
    }

    @ParameterizedTest(name = "prefetch={0}")
    @ValueSource(booleans = {true, false})
    void readerHandsOutEveryRecordAcrossPagesInTheSameBuffers(boolean prefetch) {
        CleverClient client = client(7);
        SimSchool school = sim.district().schools().getFirst();
        List<String> expected = sim.district().users(SimUser.STUDENT).stream()
                .filter(u -> u.schoolIds().contains(school.id())).map(SimUser::id).sorted().toList();
        CleverItemReader<CleverUser> reader = new CleverItemReader<>("students",
                client.schoolUsers(credentials, school.id(), "student"), prefetch);
        var ctx = new org.springframework.batch.infrastructure.item.ExecutionContext();
        reader.open(ctx);
        List<String> read = new ArrayList<>();
        for (CleverUser u; (u = reader.read()) != null; ) {
            read.add(u.id());
        }
        reader.update(ctx);
        reader.close();
        assertThat(read).containsExactlyElementsOf(expected);
        assertThat(ctx.getString("students.starting_after")).isEqualTo(expected.getLast());
        assertThat(sim.requests().total()).isEqualTo(pages(expected.size(), 7));
        assertThat(reader.pagesFetched()).isGreaterThan(3);
        // The page being read and the page fetched ahead, refilled page after page.
        assertThat(reader.buffersAllocated()).isEqualTo(prefetch ? 2 : 1);
    }

    @Test
    void singleRecordsAndMissingOnes() {
        CleverClient client = client(100);
        SimSchool school = sim.district().schools().getFirst();
        assertThat(client.district(credentials).id()).isEqualTo(sim.district().id());
        assertThat(client.district(credentials).name()).isEqualTo(sim.district().name());
        CleverSchool found = client.school(credentials, school.id()).orElseThrow();
        assertThat(found.name()).isEqualTo(school.name());
        assertThat(found.sisId()).isEqualTo(school.sisId());
        assertThat(client.school(credentials, "000000000000000000000000")).isEmpty();
        assertThat(client.user(credentials, "000000000000000000000000")).isEmpty();
        assertThat(client.section(credentials, "000000000000000000000000")).isEmpty();
        assertThat(client.term(credentials, "000000000000000000000000")).isEmpty();
        String sectionId = sim.district().sectionsOf(school.id()).getFirst().id();
        CleverSection section = client.section(credentials, sectionId).orElseThrow();
        assertThat(section.students()).containsExactlyElementsOf(sim.district().section(sectionId).orElseThrow().studentIds());
        assertThat(section.teachers()).containsExactlyElementsOf(sim.district().section(sectionId).orElseThrow().teacherIds());
        var simTerm = sim.district().termsOf(school.id()).getFirst();
        CleverTerm term = client.term(credentials, simTerm.id()).orElseThrow();
        assertThat(term.startDate()).isEqualTo(simTerm.startDate());
        assertThat(term.endDate()).isEqualTo(simTerm.endDate());
        assertThat(client.schoolTerms(credentials, school.id()).stream().map(CleverTerm::id))
                .containsExactlyElementsOf(sim.district().termsOf(school.id()).stream()
                        .map(com.cleversync.simulator.SimTerm::id).sorted().toList());
        assertThat(client.schools(credentials).stream().map(CleverSchool::id))
                .containsExactlyElementsOf(sim.district().schools().stream().map(SimSchool::id).sorted().toList());
    }

    @Test
    void usersAreMappedLenientlyAsTheSimulatorServesThem() {
        CleverClient client = client(10000);
        List<CleverUser> contacts = client.users(credentials, "contact").stream().toList();
        List<CleverUser> students = client.users(credentials, "student").stream().toList();
        // Every simulated user comes back with the values the simulator holds.
        for (CleverUser c : contacts) {
            SimUser s = sim.district().user(c.id()).orElseThrow();
            assertThat(c.name().last()).isEqualTo(s.last());
            assertThat(c.name().first()).isEqualTo(blankToNull(s.first()));
            assertThat(c.contact().phoneType()).isEqualTo(blankToNull(s.phoneType()));
            assertThat(c.contact().studentRelationships()).hasSameSizeAs(s.relationships());
        }
        assertThat(contacts).anySatisfy(c -> {
            assertThat(c.name().first()).isNull();
            assertThat(c.name().last()).contains(" ");
        });
        for (CleverUser u : students) {
            SimUser s = sim.district().user(u.id()).orElseThrow();
            assertThat(u.student().grade()).isEqualTo(blankToNull(s.grade()));
            assertThat(u.student().dob()).isEqualTo(s.dob());
            assertThat(u.student().gender()).isEqualTo(blankToNull(s.gender()));
            assertThat(u.student().schools()).containsExactlyElementsOf(s.schoolIds());
        }
    }

    @Test
    void eventsPageFromACursorAndTheLatestIdSeedsIt() {
        try (CleverSimulator own = CleverSimulator.start(SimulatorSettings.defaults())) {
            CleverCredentials c = new CleverCredentials("Events District", own.settings().token());
            CleverClient client = new CleverClient(CleverProperties.defaults(own.baseUrl()).withPageLimit(2),
                    new SimpleMeterRegistry());
            java.util.Optional<String> before = client.latestEventId(c);
            assertThat(before).isEqualTo(own.district().events().stream().reduce((a, b) -> b)
                    .map(com.cleversync.simulator.SimEvent::id));

            SimUser student = own.district().users(SimUser.STUDENT).getFirst();
            own.mutations().renameUser(student.id(), "Renamed");
            String section = own.district().sectionsOf(own.district().schools().getFirst().id()).getFirst().id();
            own.mutations().deleteSection(section);

            List<CleverEvent> events = new ArrayList<>();
            CleverCollection<CleverEvent> feed = client.events(c);
            String cursor = before.orElse(null);
            CleverPage<CleverEvent> page;
            do {
                page = feed.page(cursor);
                page.items().forEach(i -> events.add(i.value()));
                cursor = page.nextStartingAfter();
            } while (cursor != null);

            assertThat(events).extracting(CleverEvent::type).contains("users.updated", "sections.deleted");
            assertThat(events).filteredOn(e -> e.type().equals("users.updated")).anySatisfy(e -> {
                assertThat(e.user().id()).isEqualTo(student.id());
                assertThat(e.user().name().last()).isEqualTo("Renamed");
                assertThat(e.previousAttributes()).contains("name");
            });
            assertThat(events).filteredOn(e -> e.type().equals("sections.deleted"))
                    .anySatisfy(e -> assertThat(e.section().id()).isEqualTo(section));
            assertThat(client.latestEventId(c)).contains(events.getLast().id());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
