package com.cleversync.clever;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire quirks of Clever's JSON, parsed from literal bodies shaped like recorded Clever responses. */
class CleverJsonTest {

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAPageRecordByRecordWithItsNextCursor() {
        var page = CleverJson.readPage(body("""
                {"data":[
                  {"data":{"id":"5a25ffc265e950634b00017c","name":"Algebra","students":["a1","a2"],"teachers":[],"extra":{"x":1}},
                   "uri":"/v3.0/sections/5a25ffc265e950634b00017c"},
                  {"data":{"id":"5a25ffc265e950634b00017d","name":42,"students":"x"},"uri":"/v3.0/sections/5a25ffc265e950634b00017d"},
                  {"uri":"/v3.0/sections/5a25ffc265e950634b00017e","data":{"id":"5a25ffc265e950634b00017e","subject":"","grade":13}}
                 ],
                 "links":[{"rel":"self","uri":"/v3.0/sections?limit=3"},
                          {"rel":"next","uri":"/v3.0/sections?limit=3&starting_after=5a25ffc265e950634b00017e"}]}
                """), CleverJson::section);

        assertThat(page.items()).hasSize(3);
        assertThat(page.items().get(0).value().students()).containsExactly("a1", "a2");
        assertThat(page.items().get(1).malformed()).isTrue();
        assertThat(page.items().get(1).id()).isEqualTo("5a25ffc265e950634b00017d");
        assertThat(page.items().get(1).error()).contains("name");
        CleverSection third = page.items().get(2).value();
        assertThat(third.subject()).isNull();
        assertThat(third.grade()).isEqualTo("13");
        assertThat(third.students()).isEmpty();
        assertThat(CleverJson.startingAfter("http://127.0.0.1:1", page.nextUri())).isEqualTo("5a25ffc265e950634b00017e");
    }

    @Test
    void aPageIsCheckedWholeFirstAndItsRecordsMappedOnlyAsTheyAreTaken() {
        PageBuffer buffer = new PageBuffer();
        buffer.fill(body("""
                {"links":[{"rel":"next","uri":"/v3.0/schools?starting_after=a3"}],
                 "data":[{"data":{"id":"a1","name":"x"}},{"data":{"id":"a2","name":7}},{"data":{"id":"a3","name":"z"}}]}"""));
        java.util.concurrent.atomic.AtomicInteger mapped = new java.util.concurrent.atomic.AtomicInteger();
        LazyPage<CleverSchool> page = CleverJson.scanPage(buffer, node -> {
            mapped.incrementAndGet();
            return CleverJson.school(node);
        }, true);

        assertThat(page.size()).isEqualTo(3);
        assertThat(page.nextUri()).isEqualTo("/v3.0/schools?starting_after=a3");
        assertThat(mapped).hasValue(0);
        assertThat(page.next().value().name()).isEqualTo("x");
        assertThat(mapped).hasValue(1);
        Item<CleverSchool> second = page.next();
        assertThat(second.malformed()).isTrue();
        assertThat(second.id()).isEqualTo("a2");
        assertThat(page.next().id()).isEqualTo("a3");
        assertThat(page.hasNext()).isFalse();
        assertThat(page.next()).isNull();
        assertThat(mapped).hasValue(3);

        String truncated = "{\"data\":[{\"data\":{\"id\":\"a1\",\"name\":\"x\"}},{\"data\":{\"id\":\"a2\"";
        buffer.fill(body(truncated));
        mapped.set(0);
        assertThatThrownBy(() -> CleverJson.scanPage(buffer, node -> {
            mapped.incrementAndGet();
            return CleverJson.school(node);
        }, true)).isInstanceOf(CleverJson.InvalidBodyException.class);
        assertThat(mapped).as("no record of a truncated page is handed out").hasValue(0);
    }

    @Test
    void aPageBufferGrowsToTheLargestBodyAndIsRefilledInPlace() {
        StringBuilder big = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 5000; i++) {
            big.append(i == 0 ? "" : ",").append("{\"data\":{\"id\":\"s").append(i).append("\",\"name\":\"School ").append(i).append("\"}}");
        }
        big.append("],\"links\":[]}");
        PageBuffer buffer = new PageBuffer();
        buffer.fill(body(big.toString()));
        assertThat(buffer.length()).isEqualTo(big.length()).isGreaterThan(64 * 1024);
        int capacity = buffer.capacity();
        LazyPage<CleverSchool> page = CleverJson.scanPage(buffer, CleverJson::school, true);
        assertThat(page.size()).isEqualTo(5000);
        String last = null;
        for (Item<CleverSchool> item = page.next(); item != null; item = page.next()) {
            last = item.value().name();
        }
        assertThat(last).isEqualTo("School 4999");

        buffer.fill(body("{\"data\":[{\"data\":{\"id\":\"a1\",\"name\":\"x\"}}]}"));
        assertThat(buffer.capacity()).isEqualTo(capacity);
        LazyPage<CleverSchool> small = CleverJson.scanPage(buffer, CleverJson::school, true);
        assertThat(small.size()).isEqualTo(1);
        assertThat(small.next().value().name()).isEqualTo("x");
        assertThat(small.next()).isNull();
    }

    @Test
    void aTruncatedPageIsInvalidNotShort() {
        String full = """
                {"data":[{"data":{"id":"a1","name":"x"},"uri":"/v3.0/schools/a1"},{"data":{"id":"a2","name":"y"},"uri":"/v3.0/schools/a2"}],"links":[]}""";
        for (int cut : List.of(1, 20, full.indexOf("},{") + 2, full.length() - 1)) {
            assertThatThrownBy(() -> CleverJson.readPage(body(full.substring(0, cut)), CleverJson::school))
                    .as("cut at %d", cut).isInstanceOf(CleverJson.InvalidBodyException.class);
        }
    }

    @Test
    void aRecordWithoutItsOwnIdIsMalformedNamedByItsUriWhereItHasOne() {
        var page = CleverJson.readPage(body("""
                {"data":[{"data":{"name":"x"},"uri":"/v3.0/schools/a1"},{"data":{"id":"","name":"y"}},{"data":{"id":"a3","name":"z"}}],
                 "links":[]}"""), CleverJson::school);
        assertThat(page.items().get(0).malformed()).isTrue();
        assertThat(page.items().get(0).id()).isEqualTo("a1");
        assertThat(page.items().get(0).error()).isEqualTo("the record has no id");
        assertThat(page.items().get(1).malformed()).isTrue();
        assertThat(page.items().get(1).id()).isNull();
        assertThat(page.items().get(2).value().id()).isEqualTo("a3");
    }

    @Test
    void usersAreReadLeniently() {
        var page = CleverJson.readPage(body("""
                {"data":[{"data":{"id":"u1","email":"","name":{"last":"Aaron Berge"},
                   "roles":{"contact":{"phone":"555","phone_type":"","student_relationships":[
                      {"student":"s1","relationship":"Grandparent","type":"Emergency"},{"student":"s2","relationship":"","type":"Legal Guardian"}]}}}},
                  {"data":{"id":"u2","name":{"first":"Ann","middle":null,"last":"Lee"},
                   "roles":{"student":{"grade":"13","dob":"2/11/2007","gender":"","schools":["sc1"],"email":"ignored"},
                            "teacher":null,"staff":{}}}},
                  {"data":{"id":"u3","name":{"first":"Bo","last":"Ray"},"roles":{"student":{"grade":"Kindergarten","dob":"31/31/2007"}}}},
                  {"data":{"id":"u4","name":"Bo Ray","roles":{}}}
                ],"links":[{"rel":"self","uri":"/v3.0/users"}]}
                """), CleverJson::user);
        assertThat(page.nextUri()).isNull();
        CleverUser contact = page.items().get(0).value();
        assertThat(contact.email()).isNull();
        assertThat(contact.name()).isEqualTo(new CleverName(null, null, "Aaron Berge"));
        assertThat(contact.contact().phoneType()).isNull();
        assertThat(contact.contact().studentRelationships()).containsExactly(
                new CleverUser.StudentRelationship("s1", "Grandparent", "Emergency"),
                new CleverUser.StudentRelationship("s2", null, "Legal Guardian"));
        CleverUser student = page.items().get(1).value();
        assertThat(student.student().grade()).isEqualTo("13");
        assertThat(student.student().dob()).isEqualTo(LocalDate.of(2007, 2, 11));
        assertThat(student.student().gender()).isNull();
        assertThat(student.teacher()).isNull();
        assertThat(student.staff()).isTrue();
        assertThat(page.items().get(2).value().student().dob()).isNull();
        assertThat(page.items().get(3).malformed()).isTrue();
        assertThat(page.items().get(3).error()).contains("name");
    }

    @Test
    void aNumberWhereANameBelongsFailsTheRecordButANumericGradeIsKept() {
        var page = CleverJson.readPage(body("""
                {"data":[{"data":{"id":"s1","name":42,"low_grade":"","high_grade":"13"}},
                         {"data":{"id":"s2","name":"North","low_grade":"Kindergarten","high_grade":8,"sis_id":1001}}]}"""),
                CleverJson::school);
        assertThat(page.items().get(0).malformed()).isTrue();
        assertThat(page.items().get(0).error()).contains("'name' is a number (42)");
        assertThat(page.items().get(1).value())
                .isEqualTo(new CleverSchool("s2", null, "North", "1001", null, "Kindergarten", "8"));
    }

    @Test
    void termDatesAndEvents() {
        CleverTerm term = CleverJson.readSingle(body("""
                {"data":{"id":"t1","name":"Fall","start_date":"2025-08-20","end_date":"2025-12-19T00:00:00.000Z"},"links":[]}"""),
                CleverJson::term).value();
        assertThat(term.startDate()).isEqualTo(LocalDate.of(2025, 8, 20));
        assertThat(term.endDate()).isEqualTo(LocalDate.of(2025, 12, 19));

        CleverEvent event = CleverJson.readSingle(body("""
                {"data":{"id":"e1","type":"users.updated","created":"2021-03-02T22:24:53.347Z",
                  "data":{"object":{"id":"u1","name":{"last":"New"}},"previous_attributes":{"name":{"last":"Old"}}}}}"""),
                CleverJson::event).value();
        assertThat(event.recordType()).isEqualTo("users");
        assertThat(event.user().name().last()).isEqualTo("New");
        assertThat(event.previousAttributes()).containsExactly("name");
        assertThat(event.created()).isNotNull();
    }

    @Test
    void errorSnippetsAreShortSingleLineAndSecretFree() {
        com.cleversync.system.Secrets.register("sekret-token-123");
        assertThat(CleverHttp.snippet(body("<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>")))
                .isEqualTo("502 Bad Gateway nginx");
        assertThat(CleverHttp.snippet(body("{\"message\":\"bad token sekret-token-123\"}"))).isEqualTo("bad token [redacted]");
        assertThat(CleverHttp.snippet(body(""))).isEmpty();
        assertThat(CleverHttp.snippet(body("x".repeat(5000)))).hasSize(163);
    }
}
