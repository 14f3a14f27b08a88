package com.cleversync.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Annual integration fees: per account, the attached schools times the fee per school, and the total. */
public record FeeReport(BigDecimal annualFeePerSchool, String currency, List<AccountFees> accounts, int schools,
                        BigDecimal total) {

    public record AccountFees(long accountId, String accountName, int schoolCount, BigDecimal amount,
                              List<BilledSchool> schools) {
    }

    public record BilledSchool(long schoolId, String cleverSchoolId, String name, Instant attachedAt) {
    }
}
