package com.cleversync.importing;

import com.cleversync.simulator.SimRelationship;
import com.cleversync.simulator.SimSection;
import com.cleversync.simulator.SimUser;
import com.cleversync.simulator.SimulatedDistrict;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one import must produce, computed straight from the simulator's own data with the documented rules
 * (not from the job's code or report): sections of the term; their teachers and students that the school
 * lists; contact users related to those students other than as Emergency, folded by email, else by name
 * and phone.
 */
record ExpectedRoster(int classes, int teachers, int students, int parents, int classTeacher, int classStudent,
                      int studentParent) {

    static ExpectedRoster of(SimulatedDistrict d, String schoolId, String termId) {
        List<SimSection> sections = d.sectionsOf(schoolId).stream().filter(s -> termId.equals(s.termId())).toList();
        Set<String> schoolTeachers = ids(d.users(SimUser.TEACHER), schoolId);
        Set<String> schoolStudents = ids(d.users(SimUser.STUDENT), schoolId);
        Set<String> teachers = new HashSet<>();
        Set<String> students = new HashSet<>();
        int classTeacher = 0;
        int classStudent = 0;
        for (SimSection s : sections) {
            for (String t : new HashSet<>(s.teacherIds())) {
                if (schoolTeachers.contains(t)) {
                    teachers.add(t);
                    classTeacher++;
                }
            }
            for (String st : new HashSet<>(s.studentIds())) {
                if (schoolStudents.contains(st)) {
                    students.add(st);
                    classStudent++;
                }
            }
        }
        Map<String, String> groupOfContact = new HashMap<>();
        Set<String> links = new HashSet<>();
        for (SimUser c : d.users(SimUser.CONTACT)) {
            List<SimRelationship> rels = c.relationships().stream()
                    .filter(r -> students.contains(r.studentId()))
                    .filter(r -> r.type() == null || !r.type().strip().equalsIgnoreCase("Emergency"))
                    .toList();
            if (rels.isEmpty()) {
                continue;
            }
            String group = groupOf(c);
            groupOfContact.put(c.id(), group);
            rels.forEach(r -> links.add(r.studentId() + ">" + group));
        }
        int parents = new HashSet<>(groupOfContact.values()).size();
        return new ExpectedRoster(sections.size(), teachers.size(), students.size(), parents, classTeacher, classStudent,
                links.size());
    }

    private static Set<String> ids(List<SimUser> users, String schoolId) {
        Set<String> ids = new HashSet<>();
        users.stream().filter(u -> u.schoolIds().contains(schoolId)).forEach(u -> ids.add(u.id()));
        return ids;
    }

    private static String groupOf(SimUser c) {
        String email = c.email() == null ? "" : c.email().strip().toLowerCase(Locale.ROOT);
        if (!email.isEmpty()) {
            return "e:" + email;
        }
        // Names compare as the database's collation does: case and accents aside.
        String name = java.text.Normalizer.normalize(String.join(" ", nonBlank(c.first()), nonBlank(c.middle()), nonBlank(c.last())),
                        java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        String phone = c.phone() == null ? "" : c.phone().replaceAll("\\D", "");
        if (phone.length() == 11 && phone.startsWith("1")) {
            phone = phone.substring(1);
        }
        if (!name.isEmpty() && !phone.isEmpty()) {
            return "np:" + name + "|" + phone;
        }
        return "id:" + c.id();
    }

    private static String nonBlank(String s) {
        return s == null ? "" : s.strip();
    }
}
