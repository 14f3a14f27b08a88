package com.cleversync.clever;

import java.util.List;

/**
 * A section (class). {@code teachers} and {@code students} are the enrollments: Clever user ids, primary
 * teacher first. {@code termId} may be null (sections without a term).
 */
public record CleverSection(String id, String district, String school, String termId, String name,
                            String period, String subject, String grade, String sisId, String sectionNumber,
                            String course, String teacher, List<String> teachers, List<String> students) {
}
