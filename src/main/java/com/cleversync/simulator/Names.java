package com.cleversync.simulator;

import java.text.Normalizer;
import java.util.Locale;
import java.util.SplittableRandom;

/** Name pools for the generated district, with the unicode and apostrophes real rosters have. */
final class Names {

    static final String[] CHILD_FIRST = {"Liam", "Olivia", "Noah", "Emma", "Oliver", "Ava", "Elijah", "Sophia",
            "James", "Isabella", "Lucas", "Mia", "Mateo", "Amelia", "Ethan", "Harper", "Aiden", "Evelyn", "José",
            "Zoë", "Chloé", "Renée", "Siobhán", "Björn", "Aaliyah", "Kai", "Priya", "Mohammed", "Ana", "Sofía",
            "Jayden", "Maya", "Wyatt", "Nora", "Leo", "Lily", "Hiroshi", "Ngozi", "Dmitri", "Zoey"};
    static final String[] ADULT_FIRST = {"María", "John", "Jennifer", "Michael", "Linda", "David", "Patricia",
            "Robert", "Elizabeth", "William", "Susan", "Wei", "Fatima", "Carlos", "Anh", "Sean", "Grace", "Ahmed",
            "Keisha", "Thomas", "Nancy", "Daniel", "Karen", "Luis", "Rosa", "Paul", "Helen", "Zoë"};
    static final String[] LAST = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
            "Rodriguez", "Martinez", "Hernández", "López", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
            "Moore", "Jackson", "Martin", "Lee", "Pérez", "Thompson", "White", "Harris", "Sánchez", "Clark",
            "Ramírez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
            "Hill", "Flores", "O'Brien", "D'Angelo", "O'Connor", "Müller", "Kowalski", "Okafor", "Petrov", "Tanaka",
            "李", "王", "Zhang", "Patel", "Kim", "Rossi", "Novák", "Öztürk"};
    static final String[] DISTRICTS = {"Lincoln Unified School District", "Riverside County Schools",
            "Maple Valley School District", "Cedar Falls Community Schools", "Harbor Bay Unified"};
    static final String[] SCHOOL_NAMES = {"Lincoln", "Washington", "Jefferson", "Roosevelt", "Franklin", "Kennedy",
            "Madison", "Adams", "Jackson", "Hamilton", "Eastside", "Westview", "Northgate", "Southridge", "Lakeside",
            "Hillcrest", "Oak Grove", "Pine Ridge", "Sunnyvale", "Riverbend", "César Chávez", "Sojourner Truth",
            "O'Keeffe", "Marie Curie"};

    private Names() {
    }

    static String pick(SplittableRandom rng, String[] pool) {
        return pool[rng.nextInt(pool.length)];
    }

    /** Lower-case ASCII letters of a name for e-mail addresses ("José O'Brien" gives "jose", "obrien"). */
    static String ascii(String name) {
        return ASCII.computeIfAbsent(name, Names::toAscii);
    }

    private static final java.util.Map<String, String> ASCII = new java.util.concurrent.ConcurrentHashMap<>();

    private static String toAscii(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c >= 'a' && c <= 'z') {
                out.append(c);
            }
        }
        return out.isEmpty() ? "x" : out.toString();
    }
}
