package com.cleversync.system;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line without Spring: help, usage errors and exit codes. */
class CliTest {

    @Test
    void helpListsCommandsAndExitCodes() {
        Result r = run("--help");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("serve", "migrate", "Exit codes");
    }

    @Test
    void unknownCommandIsAUsageErrorOnOneLine() {
        Result r = run("no-such-command");
        assertThat(r.code).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err.strip().lines()).hasSize(1);
        assertThat(r.err).contains("no-such-command");
    }

    @Test
    void missingCommandIsAUsageError() {
        assertThat(run().code).isEqualTo(ExitCodes.USAGE);
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run((web, springArgs) -> {
            throw new AssertionError("usage must not start Spring");
        }, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int code, String out, String err) {
    }
}
