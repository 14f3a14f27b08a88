package com.cleversync.deploy;

import com.cleversync.system.Cli;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static com.cleversync.deploy.K8sManifests.bindAll;
import static com.cleversync.deploy.K8sManifests.render;
import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Deploying on Kubernetes" runbook names objects, keys and commands that exist. */
class RunbookTest {

    static String runbook() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Deploying on Kubernetes");
        assertThat(start).isNotNegative();
        int end = readme.indexOf("\n## ", start + 3);
        return end < 0 ? readme.substring(start) : readme.substring(start, end);
    }

    static Set<String> all(String text, String regex) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void objectsNamedInTheRunbookExist() throws Exception {
        String runbook = runbook();
        List<HasMetadata> resources = bindAll(render(K8sManifests.OVERLAY));
        Set<String> ids = resources.stream()
                .map(r -> r.getKind().toLowerCase() + "/" + r.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        for (String ref : all(runbook, "\\b((?:cronjob|deployment|deploy|svc|service)/[a-z0-9-]+)")) {
            named.add(ref.replace("deploy/", "deployment/").replace("svc/", "service/"));
        }
        for (String cronJob : all(runbook, "patch cronjob ([a-z0-9-]+)")) {
            named.add("cronjob/" + cronJob);
        }
        assertThat(named).isNotEmpty().allSatisfy(ref -> assertThat(ids).as("runbook names " + ref).contains(ref));
        String namespace = resources.stream().filter(r -> r.getMetadata().getNamespace() != null).findFirst()
                .orElseThrow().getMetadata().getNamespace();
        assertThat(all(runbook, "kubectl -n ([a-z0-9-]+)")).containsOnly(namespace);
        for (String path : all(runbook, "kubectl apply -k (\\S+)")) {
            assertThat(Path.of(path).resolve("kustomization.yaml")).exists();
        }
        assertThat(runbook).contains("kubectl apply -k " + K8sManifests.OVERLAY);
    }

    @Test
    void secretKeysAreTheTemplatesKeys() throws Exception {
        Secret template = (Secret) K8sManifests.bind(K8sManifests.documents(K8sManifests.SECRET_TEMPLATE).getFirst());
        assertThat(all(runbook(), "--from-literal=([A-Z_]+)=")).isEqualTo(new TreeSet<>(template.getStringData().keySet()));
    }

    @Test
    void commandsInTheRunbookAreCommandsOfTheJar() throws Exception {
        String runbook = runbook();
        Set<String> commands = new TreeSet<>(all(runbook, "(?m)^cs ([a-z-]+)"));
        commands.addAll(all(runbook, "args = \\[\"([a-z-]+)\""));
        commands.addAll(all(runbook, "`(stop|stop-sync|enable-sync|status|nightly|serve|migrate|rotate-token-key)`"));
        assertThat(commands).contains("restart", "status", "stop", "rotate-token-key");
        Set<String> known = Cli.commandLine().getSubcommands().keySet();
        Set<String> missing = commands.stream().filter(c -> !known.contains(c)).collect(Collectors.toCollection(TreeSet::new));
        // Commands another branch is adding (ops: nightly, status, restart, stop; main: rotate-token-key).
        assertThat(missing).isSubsetOf("nightly", "status", "restart", "stop", "rotate-token-key");
        assertThat(runbook).contains("/actuator/health").contains("/actuator/imports").contains("/actuator/metrics");
    }
}
