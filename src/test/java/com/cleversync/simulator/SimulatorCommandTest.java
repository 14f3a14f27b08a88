package com.cleversync.simulator;

import com.cleversync.system.AppContext;
import com.cleversync.system.Cli;
import com.cleversync.system.ExitCodes;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code simulator} command: registered, validates its options, serves until stopped, without Spring. */
class SimulatorCommandTest {

    @Test
    void isRegisteredAndDocumented() {
        StringWriter out = new StringWriter();
        int code = Cli.run(noSpring(), new PrintWriter(out), new PrintWriter(new StringWriter()), "simulator", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--port", "--token", "--seed", "--schools", "--students-per-school",
                "--rate-limit");
    }

    @Test
    void badOptionsAreAOneLineUsageError() {
        StringWriter err = new StringWriter();
        int code = Cli.run(noSpring(), new PrintWriter(new StringWriter()), new PrintWriter(err),
                "simulator", "--schools", "0");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).contains("schools");
    }

    @Test
    void servesUntilStoppedAndPrintsBaseUrlAndToken() throws Exception {
        SimulatorCommand command = new SimulatorCommand();
        CommandLine commandLine = new CommandLine(command);
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> commandLine.execute(
                "--port", "0", "--token", "cli-token", "--seed", "7", "--schools", "1", "--students-per-school", "30"));
        String printed = "";
        for (int i = 0; i < 100 && !printed.contains("token:"); i++) {
            Thread.sleep(50);
            printed = out.toString();
        }
        Matcher base = Pattern.compile("base URL: (http://127\\.0\\.0\\.1:\\d+)").matcher(printed);
        assertThat(base.find()).as(printed).isTrue();
        assertThat(printed).contains("token:    cli-token");
        SimHttp http = new SimHttp(base.group(1), "cli-token");
        assertThat(http.get("/v3.0/schools").json().get("data")).hasSize(1);
        command.stop.countDown();
        assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    }

    /** No Spring context at all: the command must not ask for one. */
    private static AppContext noSpring() {
        return AppContext.of(null);
    }
}
