package com.cleversync.simulator;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Changes the simulated district between sync runs the way a district's SIS does. Each change is deterministic
 * (seeded), takes effect atomically for the HTTP API, and appends the Events API entries Clever would emit:
 * {@code users.created|updated|deleted} and {@code sections.created|updated|deleted}, updates with
 * {@code previous_attributes} holding the old values of the changed fields.
 */
public final class Mutations {

    private static final Set<String> STUDENT = Set.of(SimUser.STUDENT);
    private static final Set<String> CONTACT = Set.of(SimUser.CONTACT);

    private final SimulatedDistrict d;
    private final SplittableRandom random;
    private int number = 900_000;

    Mutations(SimulatedDistrict district, long seed) {
        this.d = district;
        this.random = new SplittableRandom(seed * 31 + 7);
    }

    /** Deletes a section: it disappears from the lists and {@code /sections/{id}} answers 404. */
    public void deleteSection(String sectionId) {
        d.write(() -> {
            SimSection section = requireSection(sectionId);
            d.removeSection(sectionId);
            d.addEvent("sections.deleted", section, null);
        });
    }

    /** Removes one student from a section's {@code students[]} (the student stays in the district). */
    public void dropStudentFromSection(String sectionId, String studentId) {
        d.write(() -> {
            SimSection section = requireSection(sectionId);
            if (!section.studentIds().contains(studentId)) {
                throw new IllegalArgumentException("student " + studentId + " is not in section " + sectionId);
            }
            List<String> students = new ArrayList<>(section.studentIds());
            students.remove(studentId);
            updateSection(section, section.withStudents(students));
        });
    }

    /** Enrolls an existing user as a student of a section (as a district's SIS may, even across schools). */
    public void enrollStudent(String sectionId, String userId) {
        d.write(() -> {
            SimSection section = requireSection(sectionId);
            requireUser(userId);
            List<String> students = new ArrayList<>(section.studentIds());
            students.add(userId);
            updateSection(section, section.withStudents(students));
        });
    }

    /** Creates a new student user in the section's school, enrolls it in the section, and returns its id. */
    public String addStudentToSection(String sectionId) {
        return d.write(() -> {
            SimSection section = requireSection(sectionId);
            SimUser student = newStudent(section.schoolId(), section.grade(), random);
            List<String> students = new ArrayList<>(section.studentIds());
            students.add(student.id());
            updateSection(section, section.withStudents(students));
            return student.id();
        });
    }

    /** Changes a user's last name. */
    public void renameUser(String userId, String newLast) {
        d.write(() -> {
            SimUser user = requireUser(userId);
            updateUser(user, user.withName(user.first(), user.middle(), newLast));
        });
    }

    /**
     * Rewrites a contact's details as a district's SIS may hold them: the whole name in {@code last}, an email (or
     * none) and a phone.
     */
    public void changeContactDetails(String userId, String last, String email, String phone) {
        d.write(() -> {
            SimUser user = requireUser(userId);
            updateUser(user, user.withName(null, null, last).withEmail(email).withPhone(phone));
        });
    }

    /**
     * Changes, adds or deletes about {@code share} of all users and sections, chosen by {@code seed}. A deleted
     * student also leaves its sections and its contacts' relationships (a contact left without students is
     * deleted); a deleted teacher leaves its sections' {@code teachers[]}.
     */
    public void changeShare(double share, long seed) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in [0, 1], was " + share);
        }
        d.write(() -> new ShareChange(share, new SplittableRandom(seed)).run());
    }

    /** Deletes every section of a school, as when a district's SIS export suddenly comes back nearly empty. */
    public void emptySchoolSections(String schoolId) {
        d.write(() -> {
            if (d.school(schoolId).isEmpty()) {
                throw new IllegalArgumentException("no such school: " + schoolId);
            }
            for (SimSection section : d.sectionsOf(schoolId)) {
                d.removeSection(section.id());
                d.addEvent("sections.deleted", section, null);
            }
        });
    }

    /**
     * Deletes a term and every section of it, as when Clever rebuilds terms from section data and one disappears
     * (the term's id is then unknown: 404).
     */
    public void deleteTerm(String termId) {
        d.write(() -> {
            SimTerm term = d.term(termId).orElseThrow(() -> new IllegalArgumentException("no such term: " + termId));
            for (SimSection section : d.sections()) {
                if (termId.equals(section.termId())) {
                    d.removeSection(section.id());
                    d.addEvent("sections.deleted", section, null);
                }
            }
            d.removeTerm(termId);
            d.addEvent("terms.deleted", term, null);
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private SimSection requireSection(String sectionId) {
        return d.section(sectionId).orElseThrow(() -> new IllegalArgumentException("no such section: " + sectionId));
    }

    private SimUser requireUser(String userId) {
        return d.user(userId).orElseThrow(() -> new IllegalArgumentException("no such user: " + userId));
    }

    private void updateSection(SimSection old, SimSection now) {
        Map<String, Object> previous = new LinkedHashMap<>();
        if (!old.name().equals(now.name())) {
            previous.put("name", old.name());
        }
        if (!old.period().equals(now.period())) {
            previous.put("period", old.period());
        }
        if (!old.teacherIds().equals(now.teacherIds())) {
            previous.put("teacher", old.teacherId());
            previous.put("teachers", old.teacherIds());
        }
        if (!old.studentIds().equals(now.studentIds())) {
            previous.put("students", old.studentIds());
        }
        d.putSection(now);
        d.touch(now.id());
        d.addEvent("sections.updated", now, previous);
    }

    private void updateUser(SimUser old, SimUser now) {
        Map<String, Object> previous = new LinkedHashMap<>();
        if (!eq(old.first(), now.first()) || !eq(old.middle(), now.middle()) || !eq(old.last(), now.last())) {
            Map<String, Object> name = new LinkedHashMap<>();
            if (old.first() != null) {
                name.put("first", old.first());
            }
            if (old.middle() != null) {
                name.put("middle", old.middle());
            }
            name.put("last", old.last());
            previous.put("name", name);
        }
        if (!eq(old.email(), now.email())) {
            previous.put("email", old.email());
        }
        Map<String, Object> roles = new LinkedHashMap<>();
        if (!eq(old.grade(), now.grade())) {
            roles.put(SimUser.STUDENT, Map.of("grade", old.grade()));
        }
        if (!eq(old.phone(), now.phone()) || !old.relationships().equals(now.relationships())) {
            Map<String, Object> contact = new LinkedHashMap<>();
            if (!eq(old.phone(), now.phone())) {
                contact.put("phone", old.phone());
            }
            if (!old.relationships().equals(now.relationships())) {
                contact.put("student_relationships", old.relationships());
            }
            roles.put(SimUser.CONTACT, contact);
        }
        if (!old.schoolIds().equals(now.schoolIds())) {
            for (String role : List.of(SimUser.STUDENT, SimUser.TEACHER, SimUser.STAFF)) {
                if (old.has(role)) {
                    roles.put(role, Map.of("schools", old.schoolIds()));
                }
            }
        }
        if (!roles.isEmpty()) {
            previous.put("roles", roles);
        }
        d.putUser(now);
        d.touch(now.id());
        d.addEvent("users.updated", now, previous);
    }

    private SimUser newStudent(String schoolId, String grade, SplittableRandom rng) {
        int n = ++number;
        String first = Names.pick(rng, Names.CHILD_FIRST);
        String last = Names.pick(rng, Names.LAST);
        String g = grade == null || grade.isEmpty() ? "5" : grade;
        int age = "Kindergarten".equals(g) ? 5 : 5 + parseOr(g, 5);
        SimUser student = new SimUser(d.ids.next(), Names.ascii(first) + "." + Names.ascii(last) + n
                + "@students.new.example.org", first, null, last, STUDENT, "S" + n, String.valueOf(n), g,
                LocalDate.of(2025 - age, 1 + rng.nextInt(12), 1 + rng.nextInt(28)), null, null, List.of(schoolId),
                null, null, null, List.of(), rng.nextBoolean() ? "F" : "M", null);
        d.putUser(student);
        d.addEvent("users.created", student, null);
        return student;
    }

    private SimUser newContact(String studentId, String last, SplittableRandom rng) {
        int n = ++number;
        String first = Names.pick(rng, Names.ADULT_FIRST);
        SimUser contact = new SimUser(d.ids.next(), Names.ascii(first) + "." + Names.ascii(last) + n
                + "@mail.example.com", null, null, first + " " + last, CONTACT, null, null, null, null, null, null,
                List.of(), "C" + n, "(555) 300-" + (1000 + rng.nextInt(9000)), "Cell",
                List.of(new SimRelationship(studentId, "Parent", "Parent/Guardian")), null, null);
        d.putUser(contact);
        d.addEvent("users.created", contact, null);
        return contact;
    }

    private static int parseOr(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static boolean eq(Object a, Object b) {
        return a == null ? b == null : a.equals(b);
    }

    /** One {@link #changeShare} run; indexes are built once so that large districts change quickly. */
    private final class ShareChange {
        private final double share;
        private final SplittableRandom rng;
        private final Map<String, List<String>> sectionsOfUser = new HashMap<>();
        private final Map<String, List<String>> contactsOfStudent = new HashMap<>();
        private final Map<String, List<String>> sectionsOfSchool = new HashMap<>();

        ShareChange(double share, SplittableRandom rng) {
            this.share = share;
            this.rng = rng;
        }

        void run() {
            List<SimUser> users = d.users();
            List<SimSection> sections = d.sections();
            for (SimSection s : sections) {
                sectionsOfSchool.computeIfAbsent(s.schoolId(), k -> new ArrayList<>()).add(s.id());
                for (String id : s.teacherIds()) {
                    sectionsOfUser.computeIfAbsent(id, k -> new ArrayList<>(4)).add(s.id());
                }
                for (String id : s.studentIds()) {
                    sectionsOfUser.computeIfAbsent(id, k -> new ArrayList<>(8)).add(s.id());
                }
            }
            for (SimUser u : users) {
                for (SimRelationship r : u.relationships()) {
                    contactsOfStudent.computeIfAbsent(r.studentId(), k -> new ArrayList<>(2)).add(u.id());
                }
            }
            for (SimUser snapshot : users) {
                if (rng.nextDouble() >= share) {
                    continue;
                }
                int action = rng.nextInt(10);
                SimUser user = d.user(snapshot.id()).orElse(null);
                if (user == null) {
                    continue;
                }
                if (action < 6) {
                    updateUser(user, changed(user));
                } else if (action < 8) {
                    deleteUser(user);
                } else {
                    addLike(user);
                }
            }
            for (SimSection snapshot : sections) {
                if (rng.nextDouble() >= share) {
                    continue;
                }
                int action = rng.nextInt(10);
                SimSection section = d.section(snapshot.id()).orElse(null);
                if (section == null) {
                    continue;
                }
                if (action < 6) {
                    if (rng.nextBoolean() || section.studentIds().isEmpty()) {
                        updateSection(section, section.withName(section.name() + " (" + (char) ('A' + rng.nextInt(6))
                                + ")", section.period()));
                    } else {
                        List<String> students = new ArrayList<>(section.studentIds());
                        students.remove(rng.nextInt(students.size()));
                        updateSection(section, section.withStudents(students));
                    }
                } else if (action < 8) {
                    d.removeSection(section.id());
                    d.addEvent("sections.deleted", section, null);
                } else {
                    List<String> students = new ArrayList<>();
                    for (String id : section.studentIds()) {
                        if (rng.nextBoolean()) {
                            students.add(id);
                        }
                    }
                    SimSection created = new SimSection(d.ids.next(), section.schoolId(), section.termId(),
                            section.name() + " (lab)", section.period(), section.subject(), section.grade(),
                            section.sisId() + "-L", section.sectionNumber() + "L", section.courseId(),
                            section.teacherIds(), students);
                    d.putSection(created);
                    d.addEvent("sections.created", created, null);
                }
            }
        }

        private SimUser changed(SimUser user) {
            int what = rng.nextInt(3);
            if (what == 0 || user.email() == null) {
                String last = Names.pick(rng, Names.LAST);
                return user.has(SimUser.CONTACT) && user.first() == null
                        ? user.withName(null, null, firstWord(user.last()) + " " + last)
                        : user.withName(user.first(), user.middle(), last);
            }
            if (what == 1 && user.has(SimUser.CONTACT)) {
                return user.withPhone("(555) 400-" + (1000 + rng.nextInt(9000)));
            }
            if (what == 1 && user.has(SimUser.STUDENT) && !user.grade().isEmpty()) {
                return user.withGrade(nextGrade(user.grade()));
            }
            int at = user.email().indexOf('@');
            return user.withEmail(user.email().substring(0, at) + "." + rng.nextInt(100) + user.email().substring(at));
        }

        private void deleteUser(SimUser user) {
            d.removeUser(user.id());
            d.addEvent("users.deleted", user, null);
            for (String sectionId : sectionsOfUser.getOrDefault(user.id(), List.of())) {
                SimSection section = d.section(sectionId).orElse(null);
                if (section == null) {
                    continue;
                }
                if (section.studentIds().contains(user.id())) {
                    List<String> students = new ArrayList<>(section.studentIds());
                    students.remove(user.id());
                    updateSection(section, section.withStudents(students));
                } else if (section.teacherIds().contains(user.id())) {
                    List<String> teachers = new ArrayList<>(section.teacherIds());
                    teachers.remove(user.id());
                    updateSection(section, section.withTeachers(teachers));
                }
            }
            for (String contactId : contactsOfStudent.getOrDefault(user.id(), List.of())) {
                SimUser contact = d.user(contactId).orElse(null);
                if (contact == null) {
                    continue;
                }
                List<SimRelationship> kept = new ArrayList<>();
                for (SimRelationship r : contact.relationships()) {
                    if (!r.studentId().equals(user.id())) {
                        kept.add(r);
                    }
                }
                if (kept.isEmpty()) {
                    // Every Clever contact belongs to at least one student.
                    d.removeUser(contactId);
                    d.addEvent("users.deleted", contact, null);
                } else {
                    updateUser(contact, contact.withRelationships(kept));
                }
            }
        }

        private void addLike(SimUser user) {
            if (user.has(SimUser.STUDENT)) {
                SimUser student = newStudent(user.schoolId(), user.grade(), rng);
                newContact(student.id(), student.last(), rng);
                List<String> ofSchool = sectionsOfSchool.getOrDefault(user.schoolId(), List.of());
                if (!ofSchool.isEmpty()) {
                    SimSection section = d.section(ofSchool.get(rng.nextInt(ofSchool.size()))).orElse(null);
                    if (section != null) {
                        List<String> students = new ArrayList<>(section.studentIds());
                        students.add(student.id());
                        updateSection(section, section.withStudents(students));
                    }
                }
            } else if (user.has(SimUser.CONTACT) && !user.relationships().isEmpty()) {
                String studentId = user.relationships().get(0).studentId();
                SimUser student = d.user(studentId).orElse(null);
                if (student != null) {
                    newContact(studentId, student.last(), rng);
                }
            } else {
                updateUser(user, changed(user));
            }
        }
    }

    private static String firstWord(String s) {
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    private static String nextGrade(String grade) {
        return switch (grade) {
            case "Kindergarten" -> "1";
            case "13" -> "13";
            default -> String.valueOf(Math.min(13, parseOr(grade, 0) + 1));
        };
    }
}
