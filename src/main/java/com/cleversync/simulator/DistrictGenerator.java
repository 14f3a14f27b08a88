package com.cleversync.simulator;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds a district deterministically from the seed and sizes: per school about one teacher per 17 students,
 * seven periods of about 28 students (so each student is in about seven sections), two terms, and about 1.5
 * contacts per student. The quirks a Clever client must survive are placed on fixed positions so that even the
 * small sample district has each of them: contacts named only in {@code name.last}, one parent as two contact
 * users with the same e-mail (sometimes in another letter case), emergency-only contacts, contacts of several
 * students, contacts with a phone but no e-mail, {@code ""} enums, grade "13", sections without a term, co-taught
 * sections, teachers who are also staff or teach at two schools, staff-only users and district admins.
 */
final class DistrictGenerator {

    static final int PERIODS = 7;
    static final int CLASS_SIZE = 28;
    static final int STUDENTS_PER_TEACHER = 17;

    private static final String[] HIGH = {"9", "10", "11", "12"};
    private static final String[] MIDDLE = {"6", "7", "8"};
    private static final String[] ELEMENTARY = {"Kindergarten", "1", "2", "3", "4", "5"};
    private static final String[] SUBJECTS = {"english/language arts", "math", "science", "social studies",
            "language", "PE and health", "arts and music"};
    private static final String[][] COURSES = {
            {"English", "Reading", "Writing Workshop"},
            {"Algebra I", "Geometry", "Math"},
            {"Biology", "Chemistry", "Earth Science"},
            {"World History", "US History", "Civics"},
            {"Spanish", "French", "Mandarin"},
            {"Physical Education", "Health", "Fitness"},
            {"Art", "Band", "Choir"}};
    private static final String[] PHONE_TYPES = {"Cell", "Home", "Work", "Cell", "Other"};
    private static final Set<String> STUDENT = Set.of(SimUser.STUDENT);
    private static final Set<String> TEACHER = Set.of(SimUser.TEACHER);
    private static final Set<String> TEACHER_STAFF = Set.of(SimUser.TEACHER, SimUser.STAFF);
    private static final Set<String> STAFF = Set.of(SimUser.STAFF);
    private static final Set<String> CONTACT = Set.of(SimUser.CONTACT);
    private static final Set<String> ADMIN = Set.of(SimUser.DISTRICT_ADMIN);

    private final SimulatorSettings settings;
    private final SplittableRandom rng;
    private final ObjectIds ids;
    private final String domain;
    private SimulatedDistrict district;
    private int studentNumber = 100_000;
    private int contactNumber = 500_000;
    private int staffNumber = 1_000;

    private DistrictGenerator(SimulatorSettings settings) {
        this.settings = settings;
        this.rng = new SplittableRandom(settings.seed());
        this.ids = new ObjectIds(settings.seed());
        this.domain = "d" + Long.toHexString(settings.seed() & 0xFFFFF) + ".k12.example.org";
    }

    static SimulatedDistrict generate(SimulatorSettings settings) {
        return new DistrictGenerator(settings).build();
    }

    private SimulatedDistrict build() {
        district = new SimulatedDistrict(ids.next(), Names.pick(rng, Names.DISTRICTS), ids);
        admin("Superintendent");
        admin("District Data Manager");
        SimUser sharedTeacher = null;
        for (int s = 0; s < settings.schools(); s++) {
            sharedTeacher = school(s, sharedTeacher);
        }
        return district;
    }

    private void admin(String title) {
        String first = Names.pick(rng, Names.ADULT_FIRST);
        String last = Names.pick(rng, Names.LAST);
        district.putUser(new SimUser(ids.next(), email(first, last, ++staffNumber, domain), first, null, last, ADMIN,
                null, null, null, null, null, null, List.of(), null, null, null, List.of(), null, title));
    }

    /** Generates one school; returns the teacher who will also teach at the next school. */
    private SimUser school(int s, SimUser fromPreviousSchool) {
        String[] grades = switch (s % 3) {
            case 0 -> HIGH;
            case 1 -> MIDDLE;
            default -> ELEMENTARY;
        };
        String kind = switch (s % 3) {
            case 0 -> "High School";
            case 1 -> "Middle School";
            default -> "Elementary School";
        };
        String schoolName = Names.SCHOOL_NAMES[s % Names.SCHOOL_NAMES.length]
                + (s >= Names.SCHOOL_NAMES.length ? " " + (s / Names.SCHOOL_NAMES.length + 1) : "") + " " + kind;
        // Grade 13 exists in Clever's enum; the first high school reports it as its highest grade.
        String highGrade = s == 0 ? "13" : grades[grades.length - 1];
        SimSchool school = new SimSchool(ids.next(), schoolName, "SCH" + (101 + s), String.valueOf(101 + s),
                grades[0], highGrade);
        district.putSchool(school);
        List<String> schoolIds = List.of(school.id());

        SimTerm fall = new SimTerm(ids.next(), "Fall 2026", LocalDate.of(2026, 8, 17), LocalDate.of(2026, 12, 18));
        SimTerm spring = new SimTerm(ids.next(), "Spring 2027", LocalDate.of(2027, 1, 5), LocalDate.of(2027, 5, 28));
        district.putTerm(fall);
        district.putTerm(spring);

        int n = settings.studentsPerSchool();
        int teacherCount = Math.max(2, Math.round(n / (float) STUDENTS_PER_TEACHER));
        List<SimUser> teachers = new ArrayList<>(teacherCount + 1);
        for (int i = 0; i < teacherCount; i++) {
            String first = Names.pick(rng, Names.ADULT_FIRST);
            String last = Names.pick(rng, Names.LAST);
            // Every fifth teacher also holds a staff role (Clever merges district employees into one user).
            Set<String> roles = i % 5 == 2 ? TEACHER_STAFF : TEACHER;
            SimUser teacher = new SimUser(ids.next(), email(first, last, ++staffNumber, domain), first, null, last,
                    roles, null, null, null, null, "T" + staffNumber, String.valueOf(staffNumber), schoolIds, null,
                    null, null, List.of(), null, i % 5 == 2 ? "Department Chair" : "Teacher");
            district.putUser(teacher);
            teachers.add(teacher);
        }
        if (fromPreviousSchool != null) {
            List<String> both = new ArrayList<>(fromPreviousSchool.schoolIds());
            both.add(school.id());
            SimUser shared = fromPreviousSchool.withSchools(both);
            district.putUser(shared);
            teachers.add(shared);
        }
        for (String title : new String[] {"Counselor", "Office Manager"}) {
            String first = Names.pick(rng, Names.ADULT_FIRST);
            String last = Names.pick(rng, Names.LAST);
            district.putUser(new SimUser(ids.next(), email(first, last, ++staffNumber, domain), first, null, last,
                    STAFF, null, null, null, null, null, null, schoolIds, null, null, null, List.of(), null, title));
        }

        String[] studentIds = new String[n];
        String[] studentGrades = new String[n];
        SimUser previousStudent = null;
        SimUser previousParent = null;
        for (int i = 0; i < n; i++) {
            boolean sibling = i > 0 && (i % 7 == 1 || i % 11 == 5);
            String first = Names.pick(rng, Names.CHILD_FIRST);
            String last = sibling ? previousStudent.last() : Names.pick(rng, Names.LAST);
            if (s == 0 && i == 0) {
                first = "José";
                last = "O'Brien";
            } else if (s == 0 && i == 2) {
                first = "Zoë";
                last = "李";
            }
            String grade = grades[i % grades.length];
            if (i % 31 == 6) {
                grade = "";
            } else if (grades == HIGH && i % 29 == 8) {
                grade = "13";
            }
            String gender = i % 19 == 10 ? "" : i % 23 == 11 ? "X" : rng.nextBoolean() ? "M" : "F";
            int number = ++studentNumber;
            String studentEmail = i % 17 == 9 ? null
                    : Names.ascii(first) + "." + Names.ascii(last) + number + "@students." + domain;
            String middle = i % 3 == 0 ? String.valueOf((char) ('A' + rng.nextInt(26))) : null;
            SimUser student = new SimUser(ids.next(), studentEmail, first, middle, last, STUDENT,
                    "S" + number, String.valueOf(number), grade, dob(grade), null, null, schoolIds, null, null,
                    null, List.of(), gender, null);
            district.putUser(student);
            studentIds[i] = student.id();
            studentGrades[i] = grade;

            SimUser firstParent;
            if (i % 7 == 1 && previousParent != null) {
                // A sibling: the same contact user gets one more student relationship.
                List<SimRelationship> rel = new ArrayList<>(previousParent.relationships());
                rel.add(new SimRelationship(student.id(), "Parent", "Parent/Guardian"));
                firstParent = previousParent.withRelationships(rel);
                district.putUser(firstParent);
            } else if (i % 11 == 5 && previousParent != null) {
                // A sibling in another SIS record: the same parent again as a separate contact user. Clever never
                // merges contacts; the e-mail sometimes differs in letter case only.
                String sameEmail = previousParent.email() == null ? null
                        : i % 22 == 5 ? previousParent.email().toUpperCase(Locale.ROOT) : previousParent.email();
                firstParent = contact(previousParent.first(), previousParent.last(), sameEmail,
                        previousParent.phone(), student.id(), "Parent", "Parent/Guardian", i);
            } else {
                String parentFirst = Names.pick(rng, Names.ADULT_FIRST);
                boolean noEmail = i % 13 == 4;
                String parentEmail = noEmail ? null
                        : Names.ascii(parentFirst) + "." + Names.ascii(last) + (contactNumber + 1) + "@mail.example.com";
                String relationship = i % 37 == 12 ? "" : "Parent";
                String type = i % 37 == 12 ? "" : "Parent/Guardian";
                // Clever usually carries a contact's full name in name.last only.
                boolean split = i % 10 < 3;
                firstParent = contact(split ? parentFirst : null, split ? last : parentFirst + " " + last,
                        parentEmail, phone(), student.id(), relationship, type, i);
            }
            if (rng.nextBoolean()) {
                String parentFirst = Names.pick(rng, Names.ADULT_FIRST);
                contact(null, parentFirst + " " + last, Names.ascii(parentFirst) + "." + Names.ascii(last)
                        + (contactNumber + 1) + "@mail.example.com", phone(), student.id(), "Parent",
                        i % 4 == 0 ? "Secondary" : "Parent/Guardian", i);
            }
            if (i % 9 == 2) {
                String parentFirst = Names.pick(rng, Names.ADULT_FIRST);
                String otherLast = Names.pick(rng, Names.LAST);
                contact(null, parentFirst + " " + otherLast, null, phone(), student.id(),
                        i % 2 == 0 ? "Grandparent" : "Aunt/Uncle", "Emergency", i);
            }
            previousStudent = student;
            previousParent = firstParent;
        }

        sections(school, fall, spring, teachers, studentIds, studentGrades);
        return teachers.size() > 1 ? district.user(teachers.get(1).id()).orElseThrow() : null;
    }

    private SimUser contact(String first, String last, String email, String phone, String studentId,
                            String relationship, String type, int i) {
        int number = ++contactNumber;
        String phoneType = i % 41 == 7 ? "" : PHONE_TYPES[number % PHONE_TYPES.length];
        SimUser contact = new SimUser(ids.next(), email, first, null, last, CONTACT, null, null, null, null, null,
                null, List.of(), number % 6 == 5 ? null : "C" + number, phone, phoneType,
                List.of(new SimRelationship(studentId, relationship, type)), null, null);
        district.putUser(contact);
        return contact;
    }

    private void sections(SimSchool school, SimTerm fall, SimTerm spring, List<SimUser> teachers,
                          String[] studentIds, String[] grades) {
        int n = studentIds.length;
        int groups = Math.max(1, (n + CLASS_SIZE - 1) / CLASS_SIZE);
        Map<String, String> courses = new HashMap<>();
        int k = 0;
        Integer[] order = new Integer[n];
        long[] keys = new long[n];
        for (int period = 1; period <= PERIODS; period++) {
            // Classes group students of one grade: sort by grade, shuffled within the grade.
            for (int i = 0; i < n; i++) {
                order[i] = i;
                keys[i] = ((long) gradeRank(grades[i]) << 40) | rng.nextInt(1 << 30);
            }
            Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
            int subjectIndex = period - 1;
            for (int g = 0; g < groups; g++, k++) {
                int from = (int) ((long) g * n / groups);
                int to = (int) ((long) (g + 1) * n / groups);
                List<String> students = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    students.add(studentIds[order[i]]);
                }
                String grade = k % 17 == 7 ? "" : grades[order[from]];
                SimUser primary = teachers.get(k % teachers.size());
                List<String> teacherIds = k % 10 == 3 && teachers.size() > 1
                        ? List.of(primary.id(), teachers.get((k + 1) % teachers.size()).id())
                        : List.of(primary.id());
                String subject = k % 23 == 13 ? "" : SUBJECTS[subjectIndex];
                String[] names = COURSES[subjectIndex];
                String course = names[Math.floorMod(school.id().hashCode() + g, names.length)];
                String courseId = k % 13 == 5 ? null : courses.computeIfAbsent(course, c -> ids.next());
                String termId = k % 10 == 9 ? null : k % 2 == 0 ? fall.id() : spring.id();
                String name = course + " - " + primary.last() + " - " + period;
                district.putSection(new SimSection(ids.next(), school.id(), termId, name, String.valueOf(period),
                        subject, grade, school.sisId() + "-" + (k + 1), String.valueOf(k + 1), courseId,
                        teacherIds, students));
            }
        }
    }

    private static int gradeRank(String grade) {
        return switch (grade) {
            case "" -> 99;
            case "Kindergarten" -> 0;
            default -> Integer.parseInt(grade);
        };
    }

    private LocalDate dob(String grade) {
        int age = switch (grade) {
            case "" -> 10;
            case "Kindergarten" -> 5;
            default -> 5 + Integer.parseInt(grade);
        };
        return LocalDate.of(2026 - age - 1, 1 + rng.nextInt(12), 1 + rng.nextInt(28));
    }

    private String phone() {
        return "(555) " + (200 + rng.nextInt(800)) + "-" + (1000 + rng.nextInt(9000));
    }

    private static String email(String first, String last, int number, String domain) {
        return Names.ascii(first) + "." + Names.ascii(last) + number + "@" + domain;
    }
}
