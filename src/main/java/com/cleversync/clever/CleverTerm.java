package com.cleversync.clever;

import java.time.LocalDate;

/** Term dates are {@code YYYY-MM-DD} on the wire; a malformed date is read as null. */
public record CleverTerm(String id, String district, String name, LocalDate startDate, LocalDate endDate) {
}
