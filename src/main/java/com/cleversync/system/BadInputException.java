package com.cleversync.system;

/**
 * Input that cannot be acted on (unknown or malformed id, missing connection...). Nothing was written.
 * Commands exit with {@link ExitCodes#USAGE}; HTTP endpoints answer 400, or 404 when {@link #notFound()}.
 */
public class BadInputException extends RuntimeException {

    private final boolean notFound;

    public BadInputException(String message) {
        this(message, false);
    }

    private BadInputException(String message, boolean notFound) {
        super(message);
        this.notFound = notFound;
    }

    public static BadInputException notFound(String message) {
        return new BadInputException(message, true);
    }

    public boolean notFound() {
        return notFound;
    }
}
