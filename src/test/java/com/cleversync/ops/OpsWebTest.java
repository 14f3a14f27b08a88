package com.cleversync.ops;

import com.cleversync.simulator.CleverSimulator;
import com.cleversync.simulator.SimulatorSettings;
import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the operations tests: the real server on a random port with an ops and a viewer account, and a
 * Clever simulator over HTTP (small pages, so an import makes enough requests to be stopped half-way).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "clever-sync.ops.username=" + OpsWebTest.OPS_USER,
        "clever-sync.ops.password=" + OpsWebTest.OPS_PASSWORD,
        "clever-sync.ops.viewer-username=viewer",
        "clever-sync.ops.viewer-password=viewer-password",
        "clever.page-limit=" + OpsWebTest.PAGE_LIMIT,
        "clever-sync.import.chunk-size=" + OpsWebTest.CHUNK_SIZE})
public abstract class OpsWebTest extends DatabaseTest {

    static final String OPS_USER = "ops";
    static final String OPS_PASSWORD = "correct-horse-battery";
    public static final int PAGE_LIMIT = 5;
    public static final int CHUNK_SIZE = 5;
    public static final CleverSimulator CLEVER = CleverSimulator.start(SimulatorSettings.defaults()
            .withSchools(2).withStudentsPerSchool(30).withRateLimitPerMinute(100_000));

    @LocalServerPort
    int port;

    protected Http anonymous;
    protected Http ops;
    protected Http viewer;
    protected OpsFixtures data;

    @DynamicPropertySource
    static void clever(DynamicPropertyRegistry registry) {
        registry.add("clever.api.base-url", CLEVER::baseUrl);
        registry.add("clever.oauth.base-url", CLEVER::baseUrl);
    }

    @BeforeEach
    void clients() {
        anonymous = Http.anonymous(port);
        ops = anonymous.as(OPS_USER, OPS_PASSWORD);
        viewer = anonymous.as("viewer", "viewer-password");
        data = new OpsFixtures(jdbc);
        CLEVER.faults().clear();
    }

    @AfterEach
    void noFaults() {
        CLEVER.faults().clear();
    }
}
