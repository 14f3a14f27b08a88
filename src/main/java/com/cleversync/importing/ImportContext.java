package com.cleversync.importing;

import com.cleversync.clever.CleverCredentials;

/** Everything a step needs to know about the import it runs for; {@code changeSetId} is set for a run on a night's changes. */
public record ImportContext(long eventImportId, long jobInstanceId, long accountId, long eventId, long schoolId,
                            String cleverSchoolId, String cleverTermId, CleverCredentials credentials,
                            Long changeSetId) {

    /** How logs and messages name the import (no personal data, no token). */
    public String describe() {
        return "import " + eventImportId + " (event " + eventId + ", school " + cleverSchoolId + ", term " + cleverTermId + ")";
    }
}
