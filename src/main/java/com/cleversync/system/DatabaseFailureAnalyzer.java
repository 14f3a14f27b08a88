package com.cleversync.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.sql.SQLException;

/** Start-up that cannot reach the database reports one clear line instead of a stack trace. */
class DatabaseFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        SQLException failure = DatabaseErrors.connectionFailure(rootFailure);
        if (failure == null) {
            return null;
        }
        return new FailureAnalysis(DatabaseErrors.describe(failure),
                "Start the database or set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.",
                cause);
    }
}
