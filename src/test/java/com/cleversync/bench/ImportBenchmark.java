package com.cleversync.bench;

import com.cleversync.account.AccountService;
import com.cleversync.clever.CleverClient;
import com.cleversync.clever.CleverCredentials;
import com.cleversync.clever.CleverSchool;
import com.cleversync.clever.CleverTerm;
import com.cleversync.importing.ImportJobConfig;
import com.cleversync.importing.ImportRequest;
import com.cleversync.importing.ImportService;
import com.cleversync.importing.RunOptions;
import com.cleversync.incremental.DistrictNightly;
import com.cleversync.incremental.NightlyProperties;
import com.cleversync.incremental.ParallelImports;
import com.cleversync.sync.NightlyReport;
import com.cleversync.sync.NightlySync;
import com.cleversync.system.AppContext;
import com.cleversync.system.BulkLoad;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The import benchmark (run by {@code bench/run}, never by {@code ./mvnw verify}): against a Clever simulator
 * running in another process (started with {@code --admin}), imports every school of the district cold into a
 * scratch database, runs the nightly twice (nothing changed, then after the simulator changed a share of its
 * records), then loads the same final rows with {@code LOAD DATA LOCAL INFILE} into a scratch schema to measure
 * the database's own write rate. Writes JSON and a Markdown table to {@code target/bench/}.
 *
 * <p>The imports run in this JVM, so its heap and RSS are the import's: the simulator's memory is elsewhere.
 */
public final class ImportBenchmark {

    static final List<String> BOOKING_TABLES = List.of("contact", "contact_clever_user", "event_class", "class_teacher",
            "class_student", "student_parent");
    static final String LOAD_DATA = "LOAD DATA LOCAL INFILE (same rows, same tables)";
    static final String LOAD_DATA_NO_FOREIGN_KEYS = "LOAD DATA LOCAL INFILE (same rows, no foreign keys)";
    private static final Pattern REFERENCES = Pattern.compile("REFERENCES `(\\w+)` \\(`(\\w+)`\\)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> opts;
    private final String size;
    private final String cleverUrl;
    private final String schema;
    private final String dbBase;
    private final String dbUser;
    private final String dbPassword;
    private final Path out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ProcessCpu simCpu;
    private final ProcessCpu dbCpu;
    private final StepClock stepClock = new StepClock();
    private int importConcurrency = 1;

    private ImportBenchmark(Map<String, String> opts) {
        this.opts = opts;
        this.size = opts.getOrDefault("size", "S");
        this.cleverUrl = required(opts, "clever-url");
        this.schema = opts.getOrDefault("schema", "cs_bench_" + size.toLowerCase(Locale.ROOT));
        this.dbBase = opts.getOrDefault("db-url", "jdbc:mysql://127.0.0.1:3306/");
        this.dbUser = opts.getOrDefault("db-user", "root");
        this.dbPassword = opts.getOrDefault("db-password", "");
        this.out = Path.of(opts.getOrDefault("out", "target/bench"));
        this.simCpu = opts.containsKey("sim-pid") ? new ProcessCpu(Long.parseLong(opts.get("sim-pid"))) : null;
        this.dbCpu = ProcessCpu.byName("mariadbd", "mysqld");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        int exit = new ImportBenchmark(opts).run();
        System.exit(exit);
    }

    private static String required(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    private int run() throws Exception {
        Files.createDirectories(out);
        try (Connection c = root()) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + schema);
            c.createStatement().execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        String url = dbBase + schema + "?rewriteBatchedStatements=true&connectTimeout=5000&characterEncoding=UTF-8"
                + "&useUnicode=true&serverTimezone=UTC";
        List<String> springArgs = new ArrayList<>(List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + dbUser,
                "--spring.datasource.password=" + dbPassword, "--clever.api.base-url=" + cleverUrl,
                "--clever.oauth.base-url=" + cleverUrl, "--clever-sync.allow-plaintext-tokens=true",
                "--logging.level.com.cleversync=WARN"));
        for (String extra : opts.getOrDefault("spring", "").split(" ")) {
            if (!extra.isBlank()) {
                springArgs.add(extra);
            }
        }
        AppContext app = AppContext.lazy(false, springArgs.toArray(String[]::new));
        try {
            return measure(app);
        } finally {
            app.closeIfStarted();
        }
    }

    private int measure(AppContext app) throws Exception {
        AccountService accounts = app.bean(AccountService.class);
        ImportService imports = app.bean(ImportService.class);
        CleverClient clever = app.bean(CleverClient.class);
        int pageLimit = clever.properties().pageLimit();
        String token = opts.getOrDefault("token", "demo-district-token");

        long setupStart = System.nanoTime();
        Map<Long, String> schoolOf = registerImports("Bench district " + size, accounts, imports, clever, token);
        List<Long> importIds = List.copyOf(schoolOf.keySet());
        System.out.printf(Locale.ROOT, "setup: %d imports registered in %.1f s%n", importIds.size(), (System.nanoTime() - setupStart) / 1e9);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("size", size);
        // The code measured (bench/run passes git's commit, "-dirty" when the work tree has changes).
        result.put("revision", opts.getOrDefault("revision", "unknown"));
        result.put("schools", importIds.size());
        result.put("pageLimit", pageLimit);
        result.put("jvm", Map.of("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024),
                "args", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
                "processors", Runtime.getRuntime().availableProcessors()));
        List<Map<String, Object>> phases = new ArrayList<>();
        result.put("phases", phases);

        NightlySync nightly = app.bean(NightlySync.class);
        importConcurrency = app.bean(NightlyProperties.class).importConcurrency();
        result.put("importConcurrency", importConcurrency);
        if (app.get().getBean(ImportJobConfig.JOB_NAME) instanceof AbstractJob job) {
            job.registerJobExecutionListener(stepClock);
        }
        Map<String, Object> machine;
        try (Connection c = root()) {
            machine = MachineGauge.measure(c);
        }
        result.put("machine", machine);
        System.out.println("machine: " + machine);
        phases.add(importPhase("cold import", importIds, imports, pageLimit, 0));
        if (Boolean.parseBoolean(opts.getOrDefault("cold-only", "false"))) {
            // A quick comparison of two versions: the cold import alone, no target judged, no report written.
            return (int) phases.getFirst().getOrDefault("failedImports", 0) > 0 ? 1 : 0;
        }
        phases.add(nightlyPhase("nightly, nothing changed, full sync (first night)", nightly, schoolOf, pageLimit));
        nightPasses();
        phases.add(nightlyPhase("nightly, nothing changed (events)", nightly, schoolOf, pageLimit));
        String share = opts.getOrDefault("mutate-share", "0.01");
        post("/__admin/mutate?share=" + share + "&seed=" + opts.getOrDefault("mutate-seed", "7"));
        nightPasses();
        phases.add(nightlyPhase("nightly, " + pct(Double.parseDouble(share)) + " changed (events)", nightly, schoolOf, pageLimit));
        List<Map<String, Object>> loads = loadDataPhases();
        phases.addAll(loads);

        Map<String, Object> cold = phases.get(0);
        Map<String, Object> load = loads.get(0);
        Map<String, Object> loadNoForeignKeys = loads.get(1);
        double ratio = (double) cold.get("rowsPerSecond") / (double) load.get("rowsPerSecond");
        double ratioNoForeignKeys = (double) cold.get("rowsPerSecond") / (double) loadNoForeignKeys.get("rowsPerSecond");
        result.put("coldToLoadDataRatio", round(ratio, 3));
        result.put("coldToLoadDataNoForeignKeysRatio", round(ratioNoForeignKeys, 3));
        Map<String, Object> figures = figures(phases, load, loadNoForeignKeys, ratio, ratioNoForeignKeys);
        figures.putAll(machine);
        result.put("figures", figures);
        result.put("targets", targets(phases, figures));

        // Not a target: the same cold import for a second account of the same district, in this JVM now that its JIT
        // has compiled the import's code. The difference to the first cold import is the JVM's warm-up.
        List<Long> secondIds = List.copyOf(registerImports("Bench district " + size + " (second account)", accounts, imports,
                clever, token).keySet());
        Map<String, Object> warm = importPhase("cold import, second account, warm JVM", secondIds, imports, pageLimit, bookingRows());
        result.put("coldImportWarmJvm", warm);
        result.put("coldWarmJvmToLoadDataRatio", round((double) warm.get("rowsPerSecond") / (double) load.get("rowsPerSecond"), 3));
        result.put("coldWarmJvmToLoadDataNoForeignKeysRatio",
                round((double) warm.get("rowsPerSecond") / (double) loadNoForeignKeys.get("rowsPerSecond"), 3));
        write(result);
        int failed = Stream.concat(phases.stream(), Stream.of(warm)).mapToInt(p -> (int) p.getOrDefault("failedImports", 0)).sum();
        if (failed > 0) {
            System.out.println(failed + " import(s) failed: the figures above do not measure the whole work");
            return 1;
        }
        return 0;
    }

    /** An account connected to the district, one event per school and one import of each school's first term. */
    private static Map<Long, String> registerImports(String name, AccountService accounts, ImportService imports, CleverClient clever,
                                                     String token) {
        long account = accounts.createAccount(name, "America/Chicago");
        accounts.connect(account, token);
        CleverCredentials credentials = accounts.credentials(account);
        Map<Long, String> schoolOf = new LinkedHashMap<>();
        int n = 0;
        for (CleverSchool school : clever.schools(credentials).stream().toList()) {
            CleverTerm term = clever.schoolTerms(credentials, school.id()).stream()
                    .min(Comparator.comparing(CleverTerm::startDate, Comparator.nullsLast(Comparator.naturalOrder())))
                    .orElseThrow();
            long event = accounts.createEvent(account, "Bench event " + (++n) + " " + school.name());
            schoolOf.put(imports.register(new ImportRequest(event, school.id(), term.id())), school.id());
        }
        return schoolOf;
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%s%%", java.math.BigDecimal.valueOf(round(share * 100, 1)).stripTrailingZeros().toPlainString());
    }

    /** {@code rowsBefore}: rows of the booking tables that the phase did not write (another account's). */
    private Map<String, Object> importPhase(String name, List<Long> importIds, ImportService imports, int pageLimit, long rowsBefore)
            throws Exception {
        // One district read of contacts per phase, as one nightly sync shares one.
        String readKey = "bench-" + System.currentTimeMillis();
        long minimum = minimumRequests(pageLimit);
        long requestsBefore = requestsTotal();
        PhaseMeter meter = PhaseMeter.start(simCpu, dbCpu);
        AtomicInteger failed = new AtomicInteger();
        stepClock.reset();
        long start = System.nanoTime();
        AtomicLong firstDone = new AtomicLong();
        AtomicReference<Map<String, Double>> firstSteps = new AtomicReference<>();
        // As a night runs a district's imports (ParallelImports: the first alone, then import-concurrency at once).
        ParallelImports.runAll(importIds.stream().<Supplier<String>>map(id -> () -> {
            JobExecution execution = imports.run(id, RunOptions.nightly(readKey));
            if (id.equals(importIds.getFirst())) {
                firstDone.set(System.nanoTime() - start);
                firstSteps.set(StepClock.of(execution));
            }
            if (execution.getStatus() != BatchStatus.COMPLETED) {
                failed.incrementAndGet();
                System.out.println("import " + id + " ended " + execution.getStatus() + ": "
                        + execution.getExitStatus().getExitDescription().lines().findFirst().orElse(""));
            }
            return execution.getStatus().name();
        }).toList(), importConcurrency);
        Map<String, Object> phase = meter.stop(name);
        // The first import runs alone (it fills the district's read of contacts that the others share).
        phase.put("firstImportSeconds", round(firstDone.get() / 1e9, 2));
        phase.put("firstImportStepSeconds", firstSteps.get());
        return finish(phase, importIds.size(), failed.get(), requestsTotal() - requestsBefore, minimum, rowsBefore);
    }

    /** The figures every import phase reports, printed. */
    private Map<String, Object> finish(Map<String, Object> phase, int ran, int failed, long requests, long minimum, long rowsBefore)
            throws SQLException {
        long rows = bookingRows() - rowsBefore;
        phase.put("rows", rows);
        if (ran > 0) {
            phase.put("rowsPerSecond", round(rows / (double) phase.get("wallSeconds"), 1));
        }
        phase.put("failedImports", failed);
        phase.put("importsRun", ran);
        phase.put("cleverRequests", requests);
        phase.put("cleverRequestsMinimum", minimum);
        phase.put("cleverRequestsRatio", round((double) requests / minimum, 2));
        phase.put("stepSeconds", stepClock.seconds());
        phase.put("jobSeconds", stepClock.jobSeconds());
        System.out.println(line(phase));
        if (phase.containsKey("nightly")) {
            System.out.println("  " + phase.get("nightly"));
        }
        System.out.println("  steps (s): " + phase.get("stepSeconds") + "; inside the jobs: " + phase.get("jobSeconds") + " s"
                + (phase.containsKey("firstImportSeconds") ? "; the first import, alone: " + phase.get("firstImportSeconds") + " s "
                        + phase.get("firstImportStepSeconds") : "")
                + (phase.containsKey("secondsBeforeFirstImport") ? "; before the first import: " + phase.get("secondsBeforeFirstImport") + " s" : ""));
        return phase;
    }

    /**
     * One run of the {@code nightly} command's sync ({@link NightlySync}, as the CronJob runs it): it picks full or
     * incremental by itself and runs the imports it must. The minimum is counted over what it ran: each import's
     * school collections, the district's contacts once, and the events (one request for the seed of a full sync).
     * Imports run on the night's changes read nothing but the events: when all of them did, the events are the minimum.
     */
    private Map<String, Object> nightlyPhase(String name, NightlySync nightly, Map<Long, String> schoolOf, int pageLimit) throws Exception {
        JsonNode sizes = JSON.readTree(get("/__admin/sizes"));
        long requestsBefore = requestsTotal();
        stepClock.reset();
        PhaseMeter meter = PhaseMeter.start(simCpu, dbCpu);
        LocalDateTime started = LocalDateTime.now();
        NightlyReport report = nightly.run(1);
        Map<String, Object> phase = meter.stop(name);
        stepClock.firstJobCreated().ifPresent(first -> phase.put("secondsBeforeFirstImport",
                round(Duration.between(started, first).toNanos() / 1e9, 2)));
        long requests = requestsTotal() - requestsBefore;
        int ran = 0;
        int failed = 0;
        long minimum = 0;
        for (NightlyReport.Row row : report.rows()) {
            if (row.executionId() == null) {
                if (!DistrictNightly.UNCHANGED.equals(row.status())) {
                    failed++;
                }
                continue;
            }
            ran++;
            if (!BatchStatus.COMPLETED.name().equals(row.status())) {
                failed++;
                System.out.println("import " + row.eventImportId() + " ended " + row.status() + ": " + row.message());
            }
            JsonNode school = sizes.get("schools").get(schoolOf.get(row.eventImportId()));
            minimum += pages(school.get("sections").asLong(), pageLimit) + pages(school.get("teachers").asLong(), pageLimit)
                    + pages(school.get("students").asLong(), pageLimit);
        }
        if (ran > 0) {
            minimum += pages(sizes.get("contacts").asLong(), pageLimit);
        }
        String district = String.join("; ", report.districts());
        Matcher onChanges = Pattern.compile("\\((\\d+) on the night's changes\\)").matcher(district);
        if (ran > 0 && onChanges.find() && Integer.parseInt(onChanges.group(1)) == ran) {
            minimum = 0;
        }
        Matcher events = Pattern.compile("(\\d+) event\\(s\\)").matcher(district);
        minimum += district.contains("FULL") ? 1 : pages(events.find() ? Long.parseLong(events.group(1)) : 0, pageLimit);
        phase.put("nightly", district);
        return finish(phase, ran, failed, requests, minimum, 0);
    }

    /** A night passes: the shared read of the district's contacts is no longer recent enough to be used again. */
    private void nightPasses() throws SQLException {
        try (Connection c = root(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + schema + ".district_read SET started_at = started_at - INTERVAL 1 DAY, "
                    + "completed_at = completed_at - INTERVAL 1 DAY");
        }
    }

    /** Seconds per step of the import job, summed over the executions since the last reset (in-memory times). */
    static final class StepClock implements JobExecutionListener {
        private final Map<String, Double> seconds = new ConcurrentHashMap<>();
        private final DoubleAdder jobs = new DoubleAdder();
        private final AtomicReference<LocalDateTime> firstCreated = new AtomicReference<>();

        void reset() {
            seconds.clear();
            jobs.reset();
            firstCreated.set(null);
        }

        /** When the first job execution since the last reset was created. */
        Optional<LocalDateTime> firstJobCreated() {
            return Optional.ofNullable(firstCreated.get());
        }

        @Override
        public void beforeJob(JobExecution execution) {
            if (execution.getCreateTime() != null) {
                firstCreated.accumulateAndGet(execution.getCreateTime(), (a, b) -> a == null || b.isBefore(a) ? b : a);
            }
        }

        /** Seconds per step of one execution. */
        static Map<String, Double> of(JobExecution execution) {
            StepClock one = new StepClock();
            one.afterJob(execution);
            return one.seconds();
        }

        Map<String, Double> seconds() {
            Map<String, Double> ordered = new LinkedHashMap<>();
            for (String step : List.of("Sections", "Teachers", "Students", "Contacts", "Parents", "Classes", "Reconcile")) {
                ordered.put(step, round(seconds.getOrDefault(step, 0.0), 2));
            }
            return ordered;
        }

        /** Wall seconds inside the jobs (launch to end), to tell the job framework's share from the steps'. */
        double jobSeconds() {
            return round(jobs.sum(), 2);
        }

        @Override
        public void afterJob(JobExecution execution) {
            if (execution.getCreateTime() != null) {
                jobs.add(Duration.between(execution.getCreateTime(), LocalDateTime.now()).toNanos() / 1e9);
            }
            for (StepExecution step : execution.getStepExecutions()) {
                if (step.getStartTime() != null && step.getEndTime() != null) {
                    seconds.merge(step.getStepName().replaceFirst("^import", "").replaceFirst("Step$", ""),
                            Duration.between(step.getStartTime(), step.getEndTime()).toNanos() / 1e9, Double::sum);
                }
            }
        }
    }

    /**
     * The fewest list requests the phase could make: every school's sections, teachers and students, and the
     * district's contacts once, each {@code ceil(records / limit)} pages (at least one).
     */
    private long minimumRequests(int limit) throws Exception {
        JsonNode sizes = JSON.readTree(get("/__admin/sizes"));
        long min = pages(sizes.get("contacts").asLong(), limit);
        for (JsonNode school : sizes.get("schools")) {
            min += pages(school.get("sections").asLong(), limit) + pages(school.get("teachers").asLong(), limit)
                    + pages(school.get("students").asLong(), limit);
        }
        return min;
    }

    private static long pages(long records, int limit) {
        return Math.max(1, (records + limit - 1) / limit);
    }

    private long requestsTotal() throws Exception {
        return JSON.readTree(get("/__admin/requests")).get("total").asLong();
    }

    private long bookingRows() throws SQLException {
        long rows = 0;
        try (Connection c = root(); Statement s = c.createStatement()) {
            for (String t : BOOKING_TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + schema + "." + t)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        return rows;
    }

    // ---- LOAD DATA: the database's own write rate on the same rows ----

    /**
     * The LOAD DATA phases: the faster of two loads into the same tables as the import's (same columns, keys, checks
     * and foreign keys: the database checks each row's references as it does the import's), and the faster of two
     * loads into the same tables without their foreign keys. The loads alternate, each into a schema created anew.
     */
    private List<Map<String, Object>> loadDataPhases() throws Exception {
        String scratch = schema + "_load";
        Path csvDir = out.resolve("csv-" + size.toLowerCase(Locale.ROOT));
        Files.createDirectories(csvDir);
        Map<String, Long> exported = new LinkedHashMap<>();
        Map<String, List<String>> columns = new LinkedHashMap<>();
        Map<String, String> ddls = new LinkedHashMap<>();
        try (Connection c = root(); Statement s = c.createStatement()) {
            for (String t : BOOKING_TABLES) {
                try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + schema + "." + t)) {
                    rs.next();
                    ddls.put(t, rs.getString(2).replaceAll(" AUTO_INCREMENT=\\d+", ""));
                }
                List<String> cols = new ArrayList<>();
                exported.put(t, export(c, t, csvDir.resolve(t + ".tsv"), cols));
                columns.put(t, cols);
            }
        }
        String url = dbBase + scratch + "?allowLoadLocalInfile=true&serverTimezone=UTC&characterEncoding=UTF-8&useUnicode=true";
        long rows = exported.values().stream().mapToLong(Long::longValue).sum();
        // The faster of two loads into empty tables: a load slowed by the machine would flatter the import's ratio.
        Map<Boolean, Map<String, Object>> fastest = new LinkedHashMap<>();
        Map<Boolean, List<Double>> walls = new LinkedHashMap<>();
        for (int run = 0; run < 2; run++) {
            for (boolean foreignKeys : List.of(true, false)) {
                createScratch(scratch, ddls, foreignKeys);
                String name = foreignKeys ? LOAD_DATA : LOAD_DATA_NO_FOREIGN_KEYS;
                PhaseMeter meter = PhaseMeter.start(simCpu, dbCpu);
                long loaded = 0;
                try (Connection c = DriverManager.getConnection(url, dbUser, dbPassword); Statement s = c.createStatement()) {
                    for (String t : BOOKING_TABLES) {
                        Path file = csvDir.resolve(t + ".tsv").toAbsolutePath();
                        loaded += s.executeUpdate("LOAD DATA LOCAL INFILE '" + file.toString().replace("'", "''") + "' INTO TABLE " + t
                                + " CHARACTER SET utf8mb4 (" + String.join(", ", columns.get(t)) + ")");
                    }
                }
                Map<String, Object> measured = meter.stop(name);
                if (loaded != rows) {
                    throw new IllegalStateException("LOAD DATA loaded " + loaded + " rows of " + rows + " exported");
                }
                walls.computeIfAbsent(foreignKeys, k -> new ArrayList<>()).add((double) measured.get("wallSeconds"));
                Map<String, Object> before = fastest.get(foreignKeys);
                if (before == null || (double) measured.get("wallSeconds") < (double) before.get("wallSeconds")) {
                    fastest.put(foreignKeys, measured);
                }
            }
        }
        List<Map<String, Object>> phases = new ArrayList<>();
        for (boolean foreignKeys : List.of(true, false)) {
            Map<String, Object> phase = fastest.get(foreignKeys);
            phase.put("loadWallSeconds", walls.get(foreignKeys));
            phase.put("rows", rows);
            phase.put("rowsPerSecond", round(rows / (double) phase.get("wallSeconds"), 1));
            phase.put("rowsByTable", exported);
            System.out.println(line(phase));
            phases.add(phase);
        }
        return phases;
    }

    /**
     * The scratch schema, created anew: the six tables as the import's schema defines them, with their foreign keys
     * or without. With them, the tables they name outside the six (account, event, event_import) stand in as their
     * referenced column alone, holding the import schema's values.
     */
    private void createScratch(String scratch, Map<String, String> ddls, boolean foreignKeys) throws SQLException {
        try (Connection c = root(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + scratch);
            s.execute("CREATE DATABASE " + scratch + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            if (foreignKeys) {
                Map<String, String> referenced = new LinkedHashMap<>();
                for (String ddl : ddls.values()) {
                    Matcher m = REFERENCES.matcher(ddl);
                    while (m.find()) {
                        if (!BOOKING_TABLES.contains(m.group(1))) {
                            referenced.put(m.group(1), m.group(2));
                        }
                    }
                }
                for (Map.Entry<String, String> r : referenced.entrySet()) {
                    s.execute("CREATE TABLE " + scratch + "." + r.getKey() + " (PRIMARY KEY (" + r.getValue() + ")) SELECT "
                            + r.getValue() + " FROM " + schema + "." + r.getKey());
                }
            }
            for (String ddl : ddls.values()) {
                if (!foreignKeys) {
                    ddl = String.join("\n", ddl.lines().filter(l -> !l.contains("FOREIGN KEY")).toList())
                            .replaceAll(",\\s*\\n\\)", "\n)");
                }
                s.execute("CREATE TABLE " + scratch + "." + ddl.substring("CREATE TABLE ".length()));
            }
        }
    }

    /** Streams a table into LOAD DATA's default text format: tab-separated, \N for NULL, backslash escapes. */
    private long export(Connection c, String table, Path file, List<String> cols) throws SQLException, IOException {
        long rows = 0;
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
             BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            s.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + schema + "." + table)) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                for (int i = 1; i <= n; i++) {
                    cols.add(md.getColumnName(i));
                }
                StringBuilder sb = new StringBuilder(256);
                while (rs.next()) {
                    sb.setLength(0);
                    for (int i = 1; i <= n; i++) {
                        if (i > 1) {
                            sb.append('\t');
                        }
                        BulkLoad.appendField(sb, rs.getString(i));
                    }
                    sb.append('\n');
                    w.write(sb.toString());
                    rows++;
                }
            }
        }
        return rows;
    }

    // ---- targets and output ----

    /**
     * The run's figures that the targets judge, and others beside them, as numbers (ratios as shares): what
     * {@link BenchSummary} compares across runs.
     */
    private Map<String, Object> figures(List<Map<String, Object>> phases, Map<String, Object> load, Map<String, Object> loadNoForeignKeys,
                                        double ratio, double ratioNoForeignKeys) throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        List<Map<String, Object>> imported = phases.stream().filter(p -> p.containsKey("cleverRequests")).toList();
        double coldWall = (double) phases.get(0).get("wallSeconds");
        // Figures of a phase where an import failed measure less than the whole work: none of them counts then.
        f.put("failedImports", imported.stream().mapToInt(p -> (int) p.get("failedImports")).sum());
        f.put("coldWallSeconds", coldWall);
        f.put("loadDataSeconds", load.get("wallSeconds"));
        f.put("loadDataNoForeignKeysSeconds", loadNoForeignKeys.get("wallSeconds"));
        f.put("coldToLoadDataRatio", round(ratio, 3));
        f.put("coldToLoadDataNoForeignKeysRatio", round(ratioNoForeignKeys, 3));
        f.put("worstRequestsRatio", imported.stream().mapToDouble(p -> (double) p.get("cleverRequestsRatio")).max().orElse(0));
        double peakHeap = peakHeap(imported);
        f.put("peakHeapMb", peakHeap);
        f.put("retainedHeapMb", imported.stream().mapToDouble(p -> (double) p.get("peakRetainedHeapMb")).max().orElse(0));
        Path m = out.resolve("bench-M.json");
        // "Memory must not grow with the district": a district larger than M against M's (S is smaller).
        if ("L".equals(size) && Files.exists(m)) {
            JsonNode mj = JSON.readTree(m.toFile());
            double mPeak = 0;
            double mRetained = 0;
            for (JsonNode p : mj.get("phases")) {
                if (p.has("cleverRequests")) {
                    mPeak = Math.max(mPeak, p.get("peakHeapUsedMb").asDouble());
                    if (p.has("peakRetainedHeapMb")) {
                        mRetained = Math.max(mRetained, p.get("peakRetainedHeapMb").asDouble());
                    }
                }
            }
            f.put("peakHeapMbOfM", mPeak);
            f.put("retainedHeapMbOfM", mRetained);
            f.put("peakHeapAboveM", round(peakHeap / mPeak - 1, 3));
        }
        f.put("fullSyncToCold", round((double) phases.get(1).get("wallSeconds") / coldWall, 3));
        f.put("unchangedNightToCold", round((double) phases.get(2).get("wallSeconds") / coldWall, 3));
        f.put("changedNightSeconds", phases.get(3).get("wallSeconds"));
        if (phases.get(3).get("secondsBeforeFirstImport") instanceof Double before) {
            f.put("changedNightBeforeFirstImportSeconds", before);
        }
        f.put("changedNightToCold", round((double) phases.get(3).get("wallSeconds") / coldWall, 3));
        return f;
    }

    private Map<String, Object> targets(List<Map<String, Object>> phases, Map<String, Object> f) {
        Map<String, Object> t = new LinkedHashMap<>();
        int failed = (int) f.get("failedImports");
        t.put("everyImportCompleted", verdict("everyImportCompleted", f, failed + " failed import(s)"));
        t.put("coldRowRateAtLeast40PctOfLoadData", verdict("coldRowRateAtLeast40PctOfLoadData", f,
                pct((double) f.get("coldToLoadDataRatio")) + " (of LOAD DATA into the same tables; "
                        + pct((double) f.get("coldToLoadDataNoForeignKeysRatio")) + " of LOAD DATA without their foreign keys)"));
        t.put("cleverRequestsAtMost1.2xMinimum", verdict("cleverRequestsAtMost1.2xMinimum", f, "worst phase " + f.get("worstRequestsRatio") + "x"));
        double peakHeap = (double) f.get("peakHeapMb");
        t.put("peakHeapAtMost384Mb", verdict("peakHeapAtMost384Mb", f, peakHeap + " MB"));
        if (f.containsKey("peakHeapAboveM")) {
            double retained = (double) f.get("retainedHeapMb");
            double mRetained = (double) f.get("retainedHeapMbOfM");
            t.put("peakHeapAtMost20PctAboveM", verdict("peakHeapAtMost20PctAboveM", f, peakHeap + " MB vs M " + f.get("peakHeapMbOfM")
                    + " MB (" + pct((double) f.get("peakHeapAboveM")) + "); retained " + retained + " MB vs M " + mRetained + " MB"
                    + (mRetained > 0 ? " (" + pct(round(retained / mRetained - 1, 3)) + ")" : "")));
        }
        t.put("nightlyUnchangedAtMost25PctOfCold", verdict("nightlyUnchangedAtMost25PctOfCold", f, pct((double) f.get("unchangedNightToCold"))
                + " (events); a full sync of the unchanged district: " + pct((double) f.get("fullSyncToCold"))));
        t.put("nightlyChangedAtMost35PctOfCold", verdict("nightlyChangedAtMost35PctOfCold", f, pct((double) f.get("changedNightToCold")) + " ("
                + phases.get(3).get("importsRun") + " of " + phases.get(0).get("importsRun") + " imports run)"));
        return t;
    }

    private static double peakHeap(List<Map<String, Object>> phases) {
        return phases.stream().mapToDouble(p -> (double) p.get("peakHeapUsedMb")).max().orElse(0);
    }

    private static String verdict(String target, Map<String, Object> figures, String figure) {
        Target t = Target.named(target);
        boolean met = t.met(((Number) figures.get(t.figure())).doubleValue());
        return (met ? "met: " : "NOT met: ") + figure;
    }

    private void write(Map<String, Object> result) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        result.put("finishedAt", stamp);
        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        Files.writeString(out.resolve("bench-" + size + ".json"), json);
        Files.writeString(out.resolve("bench-" + size + "-" + stamp + ".json"), json);
        String md = markdown(result);
        Files.writeString(out.resolve("bench-" + size + ".md"), md);
        Files.writeString(out.resolve("bench-" + size + "-" + stamp + ".md"), md);
        System.out.println();
        System.out.println(md);
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Import benchmark, size ").append(r.get("size")).append(" (").append(r.get("schools"))
                .append(" schools, page limit ").append(r.get("pageLimit")).append(", code ").append(r.get("revision")).append(")\n\n");
        if (r.get("machine") instanceof Map<?, ?> machine) {
            sb.append("Machine, right before the cold import (best of three rounds; see MachineGauge): a generator step ")
                    .append(machine.get("computeNanos")).append(" ns, a step through 32 MB at random ").append(machine.get("memoryNanos"))
                    .append(" ns, a database round trip ").append(machine.get("roundTripMicros")).append(" µs\n\n");
        }
        sb.append("| Phase | Wall s | Rows | Rows/s | Clever requests | Minimum | Ratio | Peak heap MB | Live heap MB | Retained heap MB | Peak RSS MB | CPU s (import) | of which JIT | GC pauses s (count) | CPU s (simulator) | CPU s (database) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> p : (List<Map<String, Object>>) r.get("phases")) {
            sb.append("| ").append(p.get("phase")).append(" | ").append(p.get("wallSeconds")).append(" | ").append(p.get("rows"))
                    .append(" | ").append(p.getOrDefault("rowsPerSecond", "–")).append(" | ").append(p.getOrDefault("cleverRequests", "–"))
                    .append(" | ").append(p.getOrDefault("cleverRequestsMinimum", "–")).append(" | ")
                    .append(p.getOrDefault("cleverRequestsRatio", "–")).append(" | ").append(p.get("peakHeapUsedMb"))
                    .append(" | ").append(p.get("peakLiveHeapMb")).append(" | ").append(p.get("peakRetainedHeapMb"))
                    .append(" | ").append(p.get("peakRssMb")).append(" | ")
                    .append(p.get("cpuSeconds")).append(" | ").append(p.getOrDefault("jitCpuSeconds", "–")).append(" | ")
                    .append(p.get("gcPauseSeconds")).append(" (").append(p.get("gcCount")).append(") | ")
                    .append(p.getOrDefault("simulatorCpuSeconds", "–")).append(" | ")
                    .append(p.getOrDefault("databaseCpuSeconds", "–")).append(" |\n");
        }
        List<Map<String, Object>> imported = ((List<Map<String, Object>>) r.get("phases")).stream()
                .filter(p -> p.containsKey("stepSeconds")).toList();
        if (!imported.isEmpty()) {
            sb.append("\nSeconds per step, summed over the imports of each phase:\n\n| Step |");
            imported.forEach(p -> sb.append(' ').append(p.get("phase")).append(" |"));
            sb.append("\n|---|").append("---:|".repeat(imported.size())).append('\n');
            for (String step : ((Map<String, Object>) imported.getFirst().get("stepSeconds")).keySet()) {
                sb.append("| ").append(step).append(" |");
                imported.forEach(p -> sb.append(' ').append(((Map<String, Object>) p.get("stepSeconds")).getOrDefault(step, "–")).append(" |"));
                sb.append('\n');
            }
        }
        Map<String, Map<String, Object>> byName = ((List<Map<String, Object>>) r.get("phases")).stream()
                .collect(Collectors.toMap(p -> (String) p.get("phase"), p -> p, (a, b) -> a));
        sb.append("\nCold import row rate / LOAD DATA row rate: ").append(r.get("coldToLoadDataRatio"))
                .append(" into the same tables (LOAD DATA run twice: ").append(walls(byName.get(LOAD_DATA)))
                .append("; the faster counts); ").append(r.get("coldToLoadDataNoForeignKeysRatio"))
                .append(" without their foreign keys (").append(walls(byName.get(LOAD_DATA_NO_FOREIGN_KEYS))).append(")\n\n");
        if (r.get("coldImportWarmJvm") instanceof Map<?, ?> warm) {
            sb.append("Not a target: the same cold import for a second account, in the warm JVM: ").append(warm.get("wallSeconds"))
                    .append(" s, ").append(warm.get("rows")).append(" rows, ").append(warm.get("rowsPerSecond")).append(" rows/s = ")
                    .append(r.get("coldWarmJvmToLoadDataRatio")).append(" of the LOAD DATA rate (")
                    .append(r.get("coldWarmJvmToLoadDataNoForeignKeysRatio")).append(" without foreign keys); CPU s import ")
                    .append(warm.get("cpuSeconds")).append(" (JIT ").append(warm.containsKey("jitCpuSeconds") ? warm.get("jitCpuSeconds") : "–").append("), database ").append(warm.get("databaseCpuSeconds"))
                    .append("; steps (s) ").append(warm.get("stepSeconds")).append("\n\n");
        }
        sb.append("| Target | Result |\n|---|---|\n");
        ((Map<String, Object>) r.get("targets")).forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append("\nImport JVM: ").append(((Map<String, Object>) r.get("jvm")).get("args")).append("\n");
        return sb.toString();
    }

    private static String walls(Map<String, Object> phase) {
        return ((List<?>) phase.get("loadWallSeconds")).stream().map(w -> w + " s").collect(Collectors.joining(", "));
    }

    private static String line(Map<String, Object> p) {
        return String.format(Locale.ROOT, "%-32s %8.1f s  %9s rows  %10s rows/s  requests %s/%s  heap %s MB (live %s, retained %s)  rss %s MB  cpu %s s (jit %s)  gc pauses %s s (%s)",
                p.get("phase"), (double) p.get("wallSeconds"), p.get("rows"), p.getOrDefault("rowsPerSecond", "-"),
                p.getOrDefault("cleverRequests", "-"), p.getOrDefault("cleverRequestsMinimum", "-"),
                p.get("peakHeapUsedMb"), p.get("peakLiveHeapMb"), p.get("peakRetainedHeapMb"), p.get("peakRssMb"), p.get("cpuSeconds"), p.getOrDefault("jitCpuSeconds", "-"),
                p.get("gcPauseSeconds"), p.get("gcCount"));
    }

    static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    private Connection root() throws SQLException {
        return DriverManager.getConnection(dbBase + "?serverTimezone=UTC", dbUser, dbPassword);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cleverUrl + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + " (is the simulator running with --admin?)");
        }
        return r.body();
    }

    private void post(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cleverUrl + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
