package com.cleversync.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static com.cleversync.deploy.K8sManifests.bindAll;
import static com.cleversync.deploy.K8sManifests.container;
import static com.cleversync.deploy.K8sManifests.one;
import static com.cleversync.deploy.K8sManifests.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The k8s/ manifests: valid for the Kubernetes API, complete, and with the settings the runbook relies on. */
class K8sManifestsTest {

    static List<Path> yamlFiles() {
        return K8sManifests.yamlFiles();
    }

    @ParameterizedTest
    @MethodSource("yamlFiles")
    void everyFileBindsStrictlyToTheKubernetesModel(Path file) {
        if (K8sManifests.isKustomization(file)) {
            var k = K8sManifests.kustomization(file.getParent());
            assertThat(k.apiVersion()).isEqualTo("kustomize.config.k8s.io/v1beta1");
            assertThat(k.kind()).isEqualTo("Kustomization");
            return;
        }
        List<ObjectNode> docs = K8sManifests.documents(file);
        assertThat(docs).as(file.toString()).isNotEmpty();
        for (ObjectNode doc : docs) {
            HasMetadata resource = K8sManifests.bind(doc);
            assertThat(resource.getMetadata().getName()).as(file.toString()).isNotBlank();
        }
    }

    @Test
    void strictBindingRejectsUnknownFieldsAndWrongTypes() {
        ObjectNode typo = (ObjectNode) K8sManifests.STRICT.readTree("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: x}
                spec:
                  schedule: "0 1 * * *"
                  timezone: America/Chicago
                  jobTemplate: {spec: {template: {spec: {containers: []}}}}
                """);
        assertThatThrownBy(() -> K8sManifests.bind(typo)).hasMessageContaining("timezone");
        ObjectNode wrongType = (ObjectNode) K8sManifests.STRICT.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec: {replicas: "two"}
                """);
        assertThatThrownBy(() -> K8sManifests.bind(wrongType)).hasMessageContaining("replicas");
        ObjectNode unknownKind = (ObjectNode) K8sManifests.STRICT.readTree("""
                apiVersion: batch/v1
                kind: CronJobs
                metadata: {name: x}
                """);
        assertThatThrownBy(() -> K8sManifests.bind(unknownKind)).hasMessageContaining("unknown Kubernetes kind");
    }

    @Test
    void everyYamlFileIsPartOfAKustomizationExceptTheSecretTemplate() {
        Set<Path> listed = new java.util.HashSet<>();
        for (Path file : K8sManifests.yamlFiles()) {
            if (!K8sManifests.isKustomization(file)) {
                continue;
            }
            Path dir = file.getParent();
            var k = K8sManifests.kustomization(dir);
            for (String resource : k.resources()) {
                Path path = dir.resolve(resource).normalize();
                assertThat(path).as(dir + " lists " + resource).exists();
                if (Files.isDirectory(path)) {
                    assertThat(path.resolve("kustomization.yaml")).exists();
                }
                listed.add(path);
            }
            for (var patch : k.patches()) {
                Path path = dir.resolve(patch.path()).normalize();
                assertThat(path).as(dir + " patch " + patch.path()).exists();
                listed.add(path);
            }
        }
        List<Path> orphans = K8sManifests.yamlFiles().stream()
                .filter(f -> !K8sManifests.isKustomization(f))
                .filter(f -> !listed.contains(f.normalize()))
                .toList();
        assertThat(orphans).containsExactly(K8sManifests.SECRET_TEMPLATE);
    }

    @Test
    void everyKustomizationRendersAndItsPatchesHitExistingResources() {
        for (Path dir : List.of(K8sManifests.ROOT, K8sManifests.BASE, K8sManifests.OVERLAY)) {
            List<HasMetadata> resources = bindAll(render(dir));
            assertThat(resources).as(dir.toString()).isNotEmpty();
            Map<String, Long> ids = resources.stream().collect(Collectors.groupingBy(
                    r -> r.getKind() + "/" + r.getMetadata().getName(), Collectors.counting()));
            assertThat(ids.values()).as("duplicate resources in " + dir + ": " + ids).allMatch(n -> n == 1);
        }
    }

    @Test
    void overlayAppliesNamespaceImageTimeZoneAndPatches() {
        List<HasMetadata> resources = bindAll(render(K8sManifests.OVERLAY));
        assertThat(resources).filteredOn(r -> !(r instanceof Namespace))
                .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo("clever-sync"));
        Namespace ns = one(resources, Namespace.class, "clever-sync");
        assertThat(ns.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        CronJob nightly = one(resources, CronJob.class, "clever-sync-nightly");
        assertThat(nightly.getSpec().getTimeZone()).isEqualTo("America/Chicago");
        assertThat(nightly.getSpec().getSchedule()).isEqualTo("0 1 * * *");
        K8sManifests.podSpecs(resources).forEach((id, spec) ->
                assertThat(container(spec).getImage()).as(id).isEqualTo("registry.example.com/clever-sync:0.1.0"));
        assertThat(one(resources, ConfigMap.class, "clever-sync-config").getData().get("SPRING_DATASOURCE_URL"))
                .contains("booking-db.example.internal", "rewriteBatchedStatements=true");
    }

    @Test
    void nightlyCronJob() {
        CronJob nightly = one(bindAll(render(K8sManifests.BASE)), CronJob.class, "clever-sync-nightly");
        var spec = nightly.getSpec();
        assertThat(spec.getSchedule()).isEqualTo("0 1 * * *");
        assertThat(ZoneId.of(spec.getTimeZone())).isNotNull();
        assertThat(spec.getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(spec.getStartingDeadlineSeconds()).isPositive();
        assertThat(spec.getSuccessfulJobsHistoryLimit()).isPositive();
        assertThat(spec.getFailedJobsHistoryLimit()).isPositive();
        assertThat(spec.getSuspend()).isNotEqualTo(Boolean.TRUE);
        JobSpec job = spec.getJobTemplate().getSpec();
        assertThat(job.getBackoffLimit()).isBetween(1, 5);
        assertThat(job.getActiveDeadlineSeconds()).isBetween(3600L, 23L * 3600);
        assertFailurePolicy(job);
        PodSpec pod = job.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(120L);
        assertThat(container(pod).getArgs()).containsExactly("nightly");
    }

    @Test
    void restartJobTemplate() {
        CronJob restart = one(bindAll(render(K8sManifests.BASE)), CronJob.class, "clever-sync-restart");
        // A template only: never scheduled on its own.
        assertThat(restart.getSpec().getSuspend()).isTrue();
        JobSpec job = restart.getSpec().getJobTemplate().getSpec();
        assertFailurePolicy(job);
        assertThat(job.getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(container(restart).getArgs()).containsExactly("restart", "--all-failed");
    }

    private static void assertFailurePolicy(JobSpec job) {
        List<PodFailurePolicyRule> rules = job.getPodFailurePolicy().getRules();
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.getAction()).isEqualTo("FailJob");
            assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
            assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo(K8sManifests.CONTAINER);
            assertThat(rule.getOnExitCodes().getValues()).contains(2).doesNotContain(0, 1);
        });
        // Rules apply in order: the disruption rule must come before any exit-code rule.
        assertThat(rules.getFirst().getAction()).isEqualTo("Ignore");
        assertThat(rules.getFirst().getOnPodConditions()).anySatisfy(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
    }

    @Test
    void serviceDeploymentProbesAndGracefulShutdown() {
        List<HasMetadata> resources = bindAll(render(K8sManifests.BASE));
        Deployment deployment = one(resources, Deployment.class, "clever-sync");
        Container c = container(deployment);
        assertThat(c.getArgs()).containsExactly("serve");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        Probe startup = c.getStartupProbe();
        assertThat(startup.getHttpGet()).isNotNull();
        assertThat(startup.getFailureThreshold() * startup.getPeriodSeconds()).isGreaterThanOrEqualTo(60);
        for (Probe p : List.of(c.getReadinessProbe(), c.getLivenessProbe(), startup)) {
            assertThat(c.getPorts()).anySatisfy(port -> assertThat(port.getName()).isEqualTo(p.getHttpGet().getPort().getStrVal()));
        }
        long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        assertThat(preStop).isBetween(3L, 30L);
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(preStop + 30);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        Service service = one(resources, Service.class, "clever-sync");
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8080);
        });
        assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
    }

    @Test
    void everyPodIsLockedDown() {
        List<HasMetadata> resources = bindAll(render(K8sManifests.BASE));
        ServiceAccount account = one(resources, ServiceAccount.class, "clever-sync");
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
        Map<String, PodSpec> pods = K8sManifests.podSpecs(resources);
        assertThat(pods).hasSize(3);
        pods.forEach((id, pod) -> {
            assertThat(pod.getServiceAccountName()).as(id).isEqualTo("clever-sync");
            assertThat(pod.getAutomountServiceAccountToken()).as(id).isFalse();
            PodSecurityContext psc = pod.getSecurityContext();
            assertThat(psc.getRunAsNonRoot()).as(id).isTrue();
            assertThat(psc.getRunAsUser()).as(id).isEqualTo(10001L);
            assertThat(psc.getSeccompProfile().getType()).as(id).isEqualTo("RuntimeDefault");
            Container c = container(pod);
            SecurityContext sc = c.getSecurityContext();
            assertThat(sc.getRunAsNonRoot()).as(id).isTrue();
            assertThat(sc.getRunAsUser()).as(id).isEqualTo(10001L);
            assertThat(sc.getReadOnlyRootFilesystem()).as(id).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).as(id).isFalse();
            assertThat(sc.getCapabilities().getDrop()).as(id).containsExactly("ALL");
            assertThat(sc.getCapabilities().getAdd()).as(id).isNullOrEmpty();
            assertThat(sc.getSeccompProfile().getType()).as(id).isEqualTo("RuntimeDefault");
            // The read-only root needs a writable /tmp (Tomcat work dir, JVM perf data).
            String tmpVolume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                    .findFirst().orElseThrow().getName();
            assertThat(pod.getVolumes()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo(tmpVolume);
                assertThat(v.getEmptyDir()).isNotNull();
            });
            var requests = c.getResources().getRequests();
            var limits = c.getResources().getLimits();
            assertThat(requests).as(id).containsKeys("cpu", "memory");
            assertThat(limits).as(id).containsKeys("cpu", "memory");
            // Memory limit = request: no overcommit, and the JVM heap (75 %) is sized from the limit.
            assertThat(limits.get("memory").getNumericalAmount()).as(id).isEqualByComparingTo(requests.get("memory").getNumericalAmount());
            assertThat(c.getImage()).as(id).isEqualTo("clever-sync:latest");
            assertThat(c.getCommand()).as(id + ": the image's ENTRYPOINT must stay in charge").isNullOrEmpty();
            assertThat(c.getEnvFrom().stream().map(EnvFromSource::getConfigMapRef).filter(java.util.Objects::nonNull)
                    .map(ref -> ref.getName())).as(id).containsExactly("clever-sync-config");
            assertThat(c.getEnvFrom().stream().map(EnvFromSource::getSecretRef).filter(java.util.Objects::nonNull)
                    .map(ref -> ref.getName())).as(id).containsExactly("clever-sync-secrets");
        });
    }

    @Test
    void networkPolicyLetsOnlyTheIngressControllerIn() {
        NetworkPolicy policy = one(bindAll(render(K8sManifests.OVERLAY)), NetworkPolicy.class, "clever-sync");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "clever-sync");
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getIpBlock()).isNull();
                assertThat(peer.getPodSelector()).isNull();
                assertThat(peer.getNamespaceSelector().getMatchLabels()).containsKey("kubernetes.io/metadata.name");
            });
            assertThat(rule.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
        });
        Set<String> egress = policy.getSpec().getEgress().stream()
                .map(NetworkPolicyEgressRule::getPorts).flatMap(List::stream)
                .map(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .collect(Collectors.toSet());
        assertThat(egress).containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/3306", "TCP/443");
        assertThat(policy.getSpec().getEgress().stream().map(NetworkPolicyEgressRule::getPorts).flatMap(List::stream)
                .map(NetworkPolicyPort::getEndPort)).containsOnlyNulls();
    }

    @Test
    void secretsOnlyAsPlaceholdersAndNeverInTheConfigMap() {
        Secret template = (Secret) K8sManifests.bind(K8sManifests.documents(K8sManifests.SECRET_TEMPLATE).getFirst());
        assertThat(template.getMetadata().getName()).isEqualTo("clever-sync-secrets");
        assertThat(template.getData()).isNullOrEmpty();
        assertThat(template.getStringData()).containsOnlyKeys("SPRING_DATASOURCE_PASSWORD", "CLEVER_APP_CLIENT_ID",
                "CLEVER_APP_CLIENT_SECRET", "CLEVER_TOKEN_KEY", "CLEVER_SYNC_OPS_USERNAME", "CLEVER_SYNC_OPS_PASSWORD");
        assertThat(template.getStringData().values()).containsOnly("CHANGE_ME");

        for (Path dir : List.of(K8sManifests.BASE, K8sManifests.OVERLAY)) {
            List<HasMetadata> resources = bindAll(render(dir));
            assertThat(resources).noneMatch(Secret.class::isInstance);
            ConfigMap config = one(resources, ConfigMap.class, "clever-sync-config");
            assertThat(config.getData().keySet()).noneMatch(k -> k.matches(".*(PASSWORD|SECRET|TOKEN|KEY|CLIENT_ID).*"));
            assertThat(config.getData().values()).noneMatch(v -> v.matches("(?i).*(password|secret)=.*"));
            K8sManifests.podSpecs(resources).forEach((id, pod) -> assertThat(container(pod).getEnv()).as(id)
                    .noneMatch(e -> e.getName().matches(".*(PASSWORD|SECRET|TOKEN|KEY).*") && e.getValue() != null));
        }
    }
}
