package com.cleversync.reliability;

import com.cleversync.system.AppContext;
import com.cleversync.system.Cli;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command of the jar against bad input: unknown, malformed, negative and huge ids, SQL and shell
 * metacharacters, missing and unknown parameters. Each case must exit 2 with one line on stderr naming the
 * command, print nothing else, and leave every table of the database exactly as it was (CHECKSUM TABLE of all
 * tables, Spring Batch's included) and no file created by a shell metacharacter.
 *
 * <p>Two parts: a hand-written table of semantic cases per command (a command registered without rows here
 * fails the test), and cases generated from each command's picocli model: every numeric option gets
 * non-numbers, overflowing numbers and injection strings, every required option is left out once, and every
 * command gets an unknown option and a stray argument.
 */
class BadInputMatrixTest extends SimulatedDistrictTest {

    private static final String UNKNOWN = "987654321";
    private static final String HUGE = Long.toString(Long.MAX_VALUE);
    private static final String OVERFLOW = "99999999999999999999";
    private static final Path PWNED = Path.of(System.getProperty("java.io.tmpdir"), "cs-pwned-" + UUID.randomUUID());
    private static final String SQL = "1' OR '1'='1'; DROP TABLE contact; --";
    private static final String SHELL = "$(touch " + PWNED + ")";
    private static final String BACKTICKS = "`touch " + PWNED + "`";
    private static final String UNKNOWN_ACCOUNT = "(unknown account|no account with id|account id must be a positive number)";
    private static final String UNKNOWN_EVENT = "(unknown event|no event with id|event id must be a positive number)";
    private static final String UNKNOWN_EXECUTION = "(unknown|no (job )?execution|not found)";
    private static final String A_CLEVER_ID_NOT_IN_THE_DISTRICT = "0123456789abcdef01234567";

    @Autowired
    ApplicationContext context;

    record Case(String name, List<String> args, String expect) {
    }

    @TestFactory
    Stream<DynamicTest> everyCommandRejectsBadInputAndWritesNothing() {
        Fixture f = fixture();
        String acc = Long.toString(f.accountId());
        String ev = Long.toString(f.eventId());
        String school = f.schoolId();
        String term = f.termId();

        Map<String, List<String>> base = new LinkedHashMap<>();
        base.put("create-account", List.of("--name", "New district", "--time-zone", "UTC"));
        base.put("create-event", List.of("--account", acc, "--name", "Another event"));
        base.put("connect", List.of("--account", acc, "--token", "some-token"));
        base.put("import", List.of("--event", ev, "--school", school, "--term", term));
        base.put("terms", List.of("--account", acc, "--school", school));
        base.put("stop-sync", List.of("--event", ev));
        base.put("enable-sync", List.of("--event", ev));
        base.put("delete-contacts", List.of("--account", acc, "--level", "HOST", "--dry-run"));

        List<Case> cases = new ArrayList<>();
        // ---- hand-written semantic cases ----
        add(cases, "unknown time zone", "unknown time zone", "create-account", "--name", "Tz", "--time-zone", "Mars/Olympus_Mons");
        add(cases, "time zone with shell", "unknown time zone", "create-account", "--name", SQL, "--time-zone", SHELL);
        add(cases, "blank name", "must not be empty", "create-account", "--name", "   ", "--time-zone", "UTC");
        add(cases, "oversized name", "longer than 255", "create-account", "--name", "x".repeat(10_000), "--time-zone", "UTC");
        add(cases, "duplicate name", "exists already", "create-account", "--name", ACCOUNT, "--time-zone", "UTC");

        for (String id : List.of(UNKNOWN, "-1", "0", HUGE)) {
            add(cases, "account " + id, UNKNOWN_ACCOUNT, "create-event", "--account", id, "--name", SQL);
            add(cases, "account " + id, UNKNOWN_ACCOUNT, "connect", "--account", id, "--token", "some-token");
            add(cases, "account " + id, UNKNOWN_ACCOUNT, "terms", "--account", id, "--school", school);
            add(cases, "account " + id, UNKNOWN_ACCOUNT, "sync-status", "--account", id);
            add(cases, "account " + id, UNKNOWN_ACCOUNT, "fees", "--account", id);
            add(cases, "account " + id, UNKNOWN_ACCOUNT, "delete-contacts", "--account", id, "--level", "HOST", "--dry-run");
            add(cases, "account " + id, UNKNOWN_ACCOUNT, "stop-sync", "--account", id, "--all");
            add(cases, "event " + id, UNKNOWN_EVENT, "import", "--event", id, "--school", school, "--term", term);
            add(cases, "event " + id, UNKNOWN_EVENT, "stop-sync", "--event", id);
            add(cases, "event " + id, UNKNOWN_EVENT, "enable-sync", "--event", id);
        }
        add(cases, "blank event name", "must not be empty", "create-event", "--account", acc, "--name", " ");
        add(cases, "token rejected by Clever", "rejected the token", "connect", "--account", acc, "--token", SHELL);
        add(cases, "blank token", "must not be empty", "connect", "--account", acc, "--token", "  ");
        add(cases, "token variable not set", "is not set", "connect", "--account", acc, "--token-env", "CS_NO_SUCH_VARIABLE_" + 7);
        add(cases, "token and token-env", "mutually exclusive", "connect", "--account", acc, "--token", "t", "--token-env", "X");
        add(cases, "district with SQL", "district", "connect", "--account", acc, "--district", SQL);
        for (String bad : List.of(SQL, SHELL, BACKTICKS, "../../etc/passwd", "", "x".repeat(65), "a b", "%27%3B")) {
            add(cases, "school id " + abbreviate(bad), "school id", "import", "--event", ev, "--school", bad, "--term", term);
            add(cases, "term id " + abbreviate(bad), "term id", "import", "--event", ev, "--school", school, "--term", bad);
            add(cases, "school id " + abbreviate(bad), "school id", "terms", "--account", acc, "--school", bad);
        }
        add(cases, "school not in district", "not in the Clever district", "import", "--event", ev,
                "--school", A_CLEVER_ID_NOT_IN_THE_DISTRICT, "--term", term);
        add(cases, "term not in district", "not in the Clever district", "import", "--event", ev,
                "--school", school, "--term", A_CLEVER_ID_NOT_IN_THE_DISTRICT);
        add(cases, "school not in district", "not in the Clever district", "terms", "--account", acc,
                "--school", A_CLEVER_ID_NOT_IN_THE_DISTRICT);
        add(cases, "account without --all", "--all", "stop-sync", "--account", acc);
        add(cases, "neither event nor account", "--event", "stop-sync");
        add(cases, "level with SQL", "level", "delete-contacts", "--account", acc, "--level", SQL, "--dry-run");
        add(cases, "unknown level", "level", "delete-contacts", "--account", acc, "--level", "ROOT", "--dry-run");
        add(cases, "forged confirmation", "confirm", "delete-contacts", "--account", acc, "--level", "HOST", "--confirm", SQL);
        add(cases, "no dry run, no confirmation", "dry-run", "delete-contacts", "--account", acc, "--level", "HOST");
        add(cases, "no previous key", "Missing required argument", "rotate-token-key");
        add(cases, "previous key variable not set", "is empty", "rotate-token-key", "--previous-key-env", "CS_NO_SUCH_VARIABLE");
        add(cases, "previous key variable with SQL", "is empty", "rotate-token-key", "--previous-key-env", SQL);
        add(cases, "previous key file missing", "cannot read", "rotate-token-key", "--previous-key-file", "/nonexistent/" + UUID.randomUUID());
        add(cases, "previous key file with shell", "cannot read", "rotate-token-key", "--previous-key-file", SHELL);
        add(cases, "previous key is a directory", "cannot read", "rotate-token-key", "--previous-key-file", "/");
        add(cases, "both key sources", "mutually exclusive", "rotate-token-key", "--previous-key-env", "A", "--previous-key-file", "/");
        for (String n : List.of("0", "-1", "65", OVERFLOW.substring(0, 9))) {
            add(cases, "concurrency " + n, "--concurrency must be 1..64", "nightly", "--concurrency", n);
        }
        for (String command : List.of("status", "restart", "stop")) {
            add(cases, "unknown execution", UNKNOWN_EXECUTION, command, UNKNOWN);
            add(cases, "huge execution", UNKNOWN_EXECUTION, command, HUGE);
            add(cases, "negative execution", "positive number", command, "-1");
            add(cases, "execution 0", "positive number", command, "0");
        }
        add(cases, "id and --failed", "not both", "status", "1", "--failed");
        add(cases, "neither id nor --all-failed", "--all-failed", "restart");
        add(cases, "id and --all-failed", "--all-failed", "restart", "1", "--all-failed");
        add(cases, "no execution", "Missing required parameter", "stop");
        for (String n : List.of("-1", "0", "100001")) {
            add(cases, "students " + n, "students per school", "demo", "--students-per-school", n);
            add(cases, "students " + n, "students per school", "simulator", "--students-per-school", n);
        }
        add(cases, "worker takes no options", "Unknown option", "worker", "--threads", "2");
        add(cases, "worker takes no arguments", "Unmatched argument", "worker", SHELL);
        add(cases, "port -1", "port", "simulator", "--port", "-1");
        add(cases, "port 70000", "port", "simulator", "--port", "70000");
        add(cases, "no schools", "schools", "simulator", "--schools", "0", "--port", "0");
        add(cases, "rate limit 0", "rate limit", "simulator", "--rate-limit", "0", "--port", "0");
        add(cases, "blank token", "token", "simulator", "--token", " ", "--port", "0");

        // ---- generated from each command's picocli model ----
        CommandLine root = Cli.commandLine();
        Set<String> described = new TreeSet<>();
        cases.forEach(c -> described.add(c.args().getFirst()));
        for (var entry : root.getSubcommands().entrySet()) {
            String command = entry.getKey();
            List<String> baseArgs = base.getOrDefault(command, List.of());
            add(cases, "unknown option", "(Unknown option|Invalid value)", command, concat(baseArgs, "--no-such-option", SQL));
            add(cases, "stray argument", "(Unmatched argument|Invalid value)", command, concat(baseArgs, SHELL));
            for (var positional : entry.getValue().getCommandSpec().positionalParameters()) {
                if (isNumber(positional.type())) {
                    for (String value : List.of("abc", OVERFLOW, SQL, SHELL, "1.5")) {
                        add(cases, positional.paramLabel() + "=" + abbreviate(value), "Invalid value", command,
                                concat(baseArgs, value));
                    }
                }
            }
            for (OptionSpec option : entry.getValue().getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                Class<?> type = option.type();
                if (isNumber(type)) {
                    for (String value : List.of("abc", OVERFLOW, SQL, SHELL, "1.5", "")) {
                        add(cases, option.longestName() + "=" + abbreviate(value), "Invalid value", command,
                                withValue(baseArgs, option.longestName(), value));
                    }
                }
                if (option.required() && option.group() == null) {
                    add(cases, "missing " + option.longestName(), "Missing required option", command,
                            without(baseArgs, option.longestName()));
                }
            }
            if (!described.contains(command) && !Set.of("serve", "migrate").contains(command)) {
                cases.add(new Case("no hand-written cases", List.of(command), "__uncovered__"));
            }
        }

        String tablesBefore = tableChecksums(jdbcTemplate);
        Stream<DynamicTest> each = cases.stream().map(c -> DynamicTest.dynamicTest(c.args().getFirst() + ": " + c.name(), () -> {
            assertThat(c.expect()).as("command " + c.args().getFirst() + " has no hand-written bad-input cases in this test")
                    .isNotEqualTo("__uncovered__");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Cli.run(AppContext.of(context), new PrintWriter(out), new PrintWriter(err), c.args().toArray(String[]::new));
            String error = err.toString().strip();
            String shown = "args " + c.args().stream().map(BadInputMatrixTest::abbreviate).toList() + "\nstdout: " + out + "\nstderr: " + err;
            assertThat(exit).as(shown).isEqualTo(2);
            assertThat(error).as(shown).doesNotContain("\n").startsWith(c.args().getFirst() + ": ")
                    .containsPattern("(?i)" + c.expect()).doesNotContain("Exception", "\tat ");
            assertThat(out.toString()).as(shown).isEmpty();
            // Parser rejections never reach the command; the final check below covers them (CHECKSUM TABLE of every
            // table is slow on a loaded server, so it runs after each case that got past the parser).
            if (!PARSER_ERROR.matcher(error).find()) {
                assertThat(tableChecksums(jdbcTemplate)).as("nothing written: " + shown).isEqualTo(tablesBefore);
            }
            assertThat(Files.exists(PWNED)).as("a shell metacharacter was executed").isFalse();
        }));
        DynamicTest last = DynamicTest.dynamicTest("every table unchanged after all cases",
                () -> assertThat(tableChecksums(jdbcTemplate)).isEqualTo(tablesBefore));
        return Stream.concat(each, Stream.of(last));
    }

    private static final java.util.regex.Pattern PARSER_ERROR = java.util.regex.Pattern.compile(
            "^\\S+: (Invalid value|Unknown option|Missing required|Unmatched argument|Error: .* mutually exclusive)");

    private static void add(List<Case> cases, String name, String expect, String command, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(Arrays.asList(args));
        cases.add(new Case(name, all, expect));
    }

    private static void add(List<Case> cases, String name, String expect, String command, List<String> args) {
        add(cases, name, expect, command, args.toArray(String[]::new));
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all;
    }

    /** The base arguments with {@code option} set to {@code value} (replaced, or appended). */
    private static List<String> withValue(List<String> base, String option, String value) {
        List<String> all = new ArrayList<>(base);
        int at = all.indexOf(option);
        if (at >= 0) {
            all.set(at + 1, value);
        } else {
            all.add(option);
            all.add(value);
        }
        return all;
    }

    private static List<String> without(List<String> base, String option) {
        List<String> all = new ArrayList<>(base);
        int at = all.indexOf(option);
        if (at >= 0) {
            all.remove(at + 1);
            all.remove(at);
        }
        return all;
    }

    private static boolean isNumber(Class<?> type) {
        return type == int.class || type == long.class || type == Integer.class || type == Long.class
                || type == double.class || type == Double.class;
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    /** CHECKSUM TABLE of every table of the schema (booking, staging, Spring Batch, Flyway). */
    static String tableChecksums(JdbcTemplate jdbc) {
        List<String> tables = jdbc.queryForList("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'
                ORDER BY table_name""", String.class);
        Set<String> sums = new LinkedHashSet<>();
        jdbc.query("CHECKSUM TABLE " + String.join(", ", tables.stream().map(t -> "`" + t + "`").toList()),
                rs -> {
                    sums.add(rs.getString(1) + "=" + rs.getString(2));
                });
        return String.join("\n", sums);
    }
}
