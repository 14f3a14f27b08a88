package com.cleversync.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static com.cleversync.deploy.K8sManifests.bindAll;
import static com.cleversync.deploy.K8sManifests.render;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every environment variable the manifests set reaches a setting the application really reads: a typo or a
 * variable nothing binds (say CLEVER_TOKEN_KEY when the property is clever-sync.token-key) would otherwise be
 * ignored silently in production.
 */
class K8sEnvironmentTest {

    /** Read by the JVM itself, not by Spring. */
    static final List<String> JVM_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    /**
     * Variables for settings that another branch adds (named in its brief). Each is reported as skipped, not
     * passed, until the application reads it; then it must be taken off this list.
     */
    static ApplicationProperties properties;

    @BeforeAll
    static void load() {
        properties = ApplicationProperties.load();
    }

    private static Map<String, String> variables;

    /** Variable name -> where it is set. */
    static synchronized Map<String, String> variables() {
        if (variables != null) {
            return variables;
        }
        Map<String, String> vars = new TreeMap<>();
        for (Path dir : List.of(K8sManifests.BASE, K8sManifests.OVERLAY)) {
            List<HasMetadata> resources = bindAll(render(dir));
            resources.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                    .forEach(cm -> cm.getData().keySet().forEach(k -> vars.put(k, "ConfigMap " + cm.getMetadata().getName())));
            K8sManifests.podSpecs(resources).forEach((id, pod) -> {
                List<EnvVar> env = K8sManifests.container(pod).getEnv();
                if (env != null) {
                    env.forEach(e -> vars.put(e.getName(), id));
                }
            });
        }
        Secret template = (Secret) K8sManifests.bind(K8sManifests.documents(K8sManifests.SECRET_TEMPLATE).getFirst());
        template.getStringData().keySet().forEach(k -> vars.put(k, "Secret template"));
        variables = vars;
        return vars;
    }

    static List<String> variableNames() {
        return List.copyOf(variables().keySet());
    }

    @ParameterizedTest
    @MethodSource("variableNames")
    void everyVariableIsReadByTheApplication(String variable) {
        if (JVM_VARIABLES.contains(variable)) {
            return;
        }
        boolean read = properties.reads(variable);
        assertThat(read).as(variable + " (set in " + variables().get(variable) + ") binds to no property the application reads")
                .isTrue();
    }

    @Test
    void theCheckKnowsRealPropertiesAndRejectsOthers() {
        assertThat(properties.reads("SPRING_DATASOURCE_URL")).isTrue();
        assertThat(properties.reads("LOGGING_LEVEL_COM_CLEVERSYNC")).isTrue();
        assertThat(properties.reads("CLEVER_PAGELIMIT")).isTrue();
        assertThat(properties.reads("CLEVER_PAGE_LIMIT")).isTrue();
        assertThat(properties.reads("CLEVER_API_BASEURL")).isTrue();
        assertThat(properties.reads("SPRING_DATASOURCE_PASWORD")).isFalse();
        assertThat(properties.reads("CLEVER_API_BASE_URI")).isFalse();
        assertThat(properties.reads("CLEVER_NO_SUCH_SETTING")).isFalse();
    }

    @Test
    void javaToolOptionsAreAcceptedByTheJvm() throws Exception {
        String options = variables().containsKey("JAVA_TOOL_OPTIONS")
                ? bindAll(render(K8sManifests.BASE)).stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                        .findFirst().orElseThrow().getData().get("JAVA_TOOL_OPTIONS")
                : "";
        Assumptions.assumeFalse(options.isBlank(), "no JAVA_TOOL_OPTIONS set");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true);
        pb.environment().put("JAVA_TOOL_OPTIONS", options);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("Picked up JAVA_TOOL_OPTIONS").doesNotContainIgnoringCase("unrecognized");
    }

    /** Options a pod gives the java launcher itself ({@code JDK_JAVA_OPTIONS}, e.g. the nightly's compiler choice). */
    @Test
    void launcherOptionsOfEveryPodAreAcceptedByTheJvm() throws Exception {
        Map<String, String> options = new TreeMap<>();
        K8sManifests.podSpecs(bindAll(render(K8sManifests.BASE))).forEach((id, pod) -> {
            List<EnvVar> env = K8sManifests.container(pod).getEnv();
            if (env != null) {
                env.stream().filter(e -> e.getName().equals("JDK_JAVA_OPTIONS")).forEach(e -> options.put(id, e.getValue()));
            }
        });
        assertThat(options).as("the nightly CronJob sets JDK_JAVA_OPTIONS").isNotEmpty();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (Map.Entry<String, String> e : options.entrySet()) {
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true);
            pb.environment().put("JDK_JAVA_OPTIONS", e.getValue());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(e.getKey() + ": " + out).isZero();
            assertThat(out).as(e.getKey()).contains("Picked up JDK_JAVA_OPTIONS").doesNotContainIgnoringCase("unrecognized");
        }
    }
}
