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
        long h = 0xcbf29ce484222325L;
        for (String field : new String[] {kind.name(), firstName, lastName, email, phone, externalId, grade}) {
            String s = field == null ? "\u0000" : field;
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
            h ^= 0x1f;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
