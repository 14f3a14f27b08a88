package com.cleversync.roster;

/** A Clever record that cannot become a contact or class (e.g. a student without a name); it is skipped and reported. */
public class InvalidRecordException extends RuntimeException {

    private final String recordId;
    private final String reason;

    public InvalidRecordException(String recordId, String reason) {
        super(reason + " (Clever id " + recordId + ")");
        this.recordId = recordId;
        this.reason = reason;
    }

    public String recordId() {
        return recordId;
    }

    public String reason() {
        return reason;
    }
}
