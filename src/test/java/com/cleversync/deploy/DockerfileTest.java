package com.cleversync.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the image promises, read from the Dockerfile (the image itself is built by CI/ops, not by the tests). */
class DockerfileTest {

    private final Dockerfile dockerfile = Dockerfile.read();

    @Test
    void multiStageBuildOnJdk25WithTheMavenWrapper() {
        List<Dockerfile.Instruction> from = dockerfile.all("FROM");
        assertThat(from).hasSize(2);
        assertThat(from.getFirst().arguments()).matches("eclipse-temurin:25-jdk\\S* AS build");
        assertThat(from.getLast().arguments()).matches("eclipse-temurin:(25|21)-jre\\S*");
        assertThat(dockerfile.all("RUN")).anySatisfy(run -> assertThat(run.arguments()).contains("./mvnw -B -q package -DskipTests"));
    }

    @Test
    void layeredJarExtractedIntoSeparateCopyLayers() {
        assertThat(dockerfile.all("RUN")).anySatisfy(run ->
                assertThat(run.arguments()).contains("java -Djarmode=tools -jar target/clever-sync.jar extract --layers"));
        List<String> copies = dockerfile.runtimeStage().stream().filter(i -> i.keyword().equals("COPY"))
                .map(Dockerfile.Instruction::arguments).toList();
        // Boot's default layers, least often changing first.
        assertThat(copies).containsSubsequence(
                "--from=build /extracted/dependencies/ ./",
                "--from=build /extracted/spring-boot-loader/ ./",
                "--from=build /extracted/snapshot-dependencies/ ./",
                "--from=build /extracted/application/ ./");
    }

    @Test
    void runsAsANumericNonRootUserWithAnExecFormEntrypoint() {
        String user = dockerfile.last("USER").arguments();
        assertThat(user).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).isEqualTo(10001);
        List<String> entrypoint = dockerfile.entrypoint();
        assertThat(entrypoint).as("exec form, so SIGTERM reaches the JVM").isNotNull();
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:AOTCache=app.aot");
        assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "clever-sync.jar");
        assertThat(dockerfile.cmd()).containsExactly("serve");
        // USER comes after the last RUN of the runtime stage, so nothing at run time is root.
        List<Dockerfile.Instruction> runtime = dockerfile.runtimeStage();
        assertThat(runtime.indexOf(dockerfile.last("USER"))).isGreaterThan(runtime.lastIndexOf(
                runtime.stream().filter(i -> i.keyword().equals("RUN")).reduce((a, b) -> b).orElseThrow()));
    }

    @Test
    void aotCacheIsTrainedInTheRuntimeStageAndUsedByTheEntrypoint() {
        List<String> training = dockerfile.trainingCommand();
        assertThat(training).contains("-XX:AOTCacheOutput=app.aot", "-Dspring.context.exit=onRefresh", "-jar", "clever-sync.jar");
        // The same collector, heap and OOM flags as at run time.
        assertThat(training).contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void noSecretsInTheImage() throws Exception {
        for (String keyword : List.of("ENV", "ARG", "LABEL")) {
            assertThat(dockerfile.all(keyword)).as(keyword)
                    .noneMatch(i -> i.arguments().matches("(?i).*(password|secret|token|key|credential).*"));
        }
        assertThat(Files.readString(Dockerfile.PATH)).doesNotContainPattern("(?i)(password|secret)\\s*=\\s*\\S");
        // Only the sources are sent to the build: no local target/, .git or env files.
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore.getFirst()).isEqualTo("**");
        assertThat(ignore.subList(1, ignore.size())).allMatch(l -> l.startsWith("!"))
                .noneMatch(l -> l.contains("target") || l.contains(".git") || l.contains(".env") || l.contains("src/test"));
    }
}
