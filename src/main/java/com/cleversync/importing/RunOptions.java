package com.cleversync.importing;

/**
 * How a run is started. {@code allowMassRemoval} lets the run remove more than the mass-removal threshold;
 * {@code trigger} says who started it (manual, nightly, actuator, demo).
 */
public record RunOptions(boolean allowMassRemoval, String trigger) {

    public static RunOptions manual() {
        return new RunOptions(false, "manual");
    }

    public static RunOptions nightly() {
        return new RunOptions(false, "nightly");
    }
}
