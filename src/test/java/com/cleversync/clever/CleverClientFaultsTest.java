package com.cleversync.clever;

import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimUser;
import com.cleversync.simulator.SimulatorSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Server errors, broken bodies, auth and misconfiguration against the simulator's fault switches. */
class CleverClientFaultsTest {

    static CleverSimulator sim;
    static CleverCredentials credentials;
    SimpleMeterRegistry meters;

    @BeforeAll
    static void start() {
        sim = CleverSimulator.start(SimulatorSettings.defaults());
        credentials = new CleverCredentials("Demo District", sim.settings().token());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.faults().clear();
        sim.requests().reset();
        meters = new SimpleMeterRegistry();
    }

    CleverClient client(int limit, int maxAttempts) {
        CleverProperties props = CleverProperties.defaults(sim.baseUrl()).withPageLimit(limit)
                .withRetry(new CleverProperties.Retry(maxAttempts, Duration.ofMillis(20), Duration.ofMillis(200), 2));
        return new CleverClient(props, meters);
    }

    double count(String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    List<String> expectedStudents() {
        return sim.district().users(SimUser.STUDENT).stream().map(SimUser::id).sorted().toList();
    }

    @Test
    void serverErrorsWithHtmlBodiesResetsAndTruncatedPagesAreRetried() {
        sim.faults().serverErrorRate(0.2);
        sim.faults().resetMidBodyRate(0.1);
        sim.faults().truncatedJsonRate(0.1);
        CleverClient client = client(7, 10);

        List<String> students = client.users(credentials, "student").stream().map(CleverUser::id).toList();

        assertThat(students).containsExactlyElementsOf(expectedStudents());
        long serverErrors = sim.requests().countStatus(500) + sim.requests().countStatus(502) + sim.requests().countStatus(503);
        assertThat(serverErrors).as("server errors served").isPositive();
        long pages = (expectedStudents().size() + 6) / 7;
        // Every request beyond one per page was a retry. (The simulator's own log may also hold late answers to
        // requests an earlier test gave up on, so the client's counter is the exact measure.)
        assertThat(count("clever.requests")).isGreaterThan(pages);
        assertThat(count("clever.retries")).isEqualTo(count("clever.requests") - pages);
        assertThat(count("clever.requests.failed_bodies")).as("resets and truncated bodies").isPositive();
    }

    @Test
    void aPersistentOutageGivesUpAfterTheConfiguredAttempts() {
        sim.faults().failAfter(0, 503);
        CleverClient client = client(100, 3);
        CleverApiException e = catchThrowableOfType(CleverApiException.class,
                () -> client.users(credentials, "student").page(null));
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("users?role=student").contains("Demo District").contains("(503)")
                .contains("gave up after 3 attempts").doesNotContain("\n");
        assertThat(sim.requests().total()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 501})
    void clientErrorsAreNeverRetried(int status) {
        sim.faults().failAfter(0, status);
        CleverClient client = client(100, 5);
        CleverApiException e = catchThrowableOfType(CleverApiException.class,
                () -> client.sections(credentials).page(null));
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.retryable()).isFalse();
        assertThat(sim.requests().total()).isEqualTo(1);
    }

    @Test
    void aRejectedTokenFailsFastNamingTheDistrictNeverTheToken() {
        sim.faults().revokeToken(true);
        CleverClient client = client(100, 5);
        CleverAuthException e = catchThrowableOfType(CleverAuthException.class, () -> client.district(credentials));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).startsWith("Clever rejected the token for district Demo District (401)")
                .doesNotContain(sim.settings().token()).doesNotContain("\n");
        assertThat(sim.requests().total()).isEqualTo(1);

        CleverItemReader<CleverUser> reader = new CleverItemReader<>("users", client.users(credentials, "teacher"), true);
        reader.open(new ExecutionContext());
        assertThatThrownBy(reader::read).isInstanceOf(CleverAuthException.class).hasMessageContaining("Demo District");
        reader.close();
    }

    @Test
    void aPageLimitOverClevervsMaximumIsReportedAsMisconfigured() {
        CleverClient client = client(20000, 5);
        CleverApiException e = catchThrowableOfType(CleverApiException.class, () -> client.schools(credentials).page(null));
        assertThat(e.status()).isEqualTo(413);
        assertThat(e.getMessage()).contains("clever.page-limit=20000 is misconfigured").contains("10000");
        assertThat(sim.requests().total()).isEqualTo(1);
    }

    @Test
    void aMalformedRecordIsSkippedAndReportedWhileTheRestOfThePageIsRead() {
        List<String> expected = expectedStudents();
        String broken = expected.get(10);
        sim.faults().malformedRecord(broken);
        CleverClient client = client(7, 3);
        CleverItemReader<CleverUser> reader = new CleverItemReader<>("students", client.users(credentials, "student"), true);
        ExecutionContext ctx = new ExecutionContext();
        reader.open(ctx);
        List<String> read = new ArrayList<>();
        List<MalformedRecordException> malformed = new ArrayList<>();
        while (true) {
            try {
                CleverUser u = reader.read();
                if (u == null) {
                    break;
                }
                read.add(u.id());
            } catch (MalformedRecordException e) {
                malformed.add(e);
                reader.update(ctx);
                assertThat(ctx.getString("students.starting_after")).isEqualTo(broken);
            }
        }
        reader.close();
        assertThat(malformed).singleElement().satisfies(e -> {
            assertThat(e.recordId()).isEqualTo(broken);
            assertThat(e.collection()).isEqualTo("users?role=student");
            assertThat(e.getMessage()).contains(broken).contains("name");
        });
        List<String> withoutBroken = new ArrayList<>(expected);
        withoutBroken.remove(broken);
        assertThat(read).containsExactlyElementsOf(withoutBroken);

        assertThatThrownBy(() -> client.user(credentials, broken))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining(broken);
    }

    @Test
    void aSlowAnswerTimesOutAndIsRetried() {
        sim.faults().latency(Duration.ofMillis(800));
        CleverProperties props = CleverProperties.defaults(sim.baseUrl()).withPageLimit(100)
                .withReadTimeout(Duration.ofMillis(300))
                .withRetry(new CleverProperties.Retry(2, Duration.ofMillis(20), Duration.ofMillis(50), 2));
        CleverClient client = new CleverClient(props, meters);
        CleverApiException e = catchThrowableOfType(CleverApiException.class, () -> client.schools(credentials).page(null));
        assertThat(e.status()).isZero();
        assertThat(e.getMessage()).contains("within 300 ms").contains("gave up after 2 attempts");
        assertThat(count("clever.retries")).isEqualTo(1);

        sim.faults().latency(Duration.ZERO);
        assertThat(client.schools(credentials).page(null).items()).hasSize(sim.district().schools().size());
    }

    @Test
    void appCredentialsListDistrictTokens() {
        CleverProperties props = CleverProperties.defaults(sim.baseUrl())
                .withApp(new CleverProperties.App(sim.settings().clientId(), sim.settings().clientSecret()));
        List<DistrictToken> tokens = new CleverClient(props, meters).districtTokens();
        assertThat(tokens).singleElement().satisfies(t -> {
            assertThat(t.districtId()).isEqualTo(sim.district().id());
            assertThat(t.accessToken()).isEqualTo(sim.settings().token());
            assertThat(t.toString()).doesNotContain(sim.settings().token());
        });

        CleverProperties wrong = props.withApp(new CleverProperties.App(sim.settings().clientId(), "not-the-secret"));
        assertThatThrownBy(() -> new CleverClient(wrong, meters).districtTokens())
                .isInstanceOf(CleverAuthException.class)
                .hasMessageContaining("clever.app.client-id")
                .hasMessageNotContaining("not-the-secret");
    }
}
