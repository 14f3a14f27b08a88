package com.cleversync.simulator;

import java.util.List;

/**
 * A section (class). {@code termId} and {@code courseId} may be null; {@code teacherIds} has the primary teacher
 * first; the lists are immutable.
 */
public record SimSection(String id, String schoolId, String termId, String name, String period, String subject,
                         String grade, String sisId, String sectionNumber, String courseId,
                         List<String> teacherIds, List<String> studentIds) {

    public SimSection {
        teacherIds = List.copyOf(teacherIds);
        studentIds = List.copyOf(studentIds);
    }

    /** The primary teacher, or null when the section has none. */
    public String teacherId() {
        return teacherIds.isEmpty() ? null : teacherIds.get(0);
    }

    SimSection withStudents(List<String> students) {
        return new SimSection(id, schoolId, termId, name, period, subject, grade, sisId, sectionNumber, courseId,
                teacherIds, students);
    }

    SimSection withTeachers(List<String> teachers) {
        return new SimSection(id, schoolId, termId, name, period, subject, grade, sisId, sectionNumber, courseId,
                teachers, studentIds);
    }

    SimSection withName(String newName, String newPeriod) {
        return new SimSection(id, schoolId, termId, newName, newPeriod, subject, grade, sisId, sectionNumber,
                courseId, teacherIds, studentIds);
    }
}
