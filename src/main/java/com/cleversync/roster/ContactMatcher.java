package com.cleversync.roster;

import java.util.List;

/**
 * Decides which contact a Clever user is: the de-duplication rules, in order.
 * <ol>
 * <li>A Clever user id already linked to a contact of the account is that contact.</li>
 * <li>A parent whose dedupe key (normalised email, else normalised full name + phone) is already a contact
 *     created by an import is that contact: Clever never merges contact users, we do.</li>
 * <li>A contact of the same kind whose external_id is one of the user's school ids (sis_id, student_number,
 *     teacher_number): one candidate is a match, more than one is ambiguous.</li>
 * <li>A CSV-imported (MANUAL) contact of the same kind with the same normalised email: one is a match, more
 *     is ambiguous.</li>
 * <li>Otherwise, or when ambiguous, a new contact (ambiguous cases are reported, never guessed).</li>
 * </ol>
 * Pure logic: the caller looks the candidates up in bulk for a whole chunk.
 */
public final class ContactMatcher {

    public enum Outcome { LINKED, MERGED, MATCHED_EXTERNAL_ID, MATCHED_EMAIL, AMBIGUOUS, NEW }

    /** The decision; {@code contactId} is null for NEW and AMBIGUOUS, {@code candidates} lists an ambiguity. */
    public record Match(Outcome outcome, Long contactId, List<Long> candidates) {
        static Match of(Outcome outcome, Long id) {
            return new Match(outcome, id, List.of());
        }
    }

    /** What the database holds that could be this person. Lists hold distinct contact ids. */
    public record Candidates(Long linkedContactId, Long dedupeContactId, List<Long> byExternalId, List<Long> byEmail) {
        public static Candidates none() {
            return new Candidates(null, null, List.of(), List.of());
        }
    }

    public Match match(Person person, Candidates candidates) {
        if (candidates.linkedContactId() != null) {
            return Match.of(Outcome.LINKED, candidates.linkedContactId());
        }
        if (person.dedupeKey() != null && candidates.dedupeContactId() != null) {
            return Match.of(Outcome.MERGED, candidates.dedupeContactId());
        }
        if (candidates.byExternalId().size() == 1) {
            return Match.of(Outcome.MATCHED_EXTERNAL_ID, candidates.byExternalId().getFirst());
        }
        if (candidates.byExternalId().size() > 1) {
            return new Match(Outcome.AMBIGUOUS, null, List.copyOf(candidates.byExternalId()));
        }
        if (candidates.byEmail().size() == 1) {
            return Match.of(Outcome.MATCHED_EMAIL, candidates.byEmail().getFirst());
        }
        if (candidates.byEmail().size() > 1) {
            return new Match(Outcome.AMBIGUOUS, null, List.copyOf(candidates.byEmail()));
        }
        return Match.of(Outcome.NEW, null);
    }
}
