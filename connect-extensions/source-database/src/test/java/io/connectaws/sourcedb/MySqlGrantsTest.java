package io.connectaws.sourcedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.connectaws.sourcedb.MySqlGrants.Need;

class MySqlGrantsTest {

    @Test
    void mariadbShowsReplicationClientAsBinlogMonitor() {
        MySqlGrants g = MySqlGrants.parse(List.of("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG "
                + "MONITOR ON *.* TO `cdc`@`%` IDENTIFIED BY PASSWORD '*B69027D44F6E5EDC07F1AEAD1477967B16F28227'"), true);
        assertThat(g.global(Need.REPLICATION_SLAVE)).isTrue();
        assertThat(g.global(Need.REPLICATION_CLIENT)).isTrue();
        assertThat(g.global(Need.RELOAD)).isTrue();
        assertThat(g.onTable(Need.SELECT, "inventory", "customers")).isTrue();
        assertThat(g.global(Need.LOCK_TABLES)).isFalse();
    }

    @Test
    void replicaMonitorIsNotReplicationClientButTheReplicaSpellingOfSlaveIs() {
        MySqlGrants g = MySqlGrants.parse(List.of("GRANT REPLICATION REPLICA, REPLICA MONITOR ON *.* TO `cdc`@`%`"), true);
        assertThat(g.global(Need.REPLICATION_SLAVE)).isTrue();
        assertThat(g.global(Need.REPLICATION_CLIENT)).as("REPLICA MONITOR allows SHOW REPLICA STATUS only").isFalse();
        assertThat(MySqlGrants.parse(List.of("GRANT SLAVE MONITOR ON *.* TO `cdc`@`%`"), true)
                .global(Need.REPLICATION_CLIENT)).isFalse();
    }

    @Test
    void allPrivilegesOnEverythingCoversEveryNeed() {
        MySqlGrants g = MySqlGrants.parse(List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`%` WITH GRANT OPTION"), false);
        for (Need need : Need.values()) {
            assertThat(g.global(need)).as("%s", need).isTrue();
        }
    }

    @Test
    void superCoversReplicationClientOnMysqlOnly() {
        List<String> lines = List.of("GRANT SUPER ON *.* TO `cdc`@`%`");
        assertThat(MySqlGrants.parse(lines, false).global(Need.REPLICATION_CLIENT)).isTrue();
        assertThat(MySqlGrants.parse(lines, true).global(Need.REPLICATION_CLIENT)).isFalse();
    }

    @Test
    void mysql8LinesWithDynamicPrivilegesAndRoleGrantsAreRead() {
        MySqlGrants g = MySqlGrants.parse(List.of(
                "GRANT USAGE ON *.* TO `cdc`@`%`",
                "GRANT BACKUP_ADMIN,REPLICATION_SLAVE_ADMIN ON *.* TO `cdc`@`%`",
                "GRANT `debezium_role`@`%` TO `cdc`@`%`",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `debezium_role`@`%`"), false);
        assertThat(g.global(Need.REPLICATION_SLAVE)).isTrue();
        assertThat(g.global(Need.REPLICATION_CLIENT)).isTrue();
        assertThat(g.global(Need.SELECT)).isFalse();
    }

    @Test
    void databaseGrantsMatchLikePatternsAndEscapedUnderscores() {
        MySqlGrants g = MySqlGrants.parse(List.of(
                "GRANT SELECT, LOCK TABLES ON `inv%`.* TO `cdc`@`%`",
                "GRANT SELECT ON `app\\_db`.* TO `cdc`@`%`",
                "GRANT SELECT ON `shop`.`orders` TO `cdc`@`%`",
                "GRANT SELECT (`id`, `name`) ON `shop`.`customers` TO `cdc`@`%`",
                "GRANT EXECUTE ON PROCEDURE `shop`.`p` TO `cdc`@`%`",
                "SET DEFAULT ROLE `r` FOR `cdc`@`%`"), true);
        assertThat(g.onDatabase(Need.SELECT, "inventory")).isTrue();
        assertThat(g.onDatabase(Need.LOCK_TABLES, "Inventory2")).isTrue();
        assertThat(g.onDatabase(Need.SELECT, "app_db")).isTrue();
        assertThat(g.onDatabase(Need.SELECT, "appxdb")).as("an escaped _ is a plain underscore").isFalse();
        assertThat(g.onTable(Need.SELECT, "shop", "orders")).isTrue();
        assertThat(g.onTable(Need.SELECT, "shop", "customers")).as("a column grant does not read the whole row").isFalse();
        assertThat(g.onDatabase(Need.SELECT, "shop")).isFalse();
    }

    @Test
    void quotedObjectNamesAreUnquoted() {
        assertThat(MySqlGrants.splitObject("`my.db`.`odd``name`")).containsExactly("my.db", "odd`name");
        assertThat(MySqlGrants.splitObject("*.*")).containsExactly("*", "*");
        assertThat(MySqlGrants.privileges("SELECT (a, b), INSERT, lock tables")).containsExactlyInAnyOrder("INSERT",
                "LOCK TABLES");
    }
}
