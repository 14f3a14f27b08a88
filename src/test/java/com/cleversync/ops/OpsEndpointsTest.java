package com.cleversync.ops;

import com.cleversync.ops.Http.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Auth, and the sync, fees and contacts endpoints over real HTTP. */
class OpsEndpointsTest extends OpsWebTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    long acme;
    long other;
    long spring;
    long fall;

    @BeforeEach
    void rows() {
        acme = data.account("Acme");
        other = data.account("Other");
        spring = data.event(acme, "Spring", true);
        fall = data.event(acme, "Fall", true);
        data.event(other, "Other event", true);
        data.school(acme, "5f0000000000000000000001", "Lincoln", false);
        data.school(acme, "5f0000000000000000000002", "Gone", true);
        data.contact(acme, "TEACHER", "HOST");
        data.contact(acme, "PARENT", "CUSTOMER");
        data.contact(acme, "ADMIN", "ADMIN");
    }

    @Test
    void healthAndInfoArePublicEverythingElseNeedsTheOpsRole() {
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness").body()).contains("UP");
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/info").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health").body()).doesNotContain("components");
        assertThat(viewer.get("/actuator/health").body()).contains("\"db\"");
        assertThat(viewer.get("/actuator/health/readiness").body()).contains("\"db\"");
        assertThat(viewer.get("/actuator/health/liveness").body()).doesNotContain("\"db\"");

        for (String path : new String[] {"/actuator", "/actuator/sync", "/actuator/fees", "/actuator/metrics"}) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(401);
            assertThat(anonymous.as(OPS_USER, "wrong").get(path).status()).as(path).isEqualTo(401);
            assertThat(viewer.get(path).status()).as(path).isEqualTo(403);
            assertThat(ops.get(path).status()).as(path).isEqualTo(200);
        }
        assertThat(anonymous.post("/actuator/sync/event/" + spring, "{\"enabled\": false}").status()).isEqualTo(401);
        assertThat(viewer.post("/actuator/sync/event/" + spring, "{\"enabled\": false}").status()).isEqualTo(403);
        assertThat(viewer.post("/actuator/contacts/" + acme + "/HOST", "{\"dryRun\": true}").status()).isEqualTo(403);
        assertThat(data.count("SELECT COUNT(*) FROM event WHERE sync_enabled")).isEqualTo(3);
        assertThat(data.count("SELECT COUNT(*) FROM contact_deletion_token")).isZero();

        // Not exposed: outside the Actuator chain, denied for everyone.
        assertThat(ops.get("/actuator/env").status()).isIn(403, 404);
        assertThat(ops.get("/actuator/configprops").status()).isIn(403, 404);
        assertThat(ops.get("/actuator").body()).doesNotContain("/actuator/env", "/actuator/configprops");
        assertThat(ops.get("/not-actuator").status()).isIn(401, 403, 404);
        assertThat(anonymous.get("/not-actuator").status()).isEqualTo(401);
    }

    @Test
    void syncStopOneStopAllEnableAndList() throws Exception {
        JsonNode list = json(ops.get("/actuator/sync?account=" + acme), 200);
        assertThat(list.get("events")).hasSize(2);

        JsonNode stopped = json(ops.post("/actuator/sync/event/" + spring, "{\"enabled\": false}"), 200);
        assertThat(stopped.get("syncEnabled").asBoolean()).isFalse();
        assertThat(stopped.get("changed").asBoolean()).isTrue();
        assertThat(json(ops.get("/actuator/sync/event/" + spring), 200).get("syncEnabled").asBoolean()).isFalse();

        JsonNode all = json(ops.post("/actuator/sync/account/" + acme, "{\"enabled\": false}"), 200);
        assertThat(all.get("stopped")).hasSize(1);
        assertThat(all.get("stopped").get(0).get("eventId").asLong()).isEqualTo(fall);

        JsonNode enabled = json(ops.post("/actuator/sync/event/" + spring, "{\"enabled\": true}"), 200);
        assertThat(enabled.get("syncEnabled").asBoolean()).isTrue();
        assertThat(json(ops.get("/actuator/sync"), 200).get("events")).hasSize(2);
    }

    @Test
    void syncBadInputIsA4xxWithAMessageAndWritesNothing() throws Exception {
        assertError(ops.post("/actuator/sync/event/abc", "{\"enabled\": false}"), 400, "event id must be a positive number");
        assertError(ops.post("/actuator/sync/event/-3", "{\"enabled\": false}"), 400, "positive");
        assertError(ops.post("/actuator/sync/event/99999999999999999999", "{\"enabled\": false}"), 400, "out of range");
        assertError(ops.post("/actuator/sync/event/424242", "{\"enabled\": false}"), 404, "no event with id 424242");
        assertError(ops.post("/actuator/sync/account/424242", "{\"enabled\": false}"), 404, "no account");
        assertError(ops.post("/actuator/sync/account/" + acme, "{\"enabled\": true}"), 400, "one event at a time");
        assertError(ops.post("/actuator/sync/school/1", "{\"enabled\": false}"), 404, "unknown sync path");
        assertError(ops.get("/actuator/sync?account=x"), 400, "account id");
        assertError(ops.get("/actuator/sync?account=777"), 404, "no account");
        assertThat(ops.post("/actuator/sync/event/" + spring, "{}").status()).isEqualTo(400);
        assertThat(ops.post("/actuator/sync/event/" + spring, "{not json").status()).isEqualTo(400);
        assertThat(data.count("SELECT COUNT(*) FROM event WHERE sync_enabled")).isEqualTo(3);
        assertThat(data.count("SELECT COUNT(*) FROM event WHERE sync_changed_at IS NOT NULL")).isZero();
    }

    @Test
    void fees() throws Exception {
        JsonNode fees = json(ops.get("/actuator/fees?account=" + acme), 200);
        assertThat(fees.get("annualFeePerSchool").decimalValue()).isEqualByComparingTo("230.00");
        assertThat(fees.get("total").decimalValue()).isEqualByComparingTo("230.00");
        assertThat(fees.get("accounts").get(0).get("schools").get(0).get("name").asString()).isEqualTo("Lincoln");
        assertThat(json(ops.get("/actuator/fees"), 200).get("schools").asInt()).isEqualTo(1);
        assertError(ops.get("/actuator/fees?account=0"), 400, "positive");
        assertError(ops.get("/actuator/fees?account=31337"), 404, "no account");
    }

    @Test
    void contactsDryRunThenConfirm() throws Exception {
        String path = "/actuator/contacts/" + acme + "/host";
        JsonNode dry = json(ops.post(path, "{\"dryRun\": true}"), 200);
        assertThat(dry.get("total").asLong()).isEqualTo(2);
        assertThat(dry.get("counts").get("HOST").asLong()).isEqualTo(1);
        assertThat(dry.get("counts").get("CUSTOMER").asLong()).isEqualTo(1);
        assertThat(data.count("SELECT COUNT(*) FROM contact")).isEqualTo(3);
        String token = dry.get("confirmationToken").asString();

        assertError(ops.post(path, "{\"confirm\": \"forged\"}"), 400, "unknown confirmation token");
        assertError(ops.post("/actuator/contacts/" + acme + "/TEACHER", "{\"dryRun\": true}"), 400, "unknown contact level");
        assertError(ops.post("/actuator/contacts/abc/HOST", "{\"dryRun\": true}"), 400, "account id");
        assertError(ops.post("/actuator/contacts/5555/HOST", "{\"dryRun\": true}"), 404, "no account");
        assertError(ops.post(path, "{}"), 400, "dryRun");
        assertThat(data.count("SELECT COUNT(*) FROM contact")).isEqualTo(3);

        JsonNode done = json(ops.post(path, "{\"confirm\": \"" + token + "\"}"), 200);
        assertThat(done.get("total").asLong()).isEqualTo(2);
        assertThat(data.count("SELECT COUNT(*) FROM contact")).isEqualTo(1);
        assertError(ops.post(path, "{\"confirm\": \"" + token + "\"}"), 400, "already used");
    }

    static JsonNode json(Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    static void assertError(Response r, int status, String message) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).get("message").asString()).contains(message);
    }
}
