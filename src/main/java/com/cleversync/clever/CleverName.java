package com.cleversync.clever;

/** A person's name. Contacts often carry the whole name in {@code last} only. */
public record CleverName(String first, String middle, String last) {
}
