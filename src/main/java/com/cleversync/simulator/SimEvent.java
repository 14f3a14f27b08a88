package com.cleversync.simulator;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * An Events API entry: {@code type} is e.g. {@code users.updated}; {@code object} is the full record
 * ({@link SimUser} or {@link SimSection}) after the change (before it, for deletes);
 * {@code previousAttributes} holds the old values of the changed top-level fields (updates only, else empty);
 * {@code schoolIds} are the schools the {@code school} filter matches.
 */
public record SimEvent(String id, String type, Instant created, Object object, Map<String, Object> previousAttributes,
                       Set<String> schoolIds) {

    public String recordType() {
        return type.substring(0, type.indexOf('.'));
    }
}
