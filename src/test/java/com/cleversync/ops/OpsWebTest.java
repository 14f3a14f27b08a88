package com.cleversync.ops;

import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Base of the Actuator tests: the real server on a random port, with an ops and a viewer account. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "clever-sync.ops.username=" + OpsWebTest.OPS_USER,
        "clever-sync.ops.password=" + OpsWebTest.OPS_PASSWORD,
        "clever-sync.ops.viewer-username=viewer",
        "clever-sync.ops.viewer-password=viewer-password"})
public abstract class OpsWebTest extends DatabaseTest {

    static final String OPS_USER = "ops";
    static final String OPS_PASSWORD = "correct-horse-battery";

    @LocalServerPort
    int port;

    protected Http anonymous;
    protected Http ops;
    protected Http viewer;
    protected OpsFixtures data;

    @BeforeEach
    void clients() {
        anonymous = Http.anonymous(port);
        ops = anonymous.as(OPS_USER, OPS_PASSWORD);
        viewer = anonymous.as("viewer", "viewer-password");
        data = new OpsFixtures(jdbc);
    }
}
