package com.cleversync.billing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;

/** {@code clever-sync.billing.*}: the annual integration fee charged per attached school. */
@ConfigurationProperties("clever-sync.billing")
public record BillingProperties(@DefaultValue("230.00") BigDecimal annualFeePerSchool, @DefaultValue("USD") String currency) {

    public BillingProperties {
        if (annualFeePerSchool.signum() < 0) {
            throw new IllegalArgumentException("clever-sync.billing.annual-fee-per-school must not be negative");
        }
    }
}
