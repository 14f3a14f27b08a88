package com.cleversync.roster;

import java.util.List;

/**
 * A Clever user mapped to what a contact row holds. {@code externalId} is what a new contact stores (the
 * school's SIS id); {@code matchIds} are every id of the school's that may stand in a CSV-imported contact's
 * external_id (sis_id, student_number, teacher_number). {@code dedupeKey} folds Clever contact users that are
 * one parent; null for teachers and students, and for parents with neither email nor name and phone.
 */
public record Person(String cleverUserId, ContactKind kind, String firstName, String lastName, String email,
                     String emailNorm, String phone, String externalId, List<String> matchIds, String grade,
                     String dedupeKey, List<ParentOf> parentOf) {

    /** A parent's link to one of the import's students. */
    public record ParentOf(String studentCleverId, String relationship, String type) {
    }

    /** A 64-bit fingerprint of the fields a sync writes, to skip unchanged rows cheaply. */
    public long rowHash() {
        return RowHash.of(kind.name(), firstName, lastName, email, phone, externalId, grade);
    }
}
