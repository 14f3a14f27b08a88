package com.cleversync.simulator;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * A user of the simulated district with every role it holds ({@code student}, {@code teacher}, {@code contact},
 * {@code staff}, {@code district_admin}). Fields of a role the user does not hold are null. {@code schoolIds} has
 * the primary school first (students, teachers, staff). Contacts usually carry their full name in {@code last}
 * only. {@code dob} is served as {@code M/D/YYYY}. The collections are immutable.
 */
public record SimUser(String id, String email, String first, String middle, String last, Set<String> roles,
                      String studentSisId, String studentNumber, String grade, LocalDate dob,
                      String teacherSisId, String teacherNumber, List<String> schoolIds,
                      String contactSisId, String phone, String phoneType, List<SimRelationship> relationships,
                      String gender, String title) {

    public static final String STUDENT = "student";
    public static final String TEACHER = "teacher";
    public static final String CONTACT = "contact";
    public static final String STAFF = "staff";
    public static final String DISTRICT_ADMIN = "district_admin";
    public static final List<String> ROLES = List.of(STUDENT, TEACHER, CONTACT, STAFF, DISTRICT_ADMIN);

    public SimUser {
        roles = Set.copyOf(roles);
        schoolIds = List.copyOf(schoolIds);
        relationships = List.copyOf(relationships);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** The primary school, or null (contacts and district admins have none). */
    public String schoolId() {
        return schoolIds.isEmpty() ? null : schoolIds.get(0);
    }

    SimUser withName(String newFirst, String newMiddle, String newLast) {
        return new SimUser(id, email, newFirst, newMiddle, newLast, roles, studentSisId, studentNumber, grade, dob,
                teacherSisId, teacherNumber, schoolIds, contactSisId, phone, phoneType, relationships, gender, title);
    }

    SimUser withEmail(String newEmail) {
        return new SimUser(id, newEmail, first, middle, last, roles, studentSisId, studentNumber, grade, dob,
                teacherSisId, teacherNumber, schoolIds, contactSisId, phone, phoneType, relationships, gender, title);
    }

    SimUser withGrade(String newGrade) {
        return new SimUser(id, email, first, middle, last, roles, studentSisId, studentNumber, newGrade, dob,
                teacherSisId, teacherNumber, schoolIds, contactSisId, phone, phoneType, relationships, gender, title);
    }

    SimUser withSchools(List<String> newSchools) {
        return new SimUser(id, email, first, middle, last, roles, studentSisId, studentNumber, grade, dob,
                teacherSisId, teacherNumber, newSchools, contactSisId, phone, phoneType, relationships, gender, title);
    }

    SimUser withRelationships(List<SimRelationship> newRelationships) {
        return new SimUser(id, email, first, middle, last, roles, studentSisId, studentNumber, grade, dob,
                teacherSisId, teacherNumber, schoolIds, contactSisId, phone, phoneType, newRelationships, gender,
                title);
    }

    SimUser withPhone(String newPhone) {
        return new SimUser(id, email, first, middle, last, roles, studentSisId, studentNumber, grade, dob,
                teacherSisId, teacherNumber, schoolIds, contactSisId, newPhone, phoneType, relationships, gender,
                title);
    }
}
