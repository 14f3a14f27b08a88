package com.cleversync.importing;

import com.cleversync.clever.CleverApiException;
import com.cleversync.clever.CleverClient;
import com.cleversync.clever.CleverItemReader;
import com.cleversync.clever.CleverSection;
import com.cleversync.clever.CleverUser;
import com.cleversync.clever.Item;
import com.cleversync.clever.MalformedRecordException;
import com.cleversync.roster.ContactKind;
import com.cleversync.roster.ContactMatcher;
import com.cleversync.roster.InvalidRecordException;
import com.cleversync.roster.Person;
import com.cleversync.roster.PersonMapper;
import com.cleversync.system.BadInputException;
import com.cleversync.system.BulkLoad;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;
import java.time.Duration;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.DefaultJobParametersValidator;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.skip.LimitCheckingExceptionHierarchySkipPolicy;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.core.task.TaskExecutor;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The import job, {@code cleverImportJob}: one (event, school, term). Steps, in order:
 * <ol>
 * <li>{@code importSectionsStep}: stale staging of this import is cleared first; then the school's sections of the
 *     term → staging (sections and enrollments).</li>
 * <li>{@code importTeachersStep}, {@code importStudentsStep}: the school's teachers and students that those
 *     sections enroll → contacts (de-duplicated, matched to existing contacts). Before the teachers are read, the
 *     school and term are checked to still exist at Clever (asked only when no section was staged).</li>
 * <li>{@code importContactsStep}: the district's contact users → the account's stored contacts, refreshed
 *     (skipped when a nightly run can share a recent refresh, see {@link DistrictContacts}).</li>
 * <li>{@code importParentsStep}: the contacts of the read related to those students → parent contacts and links.</li>
 * <li>{@code importClassesStep}: staged sections → the event's classes and their links (adds and updates only).</li>
 * <li>{@code importReconcileStep}: what Clever no longer has is removed, behind the mass-removal guard.</li>
 * </ol>
 * Read steps are chunk-oriented over restartable Clever readers; a restart resumes after the last committed chunk. Their
 * step-scoped readers and processors are called through {@link ScopedTargets}, not a scope lookup per record.
 */
@Configuration(proxyBeanMethods = false)
public class ImportJobConfig {

    public static final String JOB_NAME = "cleverImportJob";
    private static final String IMPORT_ID = "#{jobParameters['eventImportId']}";
    private static final String INSTANCE_ID = "#{stepExecution.jobExecution.jobInstance.instanceId}";

    @Bean(JOB_NAME)
    Job cleverImportJob(JobRepository jobRepository, ImportJobListener importJobListener,
                        @Qualifier("importSectionsStep") Step sections,
                        @Qualifier("importTeachersStep") Step teachers, @Qualifier("importStudentsStep") Step students,
                        @Qualifier("importContactsStep") Step contacts, @Qualifier("importParentsStep") Step parents,
                        @Qualifier("importClassesStep") Step classes,
                        @Qualifier("importReconcileStep") Step reconcile) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .validator(new DefaultJobParametersValidator(new String[] {"eventImportId", "run"},
                        new String[] {"trigger", "allowMassRemoval", "districtReadKey", "changeSet"}))
                .listener(importJobListener)
                .start(sections).next(teachers).next(students).next(contacts).next(parents).next(classes).next(reconcile)
                .build();
    }

    @Bean("importJobListener")
    ImportJobListener importJobListener(JdbcTemplate jdbc, ObjectProvider<ImportService> service, DistrictContacts districtContacts,
                                        ImportProperties props) {
        return new ImportJobListener(jdbc, service, districtContacts, props.sharedContactsMaxAge());
    }

    @Bean("importExecutor")
    TaskExecutor importExecutor(@Value("${clever-sync.import.async-threads:4}") int threads) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(threads);
        executor.setMaxPoolSize(threads);
        executor.setQueueCapacity(100);
        executor.setThreadNamePrefix("import-");
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(120);
        return executor;
    }

    @Bean("contactMatcher")
    ContactMatcher contactMatcher() {
        return new ContactMatcher();
    }

    /** The import a step runs for, loaded once per step (a record: injected into step-scoped beans only). */
    @Bean("importContext")
    @Scope(value = "step", proxyMode = ScopedProxyMode.NO)
    ImportContext importContext(@Value(IMPORT_ID) Long eventImportId, @Value(INSTANCE_ID) Long jobInstanceId,
                                @Value("#{jobParameters['changeSet']}") Long changeSet, ImportContextLoader loader) {
        return loader.load(eventImportId, jobInstanceId, changeSet);
    }

    /**
     * The job execution's staged enrollments, read from staging the first time a step after the sections step asks
     * for them (teachers' and students' processors, the parents' read, classes, reconcile: each used to read them
     * itself). Job-scoped: a restart, a new execution, reads them again. Asked for through an {@link ObjectProvider},
     * and never in the sections step, whose staging is not final.
     */
    @Bean("stagedEnrollments")
    @Scope(value = "job", proxyMode = ScopedProxyMode.NO)
    StagedEnrollments stagedEnrollments(JdbcTemplate jdbc, @Value("#{jobExecution.jobInstance.instanceId}") Long jobInstanceId) {
        return StagedEnrollments.load(jdbc, jobInstanceId);
    }

    // ---- before the read steps ----

    /** Before the sections step: staging that other job instances of this import left behind is cleared. */
    @Bean("clearStaleStaging")
    StepExecutionListener clearStaleStaging(ObjectProvider<ImportContext> context, JdbcTemplate jdbc) {
        return new StepExecutionListener() {
            @Override
            public void beforeStep(StepExecution stepExecution) {
                ImportContext ctx = context.getObject();
                for (String table : new String[] {"import_stage_section", "import_stage_parent_links"}) {
                    jdbc.update("DELETE s FROM " + table + " s JOIN import_run r ON r.job_instance_id = s.job_instance_id "
                            + "WHERE r.event_import_id = ? AND r.job_instance_id <> ?", ctx.eventImportId(), ctx.jobInstanceId());
                }
            }
        };
    }

    /**
     * Before the teachers step: the school and term still exist at Clever (terms are rebuilt from section data and can
     * vanish). Sections of the term listed for the school prove both, so the two requests are made only when none was
     * staged; a school no longer shared already failed the sections step (its list answers 404). Nothing but staging
     * was written.
     */
    @Bean("termCheck")
    StepExecutionListener termCheck(ObjectProvider<ImportContext> context, CleverClient clever, JdbcTemplate jdbc) {
        return new StepExecutionListener() {
            @Override
            public void beforeStep(StepExecution stepExecution) {
                ImportContext ctx = context.getObject();
                if (ctx.changeSetId() != null) {
                    // A run on changes: an event about the school or term made the nightly run the import in full.
                    return;
                }
                Long staged = jdbc.queryForObject("SELECT COUNT(*) FROM import_stage_section WHERE job_instance_id = ?", Long.class,
                        ctx.jobInstanceId());
                if (staged != null && staged > 0) {
                    return;
                }
                if (clever.school(ctx.credentials(), ctx.cleverSchoolId()).isEmpty()) {
                    throw schoolGone(ctx);
                }
                if (clever.term(ctx.credentials(), ctx.cleverTermId()).isEmpty()) {
                    throw new BadInputException("term " + ctx.cleverTermId() + " no longer exists at Clever (terms are rebuilt from "
                            + "section data); " + ctx.describe() + " cannot run (nothing was changed): import the new term");
                }
            }
        };
    }

    static BadInputException schoolGone(ImportContext ctx) {
        return new BadInputException("school " + ctx.cleverSchoolId() + " is no longer shared by Clever; " + ctx.describe()
                + " cannot run (nothing was changed)");
    }

    // ---- sections ----

    @Bean("sectionsReader")
    @StepScope
    SchoolReader<CleverSection> sectionsReader(ImportContext ctx, CleverClient clever, JdbcTemplate jdbc) {
        ChangeScope scope = ChangeScope.of(jdbc, ctx);
        if (scope != null) {
            Map<String, CleverSection> changed = scope.schoolSections();
            return new SchoolReader<>(new ChangedRecordsReader<>("sectionsReader", () -> List.copyOf(new TreeSet<>(changed.keySet())),
                    changed::get));
        }
        return new SchoolReader<>(new CleverItemReader<>("sectionsReader", clever.schoolSections(ctx.credentials(), ctx.cleverSchoolId()), true) {
            @Override
            public CleverSection read() {
                try {
                    return super.read();
                } catch (CleverApiException e) {
                    if (e.status() == 404) {
                        throw schoolGone(ctx);
                    }
                    throw e;
                }
            }
        });
    }

    @Bean("sectionsProcessor")
    @StepScope
    SectionProcessor sectionsProcessor(ImportContext ctx) {
        return new SectionProcessor(ctx.cleverTermId());
    }

    @Bean("sectionsWriter")
    @StepScope
    SectionWriter sectionsWriter(ImportContext ctx, JdbcTemplate jdbc) {
        return new SectionWriter(jdbc, ctx.jobInstanceId());
    }

    @Bean("importSectionsStep")
    Step importSectionsStep(JobRepository jobRepository, PlatformTransactionManager tm, ImportProperties props,
                            @Qualifier("sectionsReader") SchoolReader<CleverSection> reader,
                            @Qualifier("sectionsProcessor") SectionProcessor processor,
                            @Qualifier("sectionsWriter") SectionWriter writer,
                            @Qualifier("sectionsSkipListener") ImportSkipListener<CleverSection, StagedSection> skips,
                            @Qualifier("clearStaleStaging") StepExecutionListener clearStaleStaging) {
        return new StepBuilder("importSectionsStep", jobRepository).<CleverSection, StagedSection>chunk(props.chunkSize())
                .transactionManager(tm).reader(ScopedTargets.reader(reader)).processor(ScopedTargets.processor(processor)).writer(writer)
                .listener(clearStaleStaging)
                .faultTolerant().skipPolicy(skipPolicy(props)).skipListener(skips)
                .retry(TransientDataAccessException.class).retryLimit(3)
                .build();
    }

    @Bean("sectionsSkipListener")
    @StepScope
    ImportSkipListener<CleverSection, StagedSection> sectionsSkipListener(ImportContext ctx, RunStats stats) {
        return new ImportSkipListener<>(stats, ctx.jobInstanceId(), "classes");
    }

    // ---- teachers and students ----

    @Bean("teachersReader")
    @StepScope
    SchoolReader<CleverUser> teachersReader(ImportContext ctx, CleverClient clever, JdbcTemplate jdbc,
                                            ObjectProvider<StagedEnrollments> staged) {
        ChangeScope scope = ChangeScope.of(jdbc, ctx);
        if (scope != null) {
            return new SchoolReader<>(changedUsers("teachersReader", StagedEnrollments.TEACHER, scope, ctx, clever, staged));
        }
        return new SchoolReader<>(new CleverItemReader<>("teachersReader", clever.schoolUsers(ctx.credentials(), ctx.cleverSchoolId(), "teacher"), true));
    }

    /**
     * A run on changes reads the users in a role the set changed, and new members no event named from Clever one
     * by one; either is kept only if the school's list would hold it.
     */
    private static ChangedRecordsReader<CleverUser> changedUsers(String name, String role, ChangeScope scope, ImportContext ctx,
                                                                 CleverClient clever, ObjectProvider<StagedEnrollments> staged) {
        return new ChangedRecordsReader<>(name, () -> scope.users(staged.getObject(), role), id -> {
            CleverUser u = scope.changes().users().get(id);
            if (u == null) {
                u = clever.user(ctx.credentials(), id).orElse(null);
            }
            return u != null && scope.atSchool(u, role) ? u : null;
        });
    }

    @Bean("teachersProcessor")
    @StepScope
    PersonProcessor teachersProcessor(ImportContext ctx, JdbcTemplate jdbc, ObjectProvider<StagedEnrollments> staged) {
        return new PersonProcessor(enrolled(jdbc, ctx, staged.getObject(), StagedEnrollments.TEACHER)::contains, PersonMapper::teacher);
    }

    @Bean("teachersWriter")
    @StepScope
    ContactWriter teachersWriter(ImportContext ctx, JdbcTemplate jdbc, BulkLoad bulk, ContactMatcher matcher, RunStats stats) {
        return new ContactWriter(jdbc, bulk, matcher, stats, ctx, ContactKind.TEACHER, "teachers");
    }

    @Bean("teachersSkipListener")
    @StepScope
    ImportSkipListener<CleverUser, Person> teachersSkipListener(ImportContext ctx, RunStats stats) {
        return new ImportSkipListener<>(stats, ctx.jobInstanceId(), "teachers");
    }

    @Bean("importTeachersStep")
    Step importTeachersStep(JobRepository jobRepository, PlatformTransactionManager tm, ImportProperties props,
                            @Qualifier("teachersReader") SchoolReader<CleverUser> reader,
                            @Qualifier("teachersProcessor") PersonProcessor processor,
                            @Qualifier("teachersWriter") ContactWriter writer,
                            @Qualifier("teachersSkipListener") ImportSkipListener<CleverUser, Person> skips,
                            @Qualifier("termCheck") StepExecutionListener termCheck) {
        return personStep("importTeachersStep", jobRepository, tm, props, reader, processor, writer, skips, termCheck);
    }

    @Bean("studentsReader")
    @StepScope
    SchoolReader<CleverUser> studentsReader(ImportContext ctx, CleverClient clever, JdbcTemplate jdbc,
                                            ObjectProvider<StagedEnrollments> staged) {
        ChangeScope scope = ChangeScope.of(jdbc, ctx);
        if (scope != null) {
            return new SchoolReader<>(changedUsers("studentsReader", StagedEnrollments.STUDENT, scope, ctx, clever, staged));
        }
        return new SchoolReader<>(new CleverItemReader<>("studentsReader", clever.schoolUsers(ctx.credentials(), ctx.cleverSchoolId(), "student"), true));
    }

    @Bean("studentsProcessor")
    @StepScope
    PersonProcessor studentsProcessor(ImportContext ctx, JdbcTemplate jdbc, ObjectProvider<StagedEnrollments> staged) {
        return new PersonProcessor(enrolled(jdbc, ctx, staged.getObject(), StagedEnrollments.STUDENT)::contains, PersonMapper::student);
    }

    @Bean("studentsWriter")
    @StepScope
    ContactWriter studentsWriter(ImportContext ctx, JdbcTemplate jdbc, BulkLoad bulk, ContactMatcher matcher, RunStats stats) {
        return new ContactWriter(jdbc, bulk, matcher, stats, ctx, ContactKind.STUDENT, "students");
    }

    @Bean("studentsSkipListener")
    @StepScope
    ImportSkipListener<CleverUser, Person> studentsSkipListener(ImportContext ctx, RunStats stats) {
        return new ImportSkipListener<>(stats, ctx.jobInstanceId(), "students");
    }

    @Bean("importStudentsStep")
    Step importStudentsStep(JobRepository jobRepository, PlatformTransactionManager tm, ImportProperties props,
                            @Qualifier("studentsReader") SchoolReader<CleverUser> reader,
                            @Qualifier("studentsProcessor") PersonProcessor processor,
                            @Qualifier("studentsWriter") ContactWriter writer,
                            @Qualifier("studentsSkipListener") ImportSkipListener<CleverUser, Person> skips) {
        return personStep("importStudentsStep", jobRepository, tm, props, reader, processor, writer, skips, null);
    }

    // ---- parents ----

    @Bean("districtContacts")
    DistrictContacts districtContacts(JdbcTemplate jdbc, BulkLoad bulk, PlatformTransactionManager tm) {
        return new DistrictContacts(jdbc, bulk, tm);
    }

    @Bean("contactsReader")
    @StepScope
    DistrictContactsFillReader contactsReader(ImportContext ctx, CleverClient clever, DistrictContacts store,
                                              ImportProperties props, @Value("#{jobParameters['trigger']}") String trigger,
                                              @Value("#{jobParameters['districtReadKey']}") String key) {
        return new DistrictContactsFillReader(clever.users(ctx.credentials(), "contact"), store, ctx,
                RunOptions.nightly().trigger().equals(trigger), key == null || key.isEmpty() ? null : key,
                props.sharedContactsMaxAge(), ctx.changeSetId() != null, props.chunkSize(), props.districtChunkSize());
    }

    @Bean("contactsSkipListener")
    @StepScope
    ImportSkipListener<List<DistrictContacts.Prepared>, List<DistrictContacts.Prepared>> contactsSkipListener(ImportContext ctx, RunStats stats) {
        return new ImportSkipListener<>(stats, ctx.jobInstanceId(), "parents");
    }

    @Bean("importContactsStep")
    Step importContactsStep(JobRepository jobRepository, PlatformTransactionManager tm, ImportProperties props,
                            @Qualifier("contactsReader") DistrictContactsFillReader reader, DistrictContacts store,
                            @Qualifier("contactsSkipListener") ImportSkipListener<List<DistrictContacts.Prepared>, List<DistrictContacts.Prepared>> skips) {
        // The reader hands out batches of chunk-size contacts: a transaction holds district-chunk-size contacts.
        int batches = DistrictContactsFillReader.batchesPerTransaction(props.chunkSize(), props.districtChunkSize());
        return new StepBuilder("importContactsStep", jobRepository).<List<DistrictContacts.Prepared>, List<DistrictContacts.Prepared>>chunk(batches)
                .transactionManager(tm).reader(ScopedTargets.reader(reader))
                .writer(chunk -> {
                    List<DistrictContacts.Prepared> contacts = chunk.getItems().stream().flatMap(List::stream).toList();
                    store.writePrepared(reader.districtRead(), contacts);
                    countContacts(chunk.size(), contacts.size());
                })
                .listener((StepExecutionListener) reader)
                .faultTolerant().skipPolicy(skipPolicy(props)).skipListener(skips)
                .retry(TransientDataAccessException.class).retryLimit(3)
                .build();
    }

    /**
     * Spring Batch counts the contacts step's items, batches of contacts: its read and write counts (what the status
     * command and endpoint show) are made the contacts' own.
     */
    private static void countContacts(int batches, int contacts) {
        StepExecution step = StepSynchronizationManager.getContext().getStepExecution();
        step.setReadCount(step.getReadCount() + contacts - batches);
        step.setWriteCount(step.getWriteCount() + contacts - batches);
    }

    /** The district's contacts related to the import's students, from the job instance's district read. */
    @Bean("parentsReader")
    @StepScope
    DistrictContactsReader parentsReader(ImportContext ctx, DistrictContacts store, ImportProperties props, JdbcTemplate jdbc,
                                         ObjectProvider<StagedEnrollments> staged) {
        ChangeScope scope = ChangeScope.of(jdbc, ctx);
        return new DistrictContactsReader("parentsReader", store, ctx.jobInstanceId(), props.chunkSize(), read -> scope == null
                ? store.idsFor(read, staged.getObject().users(StagedEnrollments.STUDENT))
                : scope.contacts(store, staged.getObject()));
    }

    @Bean("parentsProcessor")
    @StepScope
    PersonProcessor parentsProcessor(ImportContext ctx, JdbcTemplate jdbc, ImportProperties props,
                                     ObjectProvider<StagedEnrollments> staged) {
        Set<String> students = enrolled(jdbc, ctx, staged.getObject(), StagedEnrollments.STUDENT);
        Set<String> excluded = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        excluded.addAll(props.excludedRelationshipTypes());
        return new PersonProcessor(id -> true, user -> PersonMapper.parent(user, students, excluded));
    }

    @Bean("parentsWriter")
    @StepScope
    ContactWriter parentsWriter(ImportContext ctx, JdbcTemplate jdbc, BulkLoad bulk, ContactMatcher matcher, RunStats stats) {
        return new ContactWriter(jdbc, bulk, matcher, stats, ctx, ContactKind.PARENT, "parents");
    }

    @Bean("parentsSkipListener")
    @StepScope
    ImportSkipListener<CleverUser, Person> parentsSkipListener(ImportContext ctx, RunStats stats) {
        return new ImportSkipListener<>(stats, ctx.jobInstanceId(), "parents");
    }

    @Bean("importParentsStep")
    Step importParentsStep(JobRepository jobRepository, PlatformTransactionManager tm, ImportProperties props,
                           @Qualifier("parentsReader") DistrictContactsReader reader,
                           @Qualifier("parentsProcessor") PersonProcessor processor,
                           @Qualifier("parentsWriter") ContactWriter writer,
                           @Qualifier("parentsSkipListener") ImportSkipListener<CleverUser, Person> skips) {
        return personStep("importParentsStep", jobRepository, tm, props, reader, processor, writer, skips, null);
    }

    // ---- classes and reconcile ----

    @Bean("importClassesStep")
    Step importClassesStep(JobRepository jobRepository, PlatformTransactionManager tm, ObjectProvider<ImportContext> context,
                           ObjectProvider<StagedEnrollments> staged, JdbcTemplate jdbc, BulkLoad bulk, RunStats stats,
                           ImportProperties props) {
        return new StepBuilder("importClassesStep", jobRepository).tasklet(retriedOnLockConflicts(tm, (contribution, chunkContext) ->
                new ClassesTasklet(jdbc, bulk, stats, context.getObject(), props.skipLimit(), staged.getObject(),
                        ChangeScope.of(jdbc, context.getObject())).execute(contribution, chunkContext)),
                new ResourcelessTransactionManager()).build();
    }

    @Bean("importReconcileStep")
    Step importReconcileStep(JobRepository jobRepository, PlatformTransactionManager tm, ObjectProvider<ImportContext> context,
                             ObjectProvider<StagedEnrollments> staged, JdbcTemplate jdbc, RunStats stats, ImportProperties props) {
        return new StepBuilder("importReconcileStep", jobRepository).tasklet(retriedOnLockConflicts(tm, (contribution, chunkContext) -> {
            boolean allow = Boolean.parseBoolean(chunkContext.getStepContext().getStepExecution().getJobParameters()
                    .getString("allowMassRemoval", "false"));
            return new ReconcileTasklet(jdbc, stats, context.getObject(), props.massRemovalThreshold(), allow, staged.getObject(),
                    ChangeScope.of(jdbc, context.getObject())).execute(contribution, chunkContext);
        }), new ResourcelessTransactionManager()).build();
    }

    // ---- helpers ----

    /** The set-based work of a tasklet: ClassesTasklet and ReconcileTasklet throw no checked exception. */
    @FunctionalInterface
    interface SetBasedWork {
        RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext);
    }

    /**
     * Runs set-based work in a transaction of its own and runs it again, from the start, when InnoDB chose it as
     * a deadlock victim or a lock wait timed out (imports run in parallel, of different accounts and of one account,
     * and touch the same tables). The failed transaction is rolled back whole, so the next one starts clean; the step
     * itself keeps no transaction open around it.
     */
    static Tasklet retriedOnLockConflicts(PlatformTransactionManager tm, SetBasedWork work) {
        TransactionTemplate tx = new TransactionTemplate(tm);
        RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
                .includes(PessimisticLockingFailureException.class)
                .maxRetries(5).delay(Duration.ofMillis(100)).multiplier(2).jitter(Duration.ofMillis(50)).build());
        return (contribution, chunkContext) -> retry.invoke(() -> tx.execute(status -> work.execute(contribution, chunkContext)));
    }

    private static Step personStep(String name, JobRepository jobRepository, PlatformTransactionManager tm, ImportProperties props,
                                   ItemStreamReader<CleverUser> reader, PersonProcessor processor, ContactWriter writer,
                                   ImportSkipListener<CleverUser, Person> skips, StepExecutionListener before) {
        var builder = new StepBuilder(name, jobRepository).<CleverUser, Person>chunk(props.chunkSize())
                .transactionManager(tm).reader(ScopedTargets.reader(reader)).processor(ScopedTargets.processor(processor)).writer(writer);
        if (before != null) {
            builder.listener(before);
        }
        return builder.faultTolerant().skipPolicy(skipPolicy(props)).skipListener(skips)
                .retry(TransientDataAccessException.class, DuplicateKeyException.class).retryLimit(3)
                .build();
    }

    private static LimitCheckingExceptionHierarchySkipPolicy skipPolicy(ImportProperties props) {
        return new LimitCheckingExceptionHierarchySkipPolicy(
                Set.of(MalformedRecordException.class, InvalidRecordException.class), props.skipLimit());
    }

    /**
     * Clever user ids the import enrolls in a role after this run (a school's worth: small): those of the staged
     * sections, and in a run on changes, those of the classes the changes leave alone too.
     */
    private static Set<String> enrolled(JdbcTemplate jdbc, ImportContext ctx, StagedEnrollments staged, String role) {
        ChangeScope scope = ChangeScope.of(jdbc, ctx);
        return scope == null ? staged.users(role) : scope.enrolled(staged, role);
    }
}
