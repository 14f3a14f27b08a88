package com.cleversync.clever;

/** Clever answered 401: the district token (or the app's client credentials) was rejected. Never retried. */
public class CleverAuthException extends CleverApiException {

    public CleverAuthException(String message) {
        super(401, false, message);
    }
}
