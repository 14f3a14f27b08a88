package com.cleversync.ops;

import com.cleversync.sync.SyncSettings;
import com.cleversync.system.BadInputException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * {@code /actuator/sync}: the nightly sync switch.
 * <ul>
 * <li>{@code GET /actuator/sync[?account=A]}: events with sync on</li>
 * <li>{@code GET /actuator/sync/event/{id}}: one event's switch</li>
 * <li>{@code POST /actuator/sync/event/{id}} {@code {"enabled": false|true}}: stop or enable one event</li>
 * <li>{@code POST /actuator/sync/account/{id}} {@code {"enabled": false}}: stop every event of an account;
 * the answer lists the events that were stopped</li>
 * </ul>
 */
@Component
@WebEndpoint(id = "sync")
public class SyncEndpoint {

    private final SyncSettings settings;

    public SyncEndpoint(SyncSettings settings) {
        this.settings = settings;
    }

    @ReadOperation
    public WebEndpointResponse<Object> enabled(@Nullable String account) {
        return OpsResponses.ok(() -> Map.of("events", settings.enabledEvents(OpsInput.optionalId(account, "account"))));
    }

    @ReadOperation
    public WebEndpointResponse<Object> event(@Selector String scope, @Selector String id) {
        return OpsResponses.ok(() -> {
            requireScope(scope, "event");
            return settings.event(OpsInput.id(id, "event"));
        });
    }

    @WriteOperation
    public WebEndpointResponse<Object> change(@Selector String scope, @Selector String id, boolean enabled) {
        return OpsResponses.ok(() -> {
            requireScope(scope, "event", "account");
            if (scope.equals("event")) {
                long event = OpsInput.id(id, "event");
                return enabled ? settings.enableEvent(event) : settings.stopEvent(event);
            }
            long account = OpsInput.id(id, "account");
            if (enabled) {
                throw new BadInputException("sync is enabled one event at a time: POST /actuator/sync/event/{id}");
            }
            return Map.of("accountId", account, "stopped", settings.stopAccount(account));
        });
    }

    private static void requireScope(String scope, String... allowed) {
        for (String a : allowed) {
            if (a.equals(scope)) {
                return;
            }
        }
        throw BadInputException.notFound("unknown sync path '" + OpsInput.abbreviate(scope) + "' (use "
                + String.join(" or ", allowed) + ")");
    }
}
