package com.cleversync.clever;

import com.cleversync.system.Secrets;

/**
 * A Clever request that failed. {@code status} is the HTTP status, or 0 when no usable response arrived
 * (timeout, connection reset, unreadable body). The message is one line and never carries a token.
 */
public class CleverApiException extends RuntimeException {

    private final int status;
    private final boolean retryable;

    public CleverApiException(int status, boolean retryable, String message) {
        this(status, retryable, message, null);
    }

    public CleverApiException(int status, boolean retryable, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.status = status;
        this.retryable = retryable;
    }

    public int status() {
        return status;
    }

    /** True for failures worth another attempt: 5xx outages, I/O failures, truncated or invalid pages. */
    public boolean retryable() {
        return retryable;
    }

    static String oneLine(String message) {
        String redacted = Secrets.redact(message == null ? "" : message);
        return redacted.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
