package com.cleversync.system;

/** Exit codes of every command; documented in the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** A job ran and failed. */
    public static final int FAILED = 1;
    /** Usage error or bad input: nothing was written. */
    public static final int USAGE = 2;
    /** A job was stopped and stays restartable. */
    public static final int STOPPED = 3;

    private ExitCodes() {
    }
}
