package com.cleversync.deploy;

import com.cleversync.support.DatabaseTest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static com.cleversync.deploy.K8sManifests.bindAll;
import static com.cleversync.deploy.K8sManifests.one;
import static com.cleversync.deploy.K8sManifests.render;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Deployment's probes against the real application (web server, database, security as configured):
 * kubelet probes carry no credentials, so each path must answer 200 anonymously.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class K8sProbesTest extends DatabaseTest {

    @LocalServerPort
    int port;

    @Test
    void everyProbePathAnswers200WithoutCredentials() throws Exception {
        Container container = K8sManifests.container(one(bindAll(render(K8sManifests.BASE)), Deployment.class, "clever-sync"));
        List<Probe> probes = List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // The startup probe is retried by the kubelet (failureThreshold x periodSeconds): the first request may
        // take the servlet's lazy initialisation. After that each probe must answer within its own timeout.
        Probe startup = container.getStartupProbe();
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + startup.getHttpGet().getPath()))
                .timeout(Duration.ofSeconds((long) startup.getFailureThreshold() * startup.getPeriodSeconds())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (Probe probe : probes) {
            String path = probe.getHttpGet().getPath();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds()))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            assertThat(response.body()).as(path).contains("\"UP\"");
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health/no-such-group")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isNotEqualTo(200);
    }
}
