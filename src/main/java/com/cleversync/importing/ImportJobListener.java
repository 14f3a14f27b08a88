package com.cleversync.importing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/**
 * One log line when an import run starts and one when it ends (ids and counts only, never personal data),
 * and the import's last status for the nightly summary.
 */
public class ImportJobListener implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger("com.cleversync.importing.ImportJob");

    private final JdbcTemplate jdbc;
    private final ObjectProvider<ImportService> service;
    private final DistrictContacts districtContacts;
    private final Duration sharedContactsMaxAge;

    public ImportJobListener(JdbcTemplate jdbc, ObjectProvider<ImportService> service, DistrictContacts districtContacts,
                             Duration sharedContactsMaxAge) {
        this.jdbc = jdbc;
        this.service = service;
        this.districtContacts = districtContacts;
        this.sharedContactsMaxAge = sharedContactsMaxAge;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        Long importId = execution.getJobParameters().getLong("eventImportId");
        String trigger = execution.getJobParameters().getString("trigger", "manual");
        jdbc.update("""
                INSERT INTO import_run (job_instance_id, event_import_id, trigger_source) VALUES (?, ?, ?)
                ON DUPLICATE KEY UPDATE finished_at = NULL""", execution.getJobInstance().getInstanceId(), importId, trigger);
        log.info("import {} started: execution {}, instance {}, trigger {}", importId, execution.getId(),
                execution.getJobInstance().getInstanceId(), trigger);
        service.ifAvailable(s -> s.executionCreated(execution));
    }

    @Override
    public void afterJob(JobExecution execution) {
        Long importId = execution.getJobParameters().getLong("eventImportId");
        BatchStatus status = execution.getStatus();
        jdbc.update("UPDATE event_import SET last_run_at = CURRENT_TIMESTAMP(3), last_status = ? WHERE id = ?", status.name(), importId);
        if (status == BatchStatus.COMPLETED) {
            jdbc.update("UPDATE import_run SET finished_at = CURRENT_TIMESTAMP(3) WHERE job_instance_id = ?",
                    execution.getJobInstance().getInstanceId());
            jdbc.queryForList("SELECT e.account_id FROM event_import ei JOIN event e ON e.id = ei.event_id WHERE ei.id = ?",
                    Long.class, importId).forEach(account -> districtContacts.release(
                            execution.getJobInstance().getInstanceId(), account, sharedContactsMaxAge));
        }
        StringBuilder counts = new StringBuilder();
        jdbc.query("""
                SELECT entity, metric, value FROM import_run_stat WHERE job_instance_id = ?
                  AND metric IN ('created', 'updated', 'removed', 'unchanged') ORDER BY entity, metric""", rs -> {
            counts.append(' ').append(rs.getString(1)).append('.').append(rs.getString(2)).append('=').append(rs.getLong(3));
        }, execution.getJobInstance().getInstanceId());
        String message = status == BatchStatus.COMPLETED ? "" : " reason: " + firstLine(execution.getExitStatus().getExitDescription());
        log.info("import {} ended {}: execution {}{}{}", importId, status, execution.getId(), counts, message);
    }

    static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
