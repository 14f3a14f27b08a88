package com.cleversync.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the packaged jar the way the image does, without a container engine: extracted into Boot's layers and
 * merged as the Dockerfile's COPY instructions do, then the Dockerfile's own AOT training command (which must
 * load the whole context with no database) and its ENTRYPOINT with {@code --help}.
 */
class ImageEntrypointIT {

    static final Path JAR = Path.of("target/clever-sync.jar");
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    static Path work;
    static Path app;

    @BeforeAll
    static void extractLikeTheImage() throws Exception {
        assertThat(JAR).as("run after `package`").exists();
        Path extracted = work.resolve("extracted");
        Result r = run(work, List.of(JAVA.toString(), "-Djarmode=tools", "-jar", JAR.toAbsolutePath().toString(),
                "extract", "--layers", "--destination", extracted.toString()), 120);
        assertThat(r.code).as(r.output).isZero();
        app = Files.createDirectory(work.resolve("app"));
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            copyInto(extracted.resolve(layer), app);
        }
        assertThat(app.resolve("clever-sync.jar")).exists();
    }

    @Test
    void aotTrainingRunLoadsTheContextWithoutADatabaseThenTheEntrypointUsesTheCache() throws Exception {
        List<String> training = new ArrayList<>(Dockerfile.read().trainingCommand());
        assertThat(training.getFirst()).isEqualTo("java");
        training.set(0, JAVA.toString());
        Result trained = run(app, training, 300);
        assertThat(trained.code).as(trained.output).isZero();
        assertThat(trained.output).doesNotContain("APPLICATION FAILED TO START");
        assertThat(app.resolve("app.aot")).isNotEmptyFile();

        List<String> entrypoint = new ArrayList<>(Dockerfile.read().entrypoint());
        entrypoint.set(0, JAVA.toString());
        entrypoint.add(1, "-Xlog:aot=info");
        entrypoint.add("--help");
        Result help = run(app, entrypoint, 60);
        assertThat(help.code).as(help.output).isZero();
        assertThat(help.output).contains("Usage: clever-sync", "serve", "Exit codes");
        assertThat(help.output).as("the JVM maps the trained cache").contains("Opened AOT cache app.aot");
    }

    @Test
    void entrypointFlagsWorkWithThePlainJar() throws Exception {
        List<String> entrypoint = new ArrayList<>(Dockerfile.read().entrypoint());
        entrypoint.set(0, JAVA.toString());
        entrypoint.removeIf(a -> a.startsWith("-XX:AOTCache="));
        entrypoint.set(entrypoint.size() - 1, JAR.toAbsolutePath().toString());
        entrypoint.addAll(List.of("no-such-command"));
        Result r = run(Path.of("."), entrypoint, 60);
        assertThat(r.code).as(r.output).isEqualTo(2);
        assertThat(r.output).contains("no-such-command");
    }

    record Result(int code, String output) {
    }

    static Result run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SPRING_") || k.startsWith("CLEVER_") || k.equals("JAVA_TOOL_OPTIONS"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out));
    }

    static void copyInto(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
