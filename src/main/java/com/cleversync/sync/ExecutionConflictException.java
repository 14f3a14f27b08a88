package com.cleversync.sync;

import com.cleversync.system.BadInputException;

/** The execution is not in a state that allows the operation (e.g. restart a running one). HTTP 409; exit 2. */
public class ExecutionConflictException extends BadInputException {

    public ExecutionConflictException(String message) {
        super(message);
    }
}
