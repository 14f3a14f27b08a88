package com.cleversync.clever;

import java.time.Instant;
import java.util.Set;

/**
 * An Events API entry: {@code type} is {@code <record>.<created|updated|deleted>} (users, sections, terms,
 * schools, ...). Exactly one of the typed objects is set, per the record type; {@code previousAttributes} holds
 * the names of the fields an update changed.
 */
public record CleverEvent(String id, String type, Instant created, CleverUser user, CleverSection section,
                          CleverTerm term, CleverSchool school, Set<String> previousAttributes) {

    public String recordType() {
        int dot = type.indexOf('.');
        return dot < 0 ? type : type.substring(0, dot);
    }

    public String action() {
        int dot = type.indexOf('.');
        return dot < 0 ? "" : type.substring(dot + 1);
    }
}
