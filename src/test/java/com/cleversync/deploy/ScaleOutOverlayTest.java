package com.cleversync.deploy;

import com.cleversync.system.Cli;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static com.cleversync.deploy.K8sManifests.bindAll;
import static com.cleversync.deploy.K8sManifests.container;
import static com.cleversync.deploy.K8sManifests.one;
import static com.cleversync.deploy.K8sManifests.render;
import static org.assertj.core.api.Assertions.assertThat;

/** The scale-out overlay: the nightly CronJob runs as the manager, a worker Deployment runs the real `worker` command. */
class ScaleOutOverlayTest {

    static final Path SCALE_OUT = K8sManifests.ROOT.resolve("overlays/scale-out");

    @Test
    void managerCronJobAndWorkerDeployment() {
        List<HasMetadata> resources = bindAll(render(SCALE_OUT));
        CronJob nightly = one(resources, CronJob.class, "clever-sync-nightly");
        Container manager = container(nightly);
        assertThat(manager.getArgs()).containsExactly("nightly");
        assertThat(manager.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("CLEVER_SYNC_NIGHTLY_MODE", "manager"));
        assertThat(ApplicationProperties.load().reads("CLEVER_SYNC_NIGHTLY_MODE")).isTrue();
        assertThat(nightly.getSpec().getTimeZone()).as("the example installation's patches still apply").isEqualTo("America/Chicago");

        Deployment worker = one(resources, Deployment.class, "clever-sync-worker");
        assertThat(worker.getMetadata().getNamespace()).isEqualTo("clever-sync");
        assertThat(worker.getSpec().getReplicas()).isGreaterThanOrEqualTo(1);
        assertThat(worker.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(worker.getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "worker");
        Container c = container(worker);
        assertThat(c.getArgs()).containsExactly("worker");
        assertThat(Cli.commandLine().getSubcommands()).containsKey("worker");
        assertThat(c.getImage()).isEqualTo("registry.example.com/clever-sync:0.1.0");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(worker.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isFalse();
        assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(120L);
        // Two Deployments must never select each other's pods, and the Service must not send traffic to workers.
        Deployment serve = one(resources, Deployment.class, "clever-sync");
        assertThat(serve.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "serve");
    }
}
