package io.connectaws.declarations;

import static io.connectaws.declarations.DocumentParserTest.json;
import static io.connectaws.declarations.DocumentParserTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DesiredSetTest {
    static final String PG_TEMPLATE = """
            template:
              id: pg
              name: "cdc-{{tenant}}"
              config:
                connector.class: io.debezium.connector.postgresql.PostgresConnector
                database.hostname: "{{host}}"
                database.dbname: "{{tenant}}"
                database.user: cdc
                database.password: "${secretsmanager:tenants/{{tenant}}:password}"
                topic.prefix: "{{prefix}}"
                slot.name: "dbz_{{tenant}}"
                publication.name: "dbz_{{tenant}}"
            """;

    static DesiredSet of(Set<String> existing, Document... docs) {
        return DesiredSet.of(java.util.Arrays.stream(docs).map(DocumentParser::parse).toList(), true, existing);
    }

    @Test
    void templateExpandsOneConnectorPerTenantWithReferencesKept() {
        DesiredSet set = of(Set.of(), yaml("file:t.yaml", PG_TEMPLATE + """
                tenants:
                  - {tenant: acme, host: db1, prefix: acme}
                  - {tenant: globex, host: db1, prefix: globex}
                """));
        assertThat(set.problems()).isEmpty();
        assertThat(set.complete()).isTrue();
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("cdc-acme", "cdc-globex");
        Declaration acme = set.declarations().get(0);
        assertThat(acme.config()).containsEntry("database.password", "${secretsmanager:tenants/acme:password}")
                .containsEntry("slot.name", "dbz_acme").containsEntry("topic.prefix", "acme");
        assertThat(acme.origin().tenant()).isEqualTo("acme");
    }

    @Test
    void collidingTenantsAreRefusedNamingBothAndTheRestApplies() {
        DesiredSet set = of(Set.of(), yaml("file:t.yaml", PG_TEMPLATE + """
                tenants:
                  - {tenant: acme, host: db1, prefix: shared}
                  - {tenant: globex, host: db1, prefix: shared}
                  - {tenant: initech, host: db1, prefix: initech}
                """));
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("cdc-acme", "cdc-initech");
        assertThat(set.problems()).singleElement().satisfies(p -> {
            assertThat(p.connector()).isEqualTo("cdc-globex");
            assertThat(p.key()).isEqualTo("topic.prefix");
            assertThat(p.where()).contains("tenant 'globex'");
            assertThat(p.message()).contains("'shared'").contains("cdc-acme").contains("tenant 'acme'");
        });
        assertThat(set.held()).containsExactly("cdc-globex");
    }

    @Test
    void anExistingConnectorKeepsWhatItClaims() {
        DesiredSet set = of(Set.of("cdc-globex"), yaml("file:t.yaml", PG_TEMPLATE + """
                tenants:
                  - {tenant: acme, host: db1, prefix: shared}
                  - {tenant: globex, host: db1, prefix: shared}
                """));
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("cdc-globex");
        assertThat(set.problems()).singleElement().extracting(Problem::connector).isEqualTo("cdc-acme");
    }

    @Test
    void slotAndServerIdCollisionsOnTheSameDatabaseOrServer() {
        DesiredSet set = of(Set.of(), yaml("file:c.yaml", """
                connectors:
                  - name: a
                    config: {connector.class: io.debezium.connector.postgresql.PostgresConnector, database.hostname: DB,
                             database.dbname: app, topic.prefix: a, slot.name: s, publication.autocreate.mode: disabled}
                  - name: b
                    config: {connector.class: io.debezium.connector.postgresql.PostgresConnector, database.hostname: db,
                             database.port: 5432, database.dbname: app, topic.prefix: b, publication.autocreate.mode: disabled,
                             slot.name: s}
                  - name: c
                    config: {connector.class: io.debezium.connector.postgresql.PostgresConnector, database.hostname: db,
                             database.dbname: other, topic.prefix: c, slot.name: s}
                  - name: m1
                    config: {connector.class: io.debezium.connector.mysql.MySqlConnector, database.hostname: my,
                             database.server.id: 7, topic.prefix: m1}
                  - name: m2
                    config: {connector.class: io.debezium.connector.mariadb.MariaDbConnector, database.hostname: my,
                             database.port: 3306, database.server.id: 7, topic.prefix: m2}
                """));
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("a", "c", "m1");
        assertThat(set.problems()).extracting(Problem::connector, Problem::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple("b", "slot.name"),
                org.assertj.core.groups.Tuple.tuple("m2", "database.server.id"));
    }

    @Test
    void tenantsFromAnotherDocumentAndMissingValues() {
        DesiredSet set = of(Set.of(), yaml("file:t.yaml", PG_TEMPLATE),
                json("ssm:/tenants/acme", "{\"tenantsOf\": \"pg\", \"tenants\": [{\"tenant\": \"acme\", \"host\": \"db\", \"prefix\": \"acme\"}]}"),
                json("ssm:/tenants/globex", "{\"tenantsOf\": \"pg\", \"tenants\": [{\"tenant\": \"globex\", \"host\": \"db\"}]}"),
                json("ssm:/tenants/x", "{\"tenantsOf\": \"nope\", \"tenants\": [{\"tenant\": \"x\"}]}"));
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("cdc-acme");
        assertThat(set.problems()).extracting(Problem::key).containsExactly("tenantsOf", "topic.prefix");
        Problem missing = set.problems().get(1);
        assertThat(missing.where()).isEqualTo("tenant 'globex' (ssm:/tenants/globex, tenants[0], template in file:t.yaml)");
        assertThat(missing.message()).contains("{{prefix}}");
        assertThat(set.held()).containsExactly("cdc-globex");
        assertThat(set.complete()).isFalse(); // tenantsOf an unknown template: its connectors are unknown
    }

    @Test
    void aTenantValueCannotSmuggleInAReference() {
        DesiredSet set = of(Set.of(), yaml("file:t.yaml", PG_TEMPLATE + """
                tenants:
                  - {tenant: evil, host: "${secretsmanager:tenants/acme:password}", prefix: evil}
                """));
        assertThat(set.declarations()).isEmpty();
        assertThat(set.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("host");
            assertThat(p.message()).contains("may not hold a config provider reference");
        });
        assertThat(set.held()).containsExactly("cdc-evil");
    }

    @Test
    void duplicateNamesAcrossDocumentsAndUnreadableDocumentsMakeTheSetIncomplete() {
        DesiredSet set = DesiredSet.of(List.of(
                DocumentParser.parse(json("file:a.json", "{\"name\": \"x\", \"config\": {\"connector.class\": \"C\"}}")),
                DocumentParser.parse(json("file:b.json", "{\"name\": \"x\", \"config\": {\"connector.class\": \"D\"}}")),
                DocumentParser.parse(json("file:c.json", "{oops"))), true, Set.of());
        assertThat(set.declarations()).singleElement().satisfies(d -> assertThat(d.origin().document()).isEqualTo("file:a.json"));
        assertThat(set.problems()).extracting(Problem::where).containsExactly("file:c.json", "file:b.json");
        assertThat(set.complete()).isFalse();
    }

    @Test
    void serverIdIsStableAndDiffersPerTenant() {
        assertThat(Template.serverId("pg", "acme")).isEqualTo(Template.serverId("pg", "acme"))
                .isNotEqualTo(Template.serverId("pg", "globex")).isBetween(1000L, 4_294_967_295L);
    }

    @Test
    void aRefusedTenantWhoseConnectorIsUnknownStopsPurge() {
        DesiredSet set = of(Set.of(), yaml("file:t.yaml", PG_TEMPLATE),
                json("ssm:/tenants/acme", "{\"tenantsOf\": \"pg\", \"tenants\": [{\"tenant\": \"acme\", \"host\": \"db\", \"prefix\": \"acme\"}]}"),
                json("ssm:/tenants/globex", "{\"tenantsOf\": \"pg\", \"tenants\": [{\"tenant\": \"globex\", \"host name\": \"b\"}]}"));
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("cdc-acme");
        assertThat(set.complete()).as("globex's connector cannot be named: nothing may be purged").isFalse();
    }

    @Test
    void expansionProblemsNameTheConnector() {
        DesiredSet set = of(Set.of(), yaml("file:t.yaml", PG_TEMPLATE + "tenants: [{tenant: acme, host: db}]\n"));
        assertThat(set.problems()).singleElement().satisfies(p -> {
            assertThat(p.connector()).isEqualTo("cdc-acme");
            assertThat(p.key()).isEqualTo("topic.prefix");
        });
        assertThat(set.held()).containsExactly("cdc-acme");
        assertThat(set.complete()).isTrue();
    }

    @Test
    void connectorsWithTheirOwnSlotsMayShareAnAllTablesPublication() {
        DesiredSet set = of(Set.of(), yaml("file:c.yaml", """
                connectors:
                  - name: a
                    config: {connector.class: io.debezium.connector.postgresql.PostgresConnector, database.hostname: db,
                             database.dbname: app, topic.prefix: a, slot.name: a}
                  - name: b
                    config: {connector.class: io.debezium.connector.postgresql.PostgresConnector, database.hostname: db,
                             database.dbname: app, topic.prefix: b, slot.name: b}
                  - name: c
                    config: {connector.class: io.debezium.connector.postgresql.PostgresConnector, database.hostname: db,
                             database.dbname: app, topic.prefix: c, slot.name: c, publication.autocreate.mode: filtered}
                  - name: d
                    config: {connector.class: io.debezium.connector.postgresql.PostgresConnector, database.hostname: db,
                             database.dbname: app, topic.prefix: d, slot.name: d, publication.autocreate.mode: filtered}
                """));
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("a", "b", "c");
        assertThat(set.problems()).singleElement().extracting(Problem::key).isEqualTo("publication.name");
    }

    @Test
    void debezium1NamesAreAppliedAsTheirNewNamesAndCollideAsSuch() {
        DesiredSet set = of(Set.of(), yaml("file:legacy.yaml", """
                connectors:
                  - name: legacy
                    config:
                      connector.class: io.debezium.connector.mysql.MySqlConnector
                      database.server.name: shop
                      database.history.kafka.topic: shop.history
                  - name: current
                    config:
                      connector.class: io.debezium.connector.mariadb.MariaDbConnector
                      topic.prefix: shop
                  - name: contradictory
                    config:
                      connector.class: io.debezium.connector.mysql.MySqlConnector
                      database.server.name: a
                      topic.prefix: b
                """));
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("legacy");
        assertThat(set.declarations().get(0).appliedConfig()).containsEntry("topic.prefix", "shop")
                .containsEntry("schema.history.internal.kafka.topic", "shop.history")
                .doesNotContainKeys("database.server.name", "database.history.kafka.topic");
        assertThat(set.problems()).extracting(Problem::connector).containsExactlyInAnyOrder("current", "contradictory");
        assertThat(set.problems()).anySatisfy(p -> assertThat(p.message()).contains("remove database.server.name"));
    }
}
