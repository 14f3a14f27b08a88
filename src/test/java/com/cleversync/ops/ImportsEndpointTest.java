package com.cleversync.ops;

import com.cleversync.ops.Http.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.function.Predicate;

import static com.cleversync.ops.OpsEndpointsTest.assertError;
import static com.cleversync.ops.OpsEndpointsTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** /actuator/imports over HTTP against the simulator: start, 409, progress, stop, restart, bad input, auth. */
class ImportsEndpointTest extends OpsWebTest {

    @Autowired
    ApplicationContext context;

    @Test
    void startFollowConflictStopAndRestart() {
        long account = data.account("Acme");
        data.event(account, "Spring", true);
        long event = data.event(account, "Conferences", true);
        context.getBean(com.cleversync.account.AccountService.class).connect(account, CLEVER.settings().token());
        String school = CLEVER.district().schools().getFirst().id();
        String term = CLEVER.district().termsOf(school).getFirst().id();
        String body = "{\"event\": " + event + ", \"school\": \"" + school + "\", \"term\": \"" + term + "\"}";

        assertThat(anonymous.post("/actuator/imports", body).status()).isEqualTo(401);
        assertThat(viewer.post("/actuator/imports", body).status()).isEqualTo(403);
        assertThat(data.count("SELECT COUNT(*) FROM event_import")).isZero();

        CLEVER.faults().latency(Duration.ofMillis(150));
        JsonNode started = json(ops.post("/actuator/imports", body), 202);
        long executionId = started.get("executionId").asLong();
        assertThat(started.get("eventImportId").asLong()).isPositive();

        Response again = ops.post("/actuator/imports", body);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("already running");

        // Between two steps there is no current step: wait until the job is inside one.
        JsonNode running = waitFor(executionId, s -> s.get("steps").size() >= 2
                && s.hasNonNull("currentStep") && s.get("currentStep").asString().startsWith("import"));
        assertThat(running.get("status").asString()).isIn("STARTED", "STARTING");
        assertThat(running.get("currentStep").asString()).startsWith("import");
        assertThat(json(ops.get("/actuator/imports"), 200).get("running").toString()).contains("\"executionId\":" + executionId);

        JsonNode stopping = json(ops.post("/actuator/imports/" + executionId, "{\"action\": \"stop\"}"), 202);
        assertThat(stopping.get("executionId").asLong()).isEqualTo(executionId);
        JsonNode stopped = waitFor(executionId, s -> s.get("status").asString().equals("STOPPED"));
        assertThat(stopped.get("restartable").asBoolean()).isTrue();
        assertThat(json(ops.get("/actuator/imports"), 200).get("restartable").toString()).contains("\"executionId\":" + executionId);

        CLEVER.faults().latency(Duration.ZERO);
        JsonNode restarted = json(ops.post("/actuator/imports/" + executionId, "{\"action\": \"restart\"}"), 202);
        long second = restarted.get("executionId").asLong();
        assertThat(second).isNotEqualTo(executionId);
        JsonNode done = waitFor(second, s -> s.get("status").asString().equals("COMPLETED"));
        assertThat(done.get("jobInstanceId").asLong()).isEqualTo(stopped.get("jobInstanceId").asLong());
        long read = 0;
        for (JsonNode execution : new JsonNode[] {stopped, done}) {
            for (JsonNode step : execution.get("steps")) {
                assertThat(step.has("read") && step.has("written") && step.has("skipped")).isTrue();
                read += step.get("read").asLong();
            }
        }
        assertThat(read).as("records read by the stopped run and its restart").isPositive();
        assertThat(data.count("SELECT COUNT(*) FROM contact WHERE kind = 'TEACHER'")).isPositive();
        assertThat(done.get("elapsedSeconds").isNumber()).isTrue();

        assertError(ops.post("/actuator/imports/" + second, "{\"action\": \"stop\"}"), 409, "not running");
        assertError(ops.post("/actuator/imports/" + executionId, "{\"action\": \"restart\"}"), 409, "already restarted as execution " + second);
        assertError(ops.post("/actuator/imports/" + second, "{\"action\": \"restart\"}"), 409, "COMPLETED");
        assertError(ops.post("/actuator/imports/" + second, "{\"action\": \"explode\"}"), 400, "restart");
        assertError(ops.get("/actuator/imports/abc"), 400, "execution id");
        assertError(ops.get("/actuator/imports/987654321"), 404, "no job execution");
        assertThat(viewer.get("/actuator/imports/" + second).status()).isEqualTo(403);
    }

    @Test
    void badEventSchoolOrTermIsA4xxAndNothingIsWritten() {
        long account = data.account("Acme");
        long event = data.event(account, "Conferences", true);
        long unconnected = data.event(data.account("Unconnected"), "E", true);
        context.getBean(com.cleversync.account.AccountService.class).connect(account, CLEVER.settings().token());
        String school = CLEVER.district().schools().getFirst().id();
        String term = CLEVER.district().termsOf(school).getFirst().id();

        assertError(ops.post("/actuator/imports", req("\"abc\"", school, term)), 400, "event id");
        assertError(ops.post("/actuator/imports", req("-1", school, term)), 400, "positive");
        assertError(ops.post("/actuator/imports", req("424242", school, term)), 404, "unknown event");
        assertError(ops.post("/actuator/imports", req(String.valueOf(event), "not a school!", term)), 400, "malformed school");
        assertError(ops.post("/actuator/imports", req(String.valueOf(event), "5f0000000000000000000abc", term)), 404, "school");
        assertError(ops.post("/actuator/imports", req(String.valueOf(event), school, "5f0000000000000000000abc")), 404, "term");
        assertError(ops.post("/actuator/imports", req(String.valueOf(unconnected), school, term)), 400, "no Clever connection");
        assertError(ops.post("/actuator/imports", "{\"event\": " + event + "}"), 400, "school is required");
        assertThat(ops.post("/actuator/imports", "{nope").status()).isEqualTo(400);

        assertThat(data.count("SELECT COUNT(*) FROM event_import")).isZero();
        assertThat(data.count("SELECT COUNT(*) FROM school")).isZero();
        assertThat(data.count("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")).isZero();
    }

    private static String req(String event, String school, String term) {
        return "{\"event\": " + event + ", \"school\": \"" + school + "\", \"term\": \"" + term + "\"}";
    }

    private JsonNode waitFor(long executionId, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = json(ops.get("/actuator/imports/" + executionId), 200);
            if (condition.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("execution " + executionId + " never got there: " + last);
    }

    @Test
    void termsPreviewListsTheSchoolsTermsAndWritesNothing() {
        long account = data.account("Preview");
        context.getBean(com.cleversync.account.AccountService.class).connect(account, CLEVER.settings().token());
        String school = CLEVER.district().schools().getFirst().id();
        var term = CLEVER.district().termsOf(school).getFirst();
        long sections = CLEVER.district().sectionsOf(school).stream().filter(s -> term.id().equals(s.termId())).count();
        long before = data.count("SELECT COUNT(*) FROM school");

        JsonNode terms = json(ops.get("/actuator/terms?account=" + account + "&school=" + school), 200);

        JsonNode first = null;
        for (JsonNode t : terms) {
            if (term.id().equals(t.get("termId").asString())) {
                first = t;
            }
        }
        assertThat(first).as(terms.toString()).isNotNull();
        assertThat(first.get("name").asString()).isEqualTo(term.name());
        assertThat(first.get("sections").asLong()).isEqualTo(sections);
        assertThat(first.get("students").asLong()).isPositive();
        assertThat(data.count("SELECT COUNT(*) FROM school")).isEqualTo(before);
        assertThat(anonymous.get("/actuator/terms?account=" + account + "&school=" + school).status()).isEqualTo(401);
        assertError(ops.get("/actuator/terms?account=abc&school=" + school), 400, "account");
        assertError(ops.get("/actuator/terms?account=" + account + "&school=5a0000000000000000000000"), 404, "school");
        assertError(ops.get("/actuator/terms?account=" + account + "&school=x%27%3B--"), 400, "malformed");
    }
}
