package com.cleversync.billing;

import com.cleversync.system.BadInputException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The annual integration fee: every school attached to an account (detached_at IS NULL) costs
 * {@code clever-sync.billing.annual-fee-per-school}. Shared by the {@code fees} command and endpoint.
 */
@Service("feeService")
public class FeeService {

    private final JdbcClient jdbc;
    private final BillingProperties properties;

    public FeeService(JdbcClient jdbc, BillingProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Fees of one account (also when it has no school), or (null) of every account with a school attached. */
    @Transactional(readOnly = true)
    public FeeReport fees(Long accountId) {
        List<Builder> accounts = new ArrayList<>();
        if (accountId != null) {
            if (accountId <= 0) {
                throw new BadInputException("account id must be a positive number, got " + accountId);
            }
            String name = jdbc.sql("SELECT name FROM account WHERE id = ?").param(accountId).query(String.class)
                    .optional().orElseThrow(() -> BadInputException.notFound("no account with id " + accountId));
            accounts.add(new Builder(accountId, name));
        }
        jdbc.sql("""
                        SELECT a.id, a.name, s.id, s.clever_school_id, s.name, s.attached_at
                        FROM account a JOIN school s ON s.account_id = a.id
                        WHERE s.detached_at IS NULL AND (? IS NULL OR a.id = ?)
                        ORDER BY a.id, s.name, s.id""")
                .param(accountId).param(accountId)
                .query(rs -> {
                    long id = rs.getLong(1);
                    Builder current = accounts.isEmpty() ? null : accounts.getLast();
                    if (current == null || current.id != id) {
                        current = new Builder(id, rs.getString(2));
                        accounts.add(current);
                    }
                    current.schools.add(new FeeReport.BilledSchool(rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant()));
                });
        BigDecimal fee = properties.annualFeePerSchool().setScale(2, RoundingMode.HALF_UP);
        List<FeeReport.AccountFees> result = accounts.stream()
                .map(b -> new FeeReport.AccountFees(b.id, b.name, b.schools.size(),
                        fee.multiply(BigDecimal.valueOf(b.schools.size())), List.copyOf(b.schools)))
                .toList();
        int schools = result.stream().mapToInt(FeeReport.AccountFees::schoolCount).sum();
        return new FeeReport(fee, properties.currency(), result, schools, fee.multiply(BigDecimal.valueOf(schools)));
    }

    private static final class Builder {
        final long id;
        final String name;
        final List<FeeReport.BilledSchool> schools = new ArrayList<>();

        Builder(long id, String name) {
            this.id = id;
            this.name = name;
        }
    }
}
