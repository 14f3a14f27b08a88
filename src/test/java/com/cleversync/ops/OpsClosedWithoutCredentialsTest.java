package com.cleversync.ops;

import com.cleversync.support.DatabaseTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No ops password configured: the protected endpoints stay closed for every guess, health stays public.
 * Also runs Actuator on a management port of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "clever-sync.ops.username=ops", "clever-sync.ops.password=", "management.server.port=0"})
class OpsClosedWithoutCredentialsTest extends DatabaseTest {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void protectedEndpointsAnswer401ToEveryone() {
        assertThat(managementPort).isNotEqualTo(port);
        Http anonymous = Http.anonymous(managementPort);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
        for (String[] guess : new String[][] {{"ops", ""}, {"ops", "ops"}, {"user", "password"}, {"admin", "admin"}}) {
            Http caller = anonymous.as(guess[0], guess[1]);
            assertThat(caller.get("/actuator/fees").status()).as(String.join("/", guess)).isEqualTo(401);
            assertThat(caller.post("/actuator/sync/event/1", "{\"enabled\": false}").status()).isEqualTo(401);
        }
        assertThat(anonymous.get("/actuator/fees").status()).isEqualTo(401);
        assertThat(Http.anonymous(port).get("/actuator/health").status()).as("no Actuator on the application port")
                .isNotEqualTo(200);
    }
}
