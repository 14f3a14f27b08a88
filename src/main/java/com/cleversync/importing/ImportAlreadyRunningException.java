package com.cleversync.importing;

/** Another run of the same import holds its lock (in this process or another). */
public class ImportAlreadyRunningException extends RuntimeException {

    public ImportAlreadyRunningException(long eventImportId) {
        super("import " + eventImportId + " is already running");
    }
}
