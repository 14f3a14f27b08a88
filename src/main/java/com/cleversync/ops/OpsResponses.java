package com.cleversync.ops;

import com.cleversync.sync.ExecutionConflictException;
import com.cleversync.system.BadInputException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Runs an operation for an endpoint: bad input becomes a 400 or 404 with a one-line JSON message. */
public final class OpsResponses {

    private OpsResponses() {
    }

    public static WebEndpointResponse<Object> ok(Supplier<?> operation) {
        return respond(200, operation);
    }

    public static WebEndpointResponse<Object> respond(int status, Supplier<?> operation) {
        try {
            return new WebEndpointResponse<>(operation.get(), status);
        } catch (ExecutionConflictException e) {
            return error(409, e.getMessage());
        } catch (BadInputException e) {
            return error(e.notFound() ? 404 : 400, e.getMessage());
        }
    }

    public static WebEndpointResponse<Object> error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            default -> "Error";
        });
        body.put("message", message);
        return new WebEndpointResponse<>(body, status);
    }
}
