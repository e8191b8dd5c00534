package io.connectaws.sourcedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BinlogCheckTest {

    static final List<String> ALL_GRANTS = List.of(
            "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `cdc`@`%`");

    static Candidate candidate(String connectorClass, String... extra) {
        Map<String, String> config = new HashMap<>(Map.of("connector.class", connectorClass,
                "database.hostname", "db", "database.user", "cdc", "database.password", "s3cret-pw",
                "database.include.list", "inventory"));
        for (int i = 0; i < extra.length; i += 2) {
            config.put(extra[i], extra[i + 1]);
        }
        return new Candidate("c", config, null);
    }

    static Map<String, String> ready(String... overrides) {
        Map<String, String> v = new HashMap<>(Map.of("log_bin", "ON", "binlog_format", "ROW", "binlog_row_image",
                "FULL", "gtid_mode", "OFF", "binlog_expire_logs_seconds", "2592000", "basedir", "/usr/"));
        for (int i = 0; i < overrides.length; i += 2) {
            v.put(overrides[i], overrides[i + 1]);
        }
        return v;
    }

    static BinlogServer server(boolean mariadb, BinlogPlatform platform, Map<String, String> variables,
                               List<String> grants) {
        BinlogRetention retention = platform.managed() ? BinlogRetention.rds("24")
                : BinlogRetention.selfManaged(variables.get("binlog_expire_logs_seconds"), variables.get("expire_logs_days"));
        return new BinlogServer(mariadb, platform, variables, retention, null, "cdc@%", MySqlGrants.parse(grants, mariadb),
                List.of("inventory", "other"), List.of("inventory.customers", "other.things"));
    }

    @Test
    void aReadyServerHasNoFinding() {
        assertThat(BinlogCheck.findings(candidate(BinlogCheck.MARIADB), server(true, BinlogPlatform.SELF_MANAGED,
                ready(), ALL_GRANTS))).isEmpty();
    }

    @Test
    void statementFormatNamesSettingValueNeedAndFixPerPlatform() {
        Candidate c = candidate(BinlogCheck.MYSQL);
        Finding self = BinlogCheck.findings(c, server(false, BinlogPlatform.SELF_MANAGED, ready("binlog_format",
                "STATEMENT"), ALL_GRANTS)).get(0);
        assertThat(self.blocking()).isTrue();
        assertThat(self.key()).isEqualTo("database.hostname");
        assertThat(self.message()).contains("binlog_format is 'STATEMENT'").contains("so it must be 'ROW'")
                .contains("SET GLOBAL binlog_format = 'ROW';").contains("DB parameter group");
        assertThat(BinlogCheck.findings(c, server(false, BinlogPlatform.RDS, ready("binlog_format", "MIXED"), ALL_GRANTS))
                .get(0).message()).contains("binlog_format is 'MIXED'").contains("instance's DB parameter group")
                .contains("no reboot needed").doesNotContain("SET GLOBAL");
        assertThat(BinlogCheck.findings(c, server(false, BinlogPlatform.AURORA, ready("binlog_format", "MIXED"),
                ALL_GRANTS)).get(0).message()).contains("DB cluster parameter group").contains("reboot the writer");
    }

    @Test
    void minimalRowImageAndPartialJsonAreRefused() {
        List<Finding> f = BinlogCheck.findings(candidate(BinlogCheck.MYSQL), server(false, BinlogPlatform.SELF_MANAGED,
                ready("binlog_row_image", "MINIMAL", "binlog_row_value_options", "PARTIAL_JSON"), ALL_GRANTS));
        assertThat(f).extracting(Finding::message).anySatisfy(m -> assertThat(m).contains("binlog_row_image is 'MINIMAL'")
                .contains("so it must be 'FULL'").contains("SET GLOBAL binlog_row_image = 'FULL';"))
                .anySatisfy(m -> assertThat(m).contains("binlog_row_value_options is 'PARTIAL_JSON'"));
    }

    @Test
    void binaryLoggingOffOnRdsNamesTheBackupRetention() {
        Finding f = BinlogCheck.findings(candidate(BinlogCheck.MYSQL), server(false, BinlogPlatform.RDS,
                ready("log_bin", "OFF"), ALL_GRANTS)).get(0);
        assertThat(f.message()).contains("log_bin is 'OFF' on Amazon RDS for MySQL").contains("backup retention period");
        assertThat(BinlogCheck.findings(candidate(BinlogCheck.MYSQL), server(false, BinlogPlatform.SELF_MANAGED,
                ready("log_bin", "OFF"), ALL_GRANTS)).get(0).message()).contains("log_bin = mysql-bin").contains("restart");
    }

    @Test
    void gtidFiltersNeedGtidModeOnMysqlOnly() {
        List<Finding> f = BinlogCheck.findings(candidate(BinlogCheck.MYSQL, "gtid.source.includes", "3e11fa47-.*"),
                server(false, BinlogPlatform.SELF_MANAGED, ready(), ALL_GRANTS));
        assertThat(f).singleElement().satisfies(g -> {
            assertThat(g.key()).isEqualTo("gtid.source.includes");
            assertThat(g.message()).contains("gtid_mode is 'OFF'").contains("'ON'").contains("enforce_gtid_consistency");
        });
        assertThat(BinlogCheck.findings(candidate(BinlogCheck.MYSQL), server(false, BinlogPlatform.SELF_MANAGED, ready(),
                ALL_GRANTS))).as("no GTID filter, no GTID need").isEmpty();
        assertThat(BinlogCheck.findings(candidate(BinlogCheck.MARIADB, "gtid.source.includes", "0-1-.*"),
                server(true, BinlogPlatform.SELF_MANAGED, ready("gtid_mode", ""), ALL_GRANTS))).isEmpty();
    }

    @Test
    void aShortRetentionIsAWarningNotARefusal() {
        List<Finding> f = BinlogCheck.findings(candidate(BinlogCheck.MYSQL), new BinlogServer(false, BinlogPlatform.RDS,
                ready(), BinlogRetention.rds(null), null, "cdc@%", MySqlGrants.parse(ALL_GRANTS.subList(0, 1), false),
                List.of("inventory"), List.of("inventory.customers")));
        assertThat(f).anySatisfy(w -> {
            assertThat(w.blocking()).isFalse();
            assertThat(w.message()).contains("binlog retention hours=NULL")
                    .contains("CALL mysql.rds_set_configuration('binlog retention hours', 24);");
        });
        List<Finding> unread = BinlogCheck.findings(candidate(BinlogCheck.MYSQL), new BinlogServer(false,
                BinlogPlatform.AURORA, ready(), null, "SQLSTATE 42000: denied", "cdc@%", MySqlGrants.parse(List.of(
                "GRANT ALL PRIVILEGES ON *.* TO `cdc`@`%`"), false), List.of(), List.of()));
        assertThat(unread).singleElement().satisfies(w -> assertThat(w.blocking()).isFalse());
    }

    @Test
    void missingReplicationGrantsNameTheGrantStatementButNeverThePassword() {
        List<Finding> f = BinlogCheck.findings(candidate(BinlogCheck.MARIADB), server(true, BinlogPlatform.SELF_MANAGED,
                ready(), List.of("GRANT SELECT, RELOAD ON *.* TO `cdc`@`%` IDENTIFIED BY PASSWORD '*ABC'")));
        assertThat(f).singleElement().satisfies(g -> {
            assertThat(g.key()).isEqualTo("database.user");
            assertThat(g.message()).contains("user 'cdc'@'%' lacks REPLICATION SLAVE and REPLICATION CLIENT")
                    .contains("BINLOG MONITOR").contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'cdc'@'%';")
                    .doesNotContain("s3cret-pw").doesNotContain("*ABC");
        });
    }

    @Test
    void rdsSnapshotsNeedLockTablesOnTheCapturedDatabases() {
        List<String> grants = List.of("GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `cdc`@`%`");
        List<Finding> f = BinlogCheck.findings(candidate(BinlogCheck.MYSQL), server(false, BinlogPlatform.RDS, ready(),
                grants));
        assertThat(f).singleElement().satisfies(l -> {
            assertThat(l.key()).isEqualTo("snapshot.locking.mode");
            assertThat(l.message()).contains("refuses the global read lock").contains("GRANT LOCK TABLES ON `inventory`.* "
                    + "TO 'cdc'@'%';").contains("snapshot.locking.mode=none");
        });
        assertThat(BinlogCheck.findings(candidate(BinlogCheck.MYSQL), server(false, BinlogPlatform.SELF_MANAGED, ready(),
                grants))).as("RELOAD takes the global read lock").isEmpty();
        assertThat(BinlogCheck.findings(candidate(BinlogCheck.MYSQL, "snapshot.locking.mode", "none"),
                server(false, BinlogPlatform.RDS, ready(), grants))).isEmpty();
    }

    @Test
    void theSnapshotNeedsSelectOnTheCapturedTablesOnly() {
        List<String> grants = List.of("GRANT RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `cdc`@`%`",
                "GRANT SELECT ON `other`.* TO `cdc`@`%`");
        List<Finding> f = BinlogCheck.findings(candidate(BinlogCheck.MYSQL), server(false, BinlogPlatform.SELF_MANAGED,
                ready(), grants));
        assertThat(f).singleElement().satisfies(s -> assertThat(s.message())
                .contains("the snapshot reads `inventory`.`customers`").contains("GRANT SELECT ON `inventory`.* TO 'cdc'@'%';"));
        assertThat(BinlogCheck.findings(candidate(BinlogCheck.MYSQL, "snapshot.mode", "no_data"),
                server(false, BinlogPlatform.SELF_MANAGED, ready(), grants))).isEmpty();
    }

    @Test
    void capturedDatabasesComeFromTheFiltersAndTheNamesTheyList() {
        BinlogServer server = server(false, BinlogPlatform.SELF_MANAGED, ready(), ALL_GRANTS);
        assertThat(BinlogCheck.capturedDatabases(candidate(BinlogCheck.MYSQL), server)).containsExactly("inventory");
        Candidate byTable = new Candidate("c", Map.of("table.include.list", "other\\.things,hidden.t,inv.*\\.x"), null);
        assertThat(BinlogCheck.capturedDatabases(byTable, server)).containsExactly("other", "hidden");
        assertThat(BinlogCheck.named("a, b.*, mysql", false)).containsExactly("a", "mysql");
    }

    @Test
    void theConnectionUsesTheConnectorsTlsModeAndKeepsThePasswordOutOfTheUrl() {
        Candidate c = candidate(BinlogCheck.MYSQL, "database.port", "3307", "database.ssl.mode", "verify_identity",
                "driver.allowPublicKeyRetrieval", "true");
        assertThat(BinlogCheck.url(c, false)).isEqualTo("jdbc:mysql://db:3307/").doesNotContain("s3cret-pw");
        assertThat(BinlogCheck.properties(c, false)).containsEntry("sslMode", "VERIFY_IDENTITY")
                .containsEntry("password", "s3cret-pw").containsEntry("allowPublicKeyRetrieval", "true");
        Candidate m = candidate(BinlogCheck.MARIADB, "database.ssl.mode", "verify_ca");
        assertThat(BinlogCheck.url(m, true)).isEqualTo("jdbc:mariadb://db:3306/");
        assertThat(BinlogCheck.properties(m, true)).containsEntry("sslMode", "verify-ca");
        assertThat(BinlogCheck.properties(candidate(BinlogCheck.MARIADB), true)).containsEntry("sslMode", "disable");
    }

    @Test
    void rdsAndAuroraAreRecognisedFromTheirVariables() {
        assertThat(BinlogPlatform.of(Map.of("basedir", "/rdsdbbin/mysql-8.0.36.R2/"), false)).isEqualTo(BinlogPlatform.RDS);
        assertThat(BinlogPlatform.of(Map.of("basedir", "/rdsdbbin/oscar-8.0/", "aurora_version", "3.05.2"), true))
                .isEqualTo(BinlogPlatform.AURORA);
        assertThat(BinlogPlatform.of(Map.of("basedir", "/usr/"), true)).isEqualTo(BinlogPlatform.RDS);
        assertThat(BinlogPlatform.of(Map.of("basedir", "/usr/"), false)).isEqualTo(BinlogPlatform.SELF_MANAGED);
    }
}
