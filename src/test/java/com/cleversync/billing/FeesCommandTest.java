package com.cleversync.billing;

import com.cleversync.ops.OpsFixtures;
import com.cleversync.ops.OpsFixtures.Run;
import com.cleversync.support.DatabaseTest;
import com.cleversync.system.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Fees count attached schools only, per account, at the configured fee. */
@TestPropertySource(properties = "clever-sync.billing.annual-fee-per-school=199.50")
class FeesCommandTest extends DatabaseTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    FeeService fees;

    long acme;
    long other;
    long empty;

    @BeforeEach
    void data() {
        OpsFixtures data = new OpsFixtures(jdbc);
        acme = data.account("Acme");
        other = data.account("Other");
        empty = data.account("Empty");
        data.school(acme, "5f0000000000000000000001", "Lincoln Elementary", false);
        data.school(acme, "5f0000000000000000000002", "Adams Middle", false);
        data.school(acme, "5f0000000000000000000003", "Closed High", true);
        data.school(other, "5f0000000000000000000004", "Other School", false);
    }

    @Test
    void feesPerAccountAndTotal() {
        FeeReport report = fees.fees(null);
        assertThat(report.annualFeePerSchool()).isEqualByComparingTo("199.50");
        assertThat(report.accounts()).extracting(FeeReport.AccountFees::accountId).containsExactly(acme, other);
        FeeReport.AccountFees a = report.accounts().getFirst();
        assertThat(a.schoolCount()).isEqualTo(2);
        assertThat(a.amount()).isEqualByComparingTo(new BigDecimal("399.00"));
        assertThat(a.schools()).extracting(FeeReport.BilledSchool::name).containsExactly("Adams Middle", "Lincoln Elementary");
        assertThat(report.schools()).isEqualTo(3);
        assertThat(report.total()).isEqualByComparingTo("598.50");

        FeeReport none = fees.fees(empty);
        assertThat(none.accounts()).singleElement().satisfies(e -> assertThat(e.schoolCount()).isZero());
        assertThat(none.total()).isEqualByComparingTo("0");
    }

    @Test
    void commandPrintsSchoolsAndTotal() {
        Run r = OpsFixtures.run(context, "fees", "--account", String.valueOf(acme));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("199.50 USD", "2 school(s) x 199.50 = 399.00 USD", "Lincoln Elementary", "Adams Middle",
                "total: 2 school(s), 399.00 USD").doesNotContain("Closed High", "Other School");

        Run all = OpsFixtures.run(context, "fees");
        assertThat(all.out()).contains("total: 3 school(s), 598.50 USD", "Other School");
    }

    @Test
    void badAccountIsExitTwo() {
        for (String bad : new String[] {"0", "abc", "987654"}) {
            Run r = OpsFixtures.run(context, "fees", "--account", bad);
            assertThat(r.code()).as(bad).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
    }
}
