package com.cleversync.importing;

/**
 * How a run is started. {@code allowMassRemoval} lets the run remove more than the mass-removal threshold;
 * {@code trigger} says who started it (manual, nightly, actuator, demo). {@code districtReadKey}, when set, names
 * a batch of runs (one nightly sync) whose imports of the same account share one read of the district's
 * contacts: the first run of the batch reads them, the others use that read (see {@link DistrictContacts}).
 * {@code changeSetId}, when set, makes the run apply a night's changes (see {@link ChangeScope}).
 */
public record RunOptions(boolean allowMassRemoval, String trigger, String districtReadKey, Long changeSetId) {

    public RunOptions(boolean allowMassRemoval, String trigger) {
        this(allowMassRemoval, trigger, null, null);
    }

    public RunOptions(boolean allowMassRemoval, String trigger, String districtReadKey) {
        this(allowMassRemoval, trigger, districtReadKey, null);
    }

    /** A nightly run that applies a night's change set ({@link ChangeSet}) instead of re-reading the school. */
    public static RunOptions nightlyChanges(long changeSetId) {
        return new RunOptions(false, "nightly", null, changeSetId);
    }

    public static RunOptions manual() {
        return new RunOptions(false, "manual");
    }

    public static RunOptions nightly() {
        return new RunOptions(false, "nightly");
    }

    /** A nightly run of the batch {@code districtReadKey} (e.g. one id per nightly sync). */
    public static RunOptions nightly(String districtReadKey) {
        return new RunOptions(false, "nightly", districtReadKey);
    }
}
