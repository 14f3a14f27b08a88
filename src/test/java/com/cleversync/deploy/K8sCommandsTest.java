package com.cleversync.deploy;

import com.cleversync.system.AppContext;
import com.cleversync.system.Cli;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.cleversync.deploy.K8sManifests.bindAll;
import static com.cleversync.deploy.K8sManifests.render;
import static org.assertj.core.api.Assertions.assertThat;

/** Every role the manifests and the image run is a real command of the jar with valid options. */
class K8sCommandsTest {

    /** Commands another branch adds (named in its brief); skipped, not passed, until they exist. */
    /** Argument lists of every container, the Dockerfile's default CMD and the runbook's restart of one id. */
    static List<List<String>> commandLines() {
        Set<List<String>> lines = new LinkedHashSet<>();
        List<HasMetadata> resources = bindAll(render(K8sManifests.BASE));
        K8sManifests.podSpecs(resources).values().forEach(pod -> lines.add(K8sManifests.container(pod).getArgs()));
        lines.add(Dockerfile.read().cmd());
        lines.add(List.of("restart", "1234"));
        return new ArrayList<>(lines);
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void isARealCommandWithValidArguments(List<String> args) {
        assertThat(args).isNotEmpty();
        String command = args.getFirst();
        CommandLine cli = Cli.commandLine();
        assertThat(cli.getSubcommands()).as("commands of the jar").containsKey(command);
        // Parsing checks option names and arity without running anything.
        cli.parseArgs(args.toArray(String[]::new));

        AtomicBoolean springAsked = new AtomicBoolean();
        ApplicationContext noSpring = (ApplicationContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ApplicationContext.class}, (proxy, method, methodArgs) -> {
                    springAsked.set(true);
                    throw new AssertionError("--help must not start Spring");
                });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(AppContext.of(noSpring), new PrintWriter(out), new PrintWriter(err), command, "--help");
        assertThat(code).as(err.toString()).isZero();
        assertThat(springAsked).isFalse();
        assertThat(out.toString()).contains(command);
    }

    @Test
    void theCheckRejectsUnknownCommandsAndOptions() {
        CommandLine cli = Cli.commandLine();
        assertThat(cli.getSubcommands()).doesNotContainKey("nightly-sync");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cli.commandLine().parseArgs("serve", "--no-such-option"))
                .isInstanceOf(CommandLine.ParameterException.class);
    }
}
