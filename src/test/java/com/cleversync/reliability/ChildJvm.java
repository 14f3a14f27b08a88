package com.cleversync.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real clever-sync process: {@code java -cp <test classpath> com.cleversync.CleverSyncApplication COMMAND ...},
 * the same main class as {@code java -jar target/clever-sync.jar}. Output (stdout and stderr) goes to a file so a
 * chatty child never blocks on a full pipe.
 */
public final class ChildJvm {

    private final Process process;
    private final Path output;

    private ChildJvm(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /**
     * Starts the application with {@code systemProperties} as {@code -D} flags (Spring reads them like
     * {@code --name=value}), extra environment variables and JVM flags, and the command line {@code args}.
     */
    public static ChildJvm start(Map<String, String> systemProperties, Map<String, String> env, List<String> jvmFlags,
                                 String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Start-up speed matters more than peak speed for a short import on a loaded machine.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
        command.addAll(jvmFlags);
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("com.cleversync.CleverSyncApplication");
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("clever-sync-child", ".log");
            output.toFile().deleteOnExit();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(env);
            return new ChildJvm(builder.start(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM", e);
        }
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the exit code; kills the process and fails after {@code seconds}. */
    public int waitFor(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child JVM did not exit within " + seconds + " s; output:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name (TERM, KILL) to the process, as an operator or Kubernetes would. */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void destroy() {
        process.destroyForcibly();
    }

    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    public Path outputFile() {
        return output;
    }
}
