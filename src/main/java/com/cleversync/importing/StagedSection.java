package com.cleversync.importing;

import com.cleversync.clever.CleverSection;
import com.cleversync.roster.Normalize;
import com.cleversync.roster.RowHash;

import java.util.List;

/** A section of the import's term, ready for the staging tables. */
public record StagedSection(String id, String name, String period, String subject, String grade, String sisId,
                            String sectionNumber, List<String> teachers, List<String> students) {

    /** Maps a Clever section; a section without a name is named by its number, SIS id or Clever id. */
    static StagedSection of(CleverSection s) {
        String name = Normalize.text(s.name());
        if (name == null) {
            name = Normalize.text(s.sectionNumber()) != null ? "Section " + s.sectionNumber().strip()
                    : Normalize.text(s.sisId()) != null ? "Section " + s.sisId().strip() : "Section " + s.id();
        }
        List<String> teachers = s.teachers().isEmpty() && s.teacher() != null ? List.of(s.teacher()) : s.teachers();
        return new StagedSection(s.id(), truncate(name, 255), truncate(Normalize.text(s.period()), 64),
                truncate(Normalize.text(s.subject()), 64), truncate(Normalize.text(s.grade()), 32),
                truncate(Normalize.text(s.sisId()), 255), truncate(Normalize.text(s.sectionNumber()), 64), teachers,
                s.students());
    }

    long rowHash() {
        return RowHash.of(name, period, subject, grade, sisId, sectionNumber);
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
