package com.cleversync.security;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static check: SQL only with bound parameters. Scans every main source file for string literals and text blocks
 * holding SQL (upper-case SELECT, INSERT, UPDATE, DELETE, FROM, WHERE, JOIN) and collects every operand that is
 * concatenated to them with {@code +} or passed to {@code .formatted(...)}. String literals and UPPER_CASE
 * constants are fine; every other operand must be on the reviewed list below, with the reason it can never carry
 * a value from outside (a table name from a constant array, a fixed fragment). A new concatenation fails this test
 * until it is rewritten with {@code ?} or reviewed and added. A fragment that opens a quoted value ({@code '"+x})
 * is always refused, reviewed or not.
 */
class SqlBindingCheckTest {

    /** file name : operand → why it is not a value. */
    private static final Map<String, String> REVIEWED = Map.ofEntries(
            Map.entry("ImportJobConfig.java:table", "loop over a literal array of staging table names"),
            Map.entry("AffectedImports.java:table", "loop over the literal list class_student / class_teacher"),
            Map.entry("ClassesTasklet.java:table", "class_teacher / class_student, passed as literals by the caller"),
            Map.entry("ChangeScope.java:table", "class_teacher / class_student literal, chosen by the role"),
            Map.entry("StagedEnrollments.java:table", "class_teacher / class_student, passed as literals by the callers"),
            Map.entry("ReconcileTasklet.java:table", "loop over a literal array of staging table names; class_student / "
                    + "class_teacher, literals at goneLinkRows' call sites"),
            Map.entry("SyncSettings.java:(forUpdate ? \" FOR UPDATE\" : \"\")", "one of two literals"),
            Map.entry("BulkLoad.java:table", "table names passed as literals (or ClassesTasklet's reviewed class_student / "
                    + "class_teacher) by every caller; column lists are constants of the callers"),
            Map.entry("BulkLoad.java:onDuplicate.loadKeyword", "IGNORE / REPLACE / empty: a literal of the OnDuplicate enum"),
            Map.entry("ContactWriter.java:String.join(\", \", CONTACT_COLUMNS)", "a constant list of column names"));

    private static final Pattern SQL = Pattern.compile(
            "\\b(SELECT|INSERT INTO|INSERT IGNORE INTO|REPLACE INTO|UPDATE|DELETE|FROM|WHERE|JOIN|LOAD DATA|INTO TABLE)\\b");
    private static final Pattern CONSTANT = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern QUOTED_VALUE = Pattern.compile("'\\s*$");

    @Test
    void sqlIsBuiltOnlyFromLiteralsConstantsAndReviewedStructuralParts() throws IOException {
        Map<String, List<String>> found = new TreeMap<>();
        List<String> quoted = new ArrayList<>();
        int sqlLiterals = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(file);
                String name = file.getFileName().toString();
                for (Literal lit : literals(src)) {
                    if (!SQL.matcher(lit.text).find()) {
                        continue;
                    }
                    sqlLiterals++;
                    for (String operand : operands(src, lit)) {
                        if (!CONSTANT.matcher(operand).matches() && !operand.startsWith("\"")) {
                            found.computeIfAbsent(name + ":" + operand, k -> new ArrayList<>()).add(file.toString());
                        }
                    }
                    // A literal ending in an opening quote (an odd number of them) would splice a value into a string.
                    if (QUOTED_VALUE.matcher(lit.text).find() && lit.text.chars().filter(c -> c == '\'').count() % 2 == 1
                            && nextIsPlus(src, lit.end)) {
                        quoted.add(file + ": ..." + tail(lit.text));
                    }
                }
            }
        }
        System.out.println("SQL literals checked: " + sqlLiterals + "; concatenated operands: " + found.keySet());
        assertThat(sqlLiterals).as("the scan found the SQL").isGreaterThan(50);
        assertThat(quoted).as("SQL that splices a value between quotes").isEmpty();
        assertThat(new TreeSet<>(found.keySet())).as("operands concatenated into SQL that nobody reviewed (use ? instead)")
                .isSubsetOf(REVIEWED.keySet());
    }

    private record Literal(int start, int end, String text) {
    }

    /** String literals and text blocks, with their source positions (comments and char literals skipped). */
    static List<Literal> literals(String s) {
        List<Literal> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                i = s.indexOf('\n', i);
                if (i < 0) {
                    break;
                }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                i = s.indexOf("*/", i + 2) + 2;
            } else if (c == '\'') {
                i = s.charAt(i + 1) == '\\' ? s.indexOf('\'', i + 3) + 1 : i + 3;
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                out.add(new Literal(i, end + 3, s.substring(i + 3, end)));
                i = end + 3;
            } else if (c == '"') {
                int j = i + 1;
                while (s.charAt(j) != '"') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                out.add(new Literal(i, j + 1, s.substring(i + 1, j)));
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    /** Operands joined to the literal with + (before and after) and the arguments of a following .formatted(...). */
    static List<String> operands(String s, Literal lit) {
        List<String> ops = new ArrayList<>();
        int after = skipSpace(s, lit.end);
        if (after < s.length() && s.charAt(after) == '+') {
            ops.add(expression(s, skipSpace(s, after + 1)));
        }
        int before = lit.start - 1;
        while (before >= 0 && Character.isWhitespace(s.charAt(before))) {
            before--;
        }
        if (before >= 0 && s.charAt(before) == '+') {
            ops.add(expressionBackwards(s, before - 1));
        }
        if (s.startsWith(".formatted(", after)) {
            int open = after + ".formatted".length();
            String args = s.substring(open + 1, matching(s, open));
            for (String a : splitTopLevel(args)) {
                ops.add(a.strip());
            }
        }
        return ops;
    }

    private static boolean nextIsPlus(String s, int end) {
        int at = skipSpace(s, end);
        return at < s.length() && s.charAt(at) == '+';
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** One operand: up to the next top-level +, comma, closing bracket or semicolon. */
    private static String expression(String s, int i) {
        if (s.charAt(i) == '"') {
            return "\"";
        }
        int depth = 0;
        int j = i;
        for (; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '"') {
                j = s.startsWith("\"\"\"", j) ? s.indexOf("\"\"\"", j + 3) + 2 : closingQuote(s, j);
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && (c == '+' || c == ',' || c == ';')) {
                break;
            }
        }
        return s.substring(i, j).strip();
    }

    private static String expressionBackwards(String s, int i) {
        while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
            i--;
        }
        if (s.charAt(i) == '"') {
            return "\"";
        }
        int depth = 0;
        int j = i;
        for (; j >= 0; j--) {
            char c = s.charAt(j);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (depth == 0 && (c == '+' || c == ',' || c == ';' || c == '=' || c == '{')) {
                break;
            }
        }
        return s.substring(j + 1, i + 1).strip();
    }

    private static int closingQuote(String s, int open) {
        int j = open + 1;
        while (s.charAt(j) != '"') {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return j;
    }

    private static int matching(String s, int open) {
        int depth = 0;
        for (int j = open; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '"') {
                j = closingQuote(s, j);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return j;
            }
        }
        throw new IllegalStateException("unbalanced parentheses");
    }

    private static List<String> splitTopLevel(String args) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int j = 0; j < args.length(); j++) {
            char c = args.charAt(j);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(args.substring(from, j));
                from = j + 1;
            }
        }
        parts.add(args.substring(from));
        return parts;
    }

    private static String tail(String text) {
        return text.length() > 60 ? text.substring(text.length() - 60) : text;
    }
}
