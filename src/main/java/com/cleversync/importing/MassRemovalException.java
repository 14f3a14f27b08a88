package com.cleversync.importing;

/** A run would remove more of an import than the configured share: nothing was removed. */
public class MassRemovalException extends RuntimeException {

    public MassRemovalException(String message) {
        super(message);
    }
}
