package com.cleversync.simulator;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated district: deterministic per seed, realistic proportions, and every roster quirk present. */
class DistrictGeneratorTest {

    @Test
    void sameSeedAndSizesGiveTheSameBytesAndAnotherSeedDoesNot() {
        SimulatorSettings settings = SimulatorSettings.defaults();
        try (CleverSimulator a = CleverSimulator.start(settings);
             CleverSimulator b = CleverSimulator.start(settings);
             CleverSimulator c = CleverSimulator.start(settings.withSeed(43))) {
            SimHttp ha = new SimHttp(a);
            SimHttp hb = new SimHttp(b);
            SimHttp hc = new SimHttp(c);
            for (String path : List.of("/v3.0/users?limit=10000", "/v3.0/sections?limit=10000",
                    "/v3.0/schools", "/v3.0/terms", "/v3.1/users?role=contact&limit=10000")) {
                assertThat(hb.get(path).body()).as(path).isEqualTo(ha.get(path).body());
            }
            assertThat(hc.get("/v3.0/users?limit=10000").body()).isNotEqualTo(ha.get("/v3.0/users?limit=10000").body());
            assertThat(a.district().users()).isEqualTo(b.district().users());
        }
    }

    @Test
    void proportionsFollowTheSizes() {
        SimulatedDistrict d = DistrictGenerator.generate(SimulatorSettings.defaults().withSchools(3)
                .withStudentsPerSchool(500));
        assertThat(d.schools()).hasSize(3);
        List<SimUser> students = d.users("student");
        assertThat(students).hasSize(1500);
        int teachers = d.users("teacher").size();
        assertThat(teachers).isBetween(1500 / 19, 1500 / 15);
        Map<String, Integer> sectionsPerStudent = new HashMap<>();
        int seats = 0;
        for (SimSection s : d.sections()) {
            seats += s.studentIds().size();
            s.studentIds().forEach(id -> sectionsPerStudent.merge(id, 1, Integer::sum));
            assertThat(s.studentIds()).doesNotHaveDuplicates();
        }
        assertThat(seats / (double) d.sections().size()).isBetween(24.0, 30.0);
        assertThat(sectionsPerStudent.values().stream().mapToInt(i -> i).average().orElse(0)).isBetween(6.5, 7.5);
        assertThat(d.users("contact").size() / 1500.0).isBetween(1.3, 1.8);
        for (SimSchool school : d.schools()) {
            assertThat(d.termsOf(school.id())).extracting(SimTerm::name).containsExactly("Fall 2026", "Spring 2027");
        }
        List<String> ids = d.users().stream().map(SimUser::id).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(ObjectIds::looksLikeId);
    }

    @Test
    void theSampleDistrictHasEveryQuirk() {
        SimulatedDistrict d = DistrictGenerator.generate(SimulatorSettings.defaults());
        List<SimUser> contacts = d.users("contact");
        List<SimUser> students = d.users("student");

        // Sections: some without a term, some co-taught, split across two terms per school.
        List<SimSection> sections = d.sections();
        assertThat(sections).anyMatch(s -> s.termId() == null);
        assertThat(sections).anyMatch(s -> s.teacherIds().size() == 2);
        assertThat(sections.stream().map(SimSection::termId).filter(t -> t != null).distinct().count()).isEqualTo(4);
        assertThat(sections).anyMatch(s -> s.subject().isEmpty());
        assertThat(sections).anyMatch(s -> s.grade().isEmpty());

        // Teachers who are also staff; a teacher at two schools teaching in both; staff-only users; admins.
        assertThat(d.users("teacher")).anyMatch(u -> u.has("staff"));
        SimUser twoSchools = d.users("teacher").stream().filter(u -> u.schoolIds().size() == 2).findFirst().orElseThrow();
        for (String school : twoSchools.schoolIds()) {
            assertThat(d.sectionsOf(school)).anyMatch(s -> s.teacherIds().contains(twoSchools.id()));
        }
        assertThat(d.users("staff")).anyMatch(u -> !u.has("teacher"));
        assertThat(d.users("district_admin")).isNotEmpty().allMatch(u -> u.schoolIds().isEmpty());

        // Students: sis_id and student_number everywhere; "" and "13" grades; "" gender; unicode names.
        assertThat(students).allMatch(u -> u.studentSisId() != null && u.studentNumber() != null);
        assertThat(students).anyMatch(u -> u.grade().isEmpty());
        assertThat(students).anyMatch(u -> u.grade().equals("13"));
        assertThat(students).anyMatch(u -> "".equals(u.gender()));
        Set<String> names = new HashSet<>();
        d.users().forEach(u -> {
            names.add(u.first());
            names.add(u.last());
        });
        assertThat(String.join(" ", names.stream().filter(n -> n != null).toList()))
                .contains("José", "O'Brien", "Zoë", "李");

        // Contacts: ~1.5 per student, full name only in name.last, several students, emergency-only.
        assertThat(contacts.size() / (double) students.size()).isBetween(1.2, 1.9);
        assertThat(contacts).anyMatch(u -> u.first() == null && u.last().contains(" "));
        assertThat(contacts).anyMatch(u -> u.relationships().size() >= 2);
        assertThat(contacts).anyMatch(u -> u.relationships().stream().allMatch(r -> r.type().equals("Emergency")));
        assertThat(contacts).anyMatch(u -> u.email() == null && u.phone() != null);
        assertThat(contacts).anyMatch(u -> u.relationships().stream().anyMatch(r -> r.relationship().isEmpty()));
        assertThat(contacts).anyMatch(u -> "".equals(u.phoneType()));
        assertThat(contacts).allMatch(u -> !u.relationships().isEmpty());

        // The same parent as two contact users with one e-mail, sometimes in another letter case.
        Map<String, List<SimUser>> byEmail = contacts.stream().filter(u -> u.email() != null)
                .collect(Collectors.groupingBy(u -> u.email().toLowerCase(Locale.ROOT)));
        List<List<SimUser>> duplicates = byEmail.values().stream().filter(l -> l.size() > 1).toList();
        assertThat(duplicates).isNotEmpty();
        assertThat(duplicates).anyMatch(l -> l.get(0).email().equals(l.get(1).email()));
        assertThat(duplicates).anyMatch(l -> !l.get(0).email().equals(l.get(1).email()));
        assertThat(duplicates).allMatch(l -> !l.get(0).id().equals(l.get(1).id()));

        // Relationships point at real students; sections at real users.
        Set<String> studentIds = students.stream().map(SimUser::id).collect(Collectors.toSet());
        contacts.forEach(c -> c.relationships().forEach(r -> assertThat(studentIds).contains(r.studentId())));
        sections.forEach(s -> assertThat(studentIds).containsAll(s.studentIds()));
    }
}
