package com.cleversync.importing;

import com.cleversync.clever.CleverCredentials;

/** Everything a step needs to know about the import it runs for. */
public record ImportContext(long eventImportId, long jobInstanceId, long accountId, long eventId, long schoolId,
                            String cleverSchoolId, String cleverTermId, CleverCredentials credentials) {

    /** How logs and messages name the import (no personal data, no token). */
    public String describe() {
        return "import " + eventImportId + " (event " + eventId + ", school " + cleverSchoolId + ", term " + cleverTermId + ")";
    }
}
