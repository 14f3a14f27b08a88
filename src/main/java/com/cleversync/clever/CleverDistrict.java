package com.cleversync.clever;

/** {@code GET /districts}: the one district a district token sees. {@code state} e.g. running, paused, "". */
public record CleverDistrict(String id, String name, String state) {
}
