package com.cleversync.simulator;

/** A school of the simulated district; grades are Clever grade strings ("Kindergarten", "1".."13", ""). */
public record SimSchool(String id, String name, String sisId, String schoolNumber, String lowGrade, String highGrade) {
}
