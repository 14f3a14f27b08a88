package com.cleversync.clever;

/**
 * One record of a page could not be mapped (wrong types, e.g. a number where the name object belongs). The
 * reader has already moved past it, so a skip policy can skip it and the rest of the collection is read.
 */
public class MalformedRecordException extends RuntimeException {

    private final String collection;
    private final String recordId;
    private final String reason;

    public MalformedRecordException(String collection, String recordId, String reason) {
        super(CleverApiException.oneLine("Malformed Clever record " + recordId + " in " + collection + ": " + reason));
        this.collection = collection;
        this.recordId = recordId;
        this.reason = reason;
    }

    public String collection() {
        return collection;
    }

    public String recordId() {
        return recordId;
    }

    public String reason() {
        return reason;
    }
}
