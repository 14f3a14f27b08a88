package com.cleversync.clever;

import java.time.LocalDate;
import java.util.List;

/**
 * A Clever user with the roles clever-sync uses; a role the user does not hold is null. {@code email} is the
 * top-level email (Clever does not verify it). {@code staff} and {@code districtAdmin} only tell that the role
 * is present.
 */
public record CleverUser(String id, String district, String email, CleverName name,
                         Student student, Teacher teacher, Contact contact, boolean staff, boolean districtAdmin) {

    /** {@code roles.student}; {@code dob} is {@code M/D/YYYY} on the wire, null when malformed. */
    public record Student(String sisId, String studentNumber, String stateId, String school, List<String> schools,
                          String grade, LocalDate dob, String gender) {
    }

    /** {@code roles.teacher}. */
    public record Teacher(String sisId, String teacherNumber, String stateId, String title, String school,
                          List<String> schools) {
    }

    /** {@code roles.contact}: a guardian or emergency contact. */
    public record Contact(String sisId, String phone, String phoneType, List<StudentRelationship> studentRelationships) {
    }

    /** One appearance of a contact on a student's record. {@code type} e.g. Parent/Guardian, Emergency. */
    public record StudentRelationship(String student, String relationship, String type) {
    }
}
