package com.cleversync.roster;

import com.cleversync.clever.CleverName;
import com.cleversync.clever.CleverUser;
import com.cleversync.roster.ContactMatcher.Candidates;
import com.cleversync.roster.ContactMatcher.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The de-duplication rules, one by one, without a database. */
class ContactMatcherTest {

    private final ContactMatcher matcher = new ContactMatcher();

    private static CleverUser parentUser(String id, String email, String fullName, String phone, String... students) {
        List<CleverUser.StudentRelationship> rels = java.util.Arrays.stream(students)
                .map(s -> new CleverUser.StudentRelationship(s, "Parent", "Parent/Guardian")).toList();
        return new CleverUser(id, "d", email, new CleverName(null, null, fullName), null, null,
                new CleverUser.Contact(null, phone, "Cell", rels), false, false);
    }

    private static Person parent(String id, String email, String fullName, String phone) {
        return PersonMapper.parent(parentUser(id, email, fullName, phone, "s1"), Set.of("s1"), Set.of("Emergency"));
    }

    @Test
    void aLinkedCleverIdWinsOverEverythingElse() {
        Person p = parent("u1", "a@x.org", "Ann Lee", null);
        var m = matcher.match(p, new Candidates(7L, 8L, List.of(9L), List.of(10L)));
        assertThat(m.outcome()).isEqualTo(Outcome.LINKED);
        assertThat(m.contactId()).isEqualTo(7L);
    }

    @Test
    void parentsWithTheSameEmailInAnyCaseAreOnePerson() {
        Person a = parent("u1", " Ann.Lee@School.org ", "Ann Lee", null);
        Person b = parent("u2", "ann.lee@school.org", "Ann B. Lee", "555-1234");
        assertThat(a.dedupeKey()).isEqualTo(b.dedupeKey()).isEqualTo("email:ann.lee@school.org");
        var m = matcher.match(b, new Candidates(null, 42L, List.of(), List.of()));
        assertThat(m.outcome()).isEqualTo(Outcome.MERGED);
        assertThat(m.contactId()).isEqualTo(42L);
    }

    @Test
    void parentsWithoutEmailAreOneWhenNameAndPhoneAgree() {
        Person a = parent("u1", null, "José  O'Brien", "(555) 010-2030");
        Person b = parent("u2", "", "josé o'brien", "+1 555 010 2030");
        Person c = parent("u3", null, "José O'Brien", "555 999 0000");
        assertThat(a.dedupeKey()).isEqualTo(b.dedupeKey());
        assertThat(c.dedupeKey()).isNotEqualTo(a.dedupeKey());
        assertThat(parent("u4", null, "No Phone", null).dedupeKey()).as("a name alone is not enough").isNull();
    }

    @Test
    void teachersAndStudentsAreNeverFoldedByEmail() {
        CleverUser t = new CleverUser("t1", "d", "shared@x.org", new CleverName("Tom", null, "Ray"), null,
                new CleverUser.Teacher("T-9", "9", null, null, "sch", List.of("sch")), null, false, false);
        assertThat(PersonMapper.teacher(t).dedupeKey()).isNull();
    }

    @Test
    void oneCsvContactWithTheSchoolsIdIsAMatchTwoAreAmbiguous() {
        Person p = parent("u1", "a@x.org", "Ann Lee", null);
        assertThat(matcher.match(p, new Candidates(null, null, List.of(5L), List.of(6L))).outcome())
                .isEqualTo(Outcome.MATCHED_EXTERNAL_ID);
        var ambiguous = matcher.match(p, new Candidates(null, null, List.of(5L, 6L), List.of(7L)));
        assertThat(ambiguous.outcome()).isEqualTo(Outcome.AMBIGUOUS);
        assertThat(ambiguous.contactId()).isNull();
        assertThat(ambiguous.candidates()).containsExactly(5L, 6L);
    }

    @Test
    void emailMatchesOnlyWhenNoSchoolIdMatched() {
        Person p = parent("u1", "a@x.org", "Ann Lee", null);
        assertThat(matcher.match(p, new Candidates(null, null, List.of(), List.of(6L))).outcome()).isEqualTo(Outcome.MATCHED_EMAIL);
        assertThat(matcher.match(p, new Candidates(null, null, List.of(), List.of(6L, 7L))).outcome()).isEqualTo(Outcome.AMBIGUOUS);
        assertThat(matcher.match(p, Candidates.none()).outcome()).isEqualTo(Outcome.NEW);
    }

    @Test
    void emergencyContactsAndOtherSchoolsStudentsAreNotParents() {
        CleverUser u = new CleverUser("c1", "d", "e@x.org", new CleverName(null, null, "Pat Doe"), null, null,
                new CleverUser.Contact(null, null, "", List.of(
                        new CleverUser.StudentRelationship("s1", "Aunt/Uncle", "Emergency"),
                        new CleverUser.StudentRelationship("s2", "Parent", "Parent/Guardian"))), false, false);
        assertThat(PersonMapper.parent(u, Set.of("s1"), Set.of("Emergency"))).isNull();
        Person p = PersonMapper.parent(u, Set.of("s1", "s2"), Set.of("emergency"));
        assertThat(p.parentOf()).extracting(Person.ParentOf::studentCleverId).containsExactly("s2");
    }

    @Test
    void contactNamesLivingOnlyInLastAreSplitOnTheLastWord() {
        Person p = parent("c1", null, "Mary Ann  Smith", "1");
        assertThat(p.firstName()).isEqualTo("Mary Ann");
        assertThat(p.lastName()).isEqualTo("Smith");
        assertThat(parent("c2", null, "Cher", "1").lastName()).isEqualTo("Cher");
    }

    @Test
    void aStudentWithoutANameIsRejectedWithItsId() {
        CleverUser u = new CleverUser("s9", "d", null, new CleverName("", null, " "),
                new CleverUser.Student("S-9", "9", null, "sch", List.of("sch"), "3", null, ""), null, null, false, false);
        assertThatThrownBy(() -> PersonMapper.student(u)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("s9").hasMessageContaining("without a name");
    }

    @Test
    void studentsMatchOnSisIdOrStudentNumberAndKeepTheSisId() {
        CleverUser u = new CleverUser("s1", "d", null, new CleverName("Zoë", null, "Li"),
                new CleverUser.Student("SIS-1", "1001", null, "sch", List.of("sch"), "13", null, ""), null, null, false, false);
        Person p = PersonMapper.student(u);
        assertThat(p.externalId()).isEqualTo("SIS-1");
        assertThat(p.matchIds()).containsExactly("SIS-1", "1001");
        assertThat(p.grade()).isEqualTo("13");
        assertThat(p.kind().accessLevel()).isEqualTo("CUSTOMER");
    }
}
