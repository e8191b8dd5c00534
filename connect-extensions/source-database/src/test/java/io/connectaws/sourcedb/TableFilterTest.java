package io.connectaws.sourcedb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Debezium's include/exclude lists as the pre-flight reads them. */
class TableFilterTest {

    private static TableFilter filter(Map<String, String> config) {
        return TableFilter.of(new Candidate("c", config, null), "schema");
    }

    @Test
    void noListCapturesEverything() {
        assertThat(filter(Map.of()).captures("public", "orders")).isTrue();
    }

    @Test
    void anIncludeListMatchesWholeQualifiedNamesCaseInsensitively() {
        TableFilter f = filter(Map.of("table.include.list", "public.orders, inventory\\.item.*"));
        assertThat(f.captures("public", "orders")).isTrue();
        assertThat(f.captures("PUBLIC", "Orders")).isTrue();
        assertThat(f.captures("public", "orders_archive")).as("whole name, not a prefix").isFalse();
        assertThat(f.captures("inventory", "items")).isTrue();
        assertThat(f.captures("public", "customers")).isFalse();
    }

    @Test
    void excludeListsAndSchemaListsCombine() {
        TableFilter f = filter(Map.of("schema.include.list", "app", "table.exclude.list", "app\\.audit_.*"));
        assertThat(f.captures("app", "orders")).isTrue();
        assertThat(f.captures("app", "audit_log")).isFalse();
        assertThat(f.captures("public", "orders")).isFalse();
    }

    @Test
    void commasInsideQuantifiersDoNotSplit() {
        assertThat(TableFilter.patterns("public.t_[0-9]{1,3},public.x")).hasSize(2);
        assertThat(filter(Map.of("table.include.list", "public.t_[0-9]{1,3}")).captures("public", "t_12")).isTrue();
    }

    @Test
    void theDatabaseLevelOfBinlogConnectorsUsesItsOwnKeys() {
        TableFilter f = TableFilter.of(new Candidate("c", Map.of("database.include.list", "shop"), null), "database");
        assertThat(f.captures("shop", "orders")).isTrue();
        assertThat(f.captures("mysql", "user")).isFalse();
    }
}
