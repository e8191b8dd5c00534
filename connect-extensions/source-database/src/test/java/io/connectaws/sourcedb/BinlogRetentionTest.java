package io.connectaws.sourcedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BinlogRetentionTest {

    @Test
    void expireSecondsWinsOverDaysAndZeroMeansNeverPurged() {
        assertThat(BinlogRetention.selfManaged("2592000", "0").retention()).contains(Duration.ofDays(30));
        assertThat(BinlogRetention.selfManaged("0", "1.000000").retention()).contains(Duration.ofDays(1));
        assertThat(BinlogRetention.selfManaged("0", "0").retention()).isEmpty();
        assertThat(BinlogRetention.selfManaged("0", "0").enough()).isTrue();
        assertThat(BinlogRetention.selfManaged(null, null).enough()).isTrue();
    }

    @Test
    void aDayIsEnoughLessIsAWarningWithTheSetting() {
        assertThat(BinlogRetention.selfManaged("86400", "1").warning(BinlogPlatform.SELF_MANAGED, false)).isEmpty();
        assertThat(BinlogRetention.selfManaged("3600", "0").warning(BinlogPlatform.SELF_MANAGED, false)).hasValueSatisfying(w ->
                assertThat(w).contains("binlog_expire_logs_seconds=3600 (1 hours)").contains("at least 24 hours")
                        .contains("SET PERSIST binlog_expire_logs_seconds = 86400;"));
        assertThat(BinlogRetention.selfManaged("0", "0.5").warning(BinlogPlatform.SELF_MANAGED, true)).hasValueSatisfying(w ->
                assertThat(w).contains("expire_logs_days=0.5").contains("SET GLOBAL binlog_expire_logs_seconds = 86400;"));
    }

    @Test
    void rdsNullRetentionIsTheClassicTrapAndNamesTheProcedure() {
        BinlogRetention nothing = BinlogRetention.rds(null);
        assertThat(nothing.enough()).isFalse();
        assertThat(nothing.warning(BinlogPlatform.RDS, false)).hasValueSatisfying(w -> assertThat(w)
                .contains("binlog retention hours=NULL").contains("Amazon RDS for MySQL purge binlogs as soon as possible")
                .contains("CALL mysql.rds_set_configuration('binlog retention hours', 24);").contains("up to 168"));
        assertThat(BinlogRetention.rds("12").warning(BinlogPlatform.AURORA, false)).hasValueSatisfying(w -> assertThat(w)
                .contains("binlog retention hours=12 (12 hours)").contains("Aurora MySQL allows up to 2160"));
        assertThat(BinlogRetention.rds("24").enough()).isTrue();
    }
}
