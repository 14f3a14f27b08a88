package com.cleversync.ops;

import com.cleversync.importing.ImportAlreadyRunningException;
import com.cleversync.importing.ImportRequest;
import com.cleversync.importing.ImportService;
import com.cleversync.importing.RunOptions;
import com.cleversync.sync.ExecutionConflictException;
import com.cleversync.sync.ImportExecutions;
import com.cleversync.system.BadInputException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /actuator/imports}: start an import, follow it, list, restart and stop executions.
 * <ul>
 * <li>{@code POST /actuator/imports} {@code {"event": E, "school": "S", "term": "T"}}: 202 {@code {"executionId": N}}
 * at once; 409 when that import is running; 400/404 for a bad event, school or term</li>
 * <li>{@code GET /actuator/imports}: running executions and the failed or stopped ones that can be restarted</li>
 * <li>{@code GET /actuator/imports/{executionId}}: status and progress</li>
 * <li>{@code POST /actuator/imports/{executionId}} {@code {"action": "restart"}} (202, new execution id) or
 * {@code {"action": "stop"}} (202)</li>
 * </ul>
 */
@Component
@WebEndpoint(id = "imports")
public class ImportsEndpoint {

    private final ImportService imports;
    private final ImportExecutions executions;

    public ImportsEndpoint(ImportService imports, ImportExecutions executions) {
        this.imports = imports;
        this.executions = executions;
    }

    @WriteOperation
    public WebEndpointResponse<Object> start(@Nullable String event, @Nullable String school, @Nullable String term) {
        return guarded(202, () -> {
            long eventId = OpsInput.id(event, "event");
            if (school == null || school.isBlank()) {
                throw new BadInputException("school is required (a Clever school id)");
            }
            if (term == null || term.isBlank()) {
                throw new BadInputException("term is required (a Clever term id)");
            }
            long importId = imports.register(new ImportRequest(eventId, school.strip(), term.strip()));
            long executionId = imports.runAsync(importId, new RunOptions(false, "actuator"));
            return Map.of("executionId", executionId, "eventImportId", importId);
        });
    }

    @ReadOperation
    public WebEndpointResponse<Object> list() {
        return OpsResponses.ok(() -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("running", executions.running());
            body.put("restartable", executions.restartable());
            return body;
        });
    }

    @ReadOperation
    public WebEndpointResponse<Object> status(@Selector String executionId) {
        return OpsResponses.ok(() -> executions.status(OpsInput.id(executionId, "execution")));
    }

    @WriteOperation
    public WebEndpointResponse<Object> act(@Selector String executionId, String action) {
        return guarded(202, () -> {
            long id = OpsInput.id(executionId, "execution");
            return switch (action == null ? "" : action.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "restart" -> Map.of("executionId", executions.restartAsync(id, "actuator"), "restartOf", id);
                case "stop" -> executions.stop(id);
                default -> throw new BadInputException("action must be \"restart\" or \"stop\"");
            };
        });
    }

    private static WebEndpointResponse<Object> guarded(int status, Supplier<?> operation) {
        try {
            return OpsResponses.respond(status, operation);
        } catch (ImportAlreadyRunningException e) {
            return OpsResponses.error(409, e.getMessage());
        }
    }
}
