package com.cleversync.reliability;

import com.cleversync.ops.OpsFixtures;
import com.cleversync.ops.OpsWebTest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Actuator endpoint of the service against bad input, as an authenticated operator: unknown, malformed,
 * negative and huge ids, SQL and shell metacharacters, missing and wrong-typed fields, malformed JSON, wrong
 * content types and oversized bodies. Each answer must be a 4xx (never a 5xx) with a short single-line message
 * and no stack trace, and every table must be unchanged afterwards (CHECKSUM TABLE of all tables).
 */
class EndpointBadInputTest extends OpsWebTest {

    // The operator account OpsWebTest configures.
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("ops:correct-horse-battery".getBytes(StandardCharsets.UTF_8));
    private static final String SQL = "1' OR '1'='1'; DROP TABLE contact; --";
    private static final String SHELL = "$(touch /tmp/cs-endpoint-pwned)";
    private static final String HUGE = Long.toString(Long.MAX_VALUE);
    private static final String OVERFLOW = "99999999999999999999";

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int serverPort;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Call(String method, String path, String contentType, String body) {
        @Override
        public String toString() {
            String b = body == null ? "" : " " + (body.length() > 60 ? body.substring(0, 57) + "..." : body);
            return method + " " + (path.length() > 90 ? path.substring(0, 87) + "..." : path)
                    + (contentType == null ? "" : " [" + contentType + "]") + b;
        }
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String json(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointRejectsBadInputWith4xxAndWritesNothing() {
        OpsFixtures.Imported f = data.connectedImport(context, "Endpoint district", 0);
        String acc = Long.toString(f.accountId());
        String ev = Long.toString(f.eventId());
        // (A blank optional filter such as ?account= means "no filter", so blanks are only tried where an id is required.)
        List<String> badIds = List.of("abc", "-1", "0", "987654321", HUGE, OVERFLOW, SQL, SHELL, "1.5");
        List<Call> calls = new ArrayList<>();
        String jsonType = "application/json";
        for (String id : badIds) {
            calls.add(new Call("GET", "/actuator/fees?account=" + q(id), null, null));
            calls.add(new Call("GET", "/actuator/sync?account=" + q(id), null, null));
            calls.add(new Call("GET", "/actuator/sync/event/" + q(id), null, null));
            calls.add(new Call("POST", "/actuator/sync/event/" + q(id), jsonType, "{\"enabled\": false}"));
            calls.add(new Call("POST", "/actuator/sync/account/" + q(id), jsonType, "{\"enabled\": false}"));
            calls.add(new Call("GET", "/actuator/imports/" + q(id), null, null));
            calls.add(new Call("POST", "/actuator/imports/" + q(id), jsonType, "{\"action\": \"restart\"}"));
            calls.add(new Call("POST", "/actuator/contacts/" + q(id) + "/HOST", jsonType, "{\"dryRun\": true}"));
            calls.add(new Call("GET", "/actuator/terms?account=" + q(id) + "&school=" + f.schoolId(), null, null));
            calls.add(new Call("POST", "/actuator/imports", jsonType,
                    "{\"event\": " + json(id) + ", \"school\": " + json(f.schoolId()) + ", \"term\": " + json(f.termId()) + "}"));
        }
        for (String bad : List.of(SQL, SHELL, "../../etc/passwd", "", "x".repeat(65), "0123456789abcdef01234567")) {
            calls.add(new Call("POST", "/actuator/imports", jsonType,
                    "{\"event\": " + json(ev) + ", \"school\": " + json(bad) + ", \"term\": " + json(f.termId()) + "}"));
            calls.add(new Call("POST", "/actuator/imports", jsonType,
                    "{\"event\": " + json(ev) + ", \"school\": " + json(f.schoolId()) + ", \"term\": " + json(bad) + "}"));
            calls.add(new Call("GET", "/actuator/terms?account=" + acc + "&school=" + q(bad), null, null));
            calls.add(new Call("POST", "/actuator/contacts/" + acc + "/" + q(bad.isEmpty() ? "NONE" : bad), jsonType, "{\"dryRun\": true}"));
        }
        calls.add(new Call("GET", "/actuator/sync/bogus/" + ev, null, null));
        calls.add(new Call("POST", "/actuator/sync/event/" + ev, jsonType, "{\"enabled\": \"maybe\"}"));
        calls.add(new Call("POST", "/actuator/sync/event/" + ev, jsonType, "{}"));
        calls.add(new Call("POST", "/actuator/sync/event/" + ev, jsonType, "{\"enabled\": "));
        calls.add(new Call("POST", "/actuator/sync/event/" + ev, "text/plain", "enabled=false"));
        calls.add(new Call("POST", "/actuator/sync/event/" + ev, "application/x-www-form-urlencoded", "enabled=false"));
        calls.add(new Call("POST", "/actuator/sync/event/" + ev, "application/xml", "<enabled>false</enabled>"));
        calls.add(new Call("POST", "/actuator/contacts/" + acc + "/HOST", jsonType, "{}"));
        calls.add(new Call("POST", "/actuator/contacts/" + acc + "/HOST", jsonType, "{\"confirm\": " + json(SQL) + "}"));
        calls.add(new Call("POST", "/actuator/contacts/" + acc + "/HOST", jsonType, "{\"dryRun\": \"yes please\"}"));
        calls.add(new Call("POST", "/actuator/contacts/" + acc + "/HOST", "text/plain", "dryRun"));
        calls.add(new Call("POST", "/actuator/imports", jsonType, "{}"));
        calls.add(new Call("POST", "/actuator/imports", jsonType, "[1, 2, 3]"));
        calls.add(new Call("POST", "/actuator/imports", jsonType, "not json at all"));
        calls.add(new Call("POST", "/actuator/imports", jsonType, "{\"event\": " + ev + ", \"school\": {\"$ne\": 1}}"));
        calls.add(new Call("POST", "/actuator/imports", "text/plain", "event=" + ev));
        calls.add(new Call("POST", "/actuator/imports", jsonType,
                "{\"event\": " + json(ev) + ", \"school\": " + json("a".repeat(4_000_000)) + ", \"term\": " + json(f.termId()) + "}"));
        calls.add(new Call("POST", "/actuator/sync/event/" + ev, jsonType, "{\"enabled\": \"" + "x".repeat(4_000_000) + "\"}"));
        calls.add(new Call("POST", "/actuator/contacts/" + acc + "/HOST", jsonType, "{\"confirm\": " + json("c".repeat(4_000_000)) + "}"));
        calls.add(new Call("GET", "/actuator/imports/%20", null, null));
        calls.add(new Call("POST", "/actuator/imports", jsonType, "{\"event\": \" \", \"school\": \" \", \"term\": \" \"}"));
        calls.add(new Call("GET", "/actuator/terms?school=" + f.schoolId(), null, null));
        calls.add(new Call("GET", "/actuator/terms?account=" + acc, null, null));
        calls.add(new Call("DELETE", "/actuator/imports", null, null));
        calls.add(new Call("PUT", "/actuator/sync/event/" + ev, jsonType, "{\"enabled\": false}"));

        String before = BadInputMatrixTest.tableChecksums(jdbcTemplate);
        return calls.stream().map(call -> DynamicTest.dynamicTest(call.toString(), () -> {
            HttpResponse<String> response = send(call);
            String shown = call + " -> " + response.statusCode() + " " + abbreviate(response.body());
            assertThat(response.statusCode()).as(shown).isBetween(400, 499).isNotIn(401, 403);
            String body = response.body() == null ? "" : response.body();
            assertThat(body).as(shown).doesNotContain("\n", "Exception", "\tat ", "org.springframework");
            assertThat(body.length()).as(shown).isLessThan(600);
            assertThat(BadInputMatrixTest.tableChecksums(jdbcTemplate)).as("nothing written: " + shown).isEqualTo(before);
        }));
    }

    private HttpResponse<String> send(Call call) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + call.path()))
                .timeout(Duration.ofSeconds(60)).header("Authorization", BASIC);
        if (call.contentType() != null) {
            builder.header("Content-Type", call.contentType());
        }
        builder.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body()));
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
