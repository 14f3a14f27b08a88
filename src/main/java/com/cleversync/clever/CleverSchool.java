package com.cleversync.clever;

public record CleverSchool(String id, String district, String name, String sisId, String schoolNumber,
                           String lowGrade, String highGrade) {
}
