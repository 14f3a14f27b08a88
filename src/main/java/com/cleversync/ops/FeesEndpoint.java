package com.cleversync.ops;

import com.cleversync.billing.FeeService;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.stereotype.Component;

/** {@code GET /actuator/fees[?account=A]}: annual integration fees, same numbers as the {@code fees} command. */
@Component
@WebEndpoint(id = "fees")
public class FeesEndpoint {

    private final FeeService fees;

    public FeesEndpoint(FeeService fees) {
        this.fees = fees;
    }

    @ReadOperation
    public WebEndpointResponse<Object> fees(@Nullable String account) {
        return OpsResponses.ok(() -> fees.fees(OpsInput.optionalId(account, "account")));
    }
}
