package com.cleversync.importing;

/** What an admin picks: a booking event, a Clever school and a Clever term. */
public record ImportRequest(long eventId, String cleverSchoolId, String cleverTermId) {
}
