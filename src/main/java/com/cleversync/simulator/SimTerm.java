package com.cleversync.simulator;

import java.time.LocalDate;

/** A term of one school; Clever serves the dates as {@code YYYY-MM-DD}. */
public record SimTerm(String id, String name, LocalDate startDate, LocalDate endDate) {
}
