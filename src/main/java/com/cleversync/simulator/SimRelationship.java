package com.cleversync.simulator;

/**
 * One entry of a contact's {@code student_relationships}: relationship e.g. Parent, Grandparent, "";
 * type e.g. Parent/Guardian, Emergency, "".
 */
public record SimRelationship(String studentId, String relationship, String type) {
}
