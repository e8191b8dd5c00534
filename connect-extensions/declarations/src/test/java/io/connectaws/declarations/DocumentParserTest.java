package io.connectaws.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DocumentParserTest {

    static Document yaml(String id, String text) {
        return Document.standalone(id, id.replaceFirst(".*/", "").replaceFirst("\\..*", ""), text, true);
    }

    static Document json(String id, String text) {
        return Document.standalone(id, id.replaceFirst(".*/", "").replaceFirst("\\..*", ""), text, false);
    }

    @Test
    void connectorInThePostBodyShapeWithState() {
        DocumentParser.Parsed p = DocumentParser.parse(json("file:orders.json", """
                {"name": "orders", "state": "PAUSED",
                 "config": {"connector.class": "io.debezium.connector.postgresql.PostgresConnector", "tasks.max": 1,
                            "snapshot.enabled": true, "database.password": "${secretsmanager:orders:password}"}}"""));
        assertThat(p.problems()).isEmpty();
        Declaration d = p.connectors().get(0);
        assertThat(d.name()).isEqualTo("orders");
        assertThat(d.state()).isEqualTo(DesiredState.PAUSED);
        assertThat(d.config()).containsEntry("tasks.max", "1").containsEntry("snapshot.enabled", "true")
                .containsEntry("database.password", "${secretsmanager:orders:password}");
        assertThat(d.origin().document()).isEqualTo("file:orders.json");
    }

    @Test
    void bareConfigTakesItsNameFromTheKeyOrTheDocument() {
        DocumentParser.Parsed named = DocumentParser.parse(yaml("file:/c/x.yaml", """
                name: inventory
                connector.class: org.apache.kafka.connect.file.FileStreamSourceConnector
                """));
        assertThat(named.connectors()).extracting(Declaration::name).containsExactly("inventory");
        assertThat(named.connectors().get(0).config()).doesNotContainKey("name");
        DocumentParser.Parsed stem = DocumentParser.parse(yaml("file:/c/billing.yaml",
                "connector.class: org.apache.kafka.connect.file.FileStreamSourceConnector\n"));
        assertThat(stem.connectors()).extracting(Declaration::name).containsExactly("billing");
        assertThat(stem.connectors().get(0).state()).isEqualTo(DesiredState.RUNNING);
    }

    @Test
    void manyConnectorsPerDocument() {
        DocumentParser.Parsed multi = DocumentParser.parse(yaml("file:two.yaml", """
                name: a
                config: {connector.class: C}
                ---
                name: b
                state: stopped
                config: {connector.class: C}
                ---
                """));
        assertThat(multi.problems()).isEmpty();
        assertThat(multi.connectors()).extracting(Declaration::name).containsExactly("a", "b");
        DocumentParser.Parsed list = DocumentParser.parse(json("file:l.json",
                "{\"connectors\": [{\"name\": \"a\", \"config\": {\"connector.class\": \"C\"}},"
                        + " {\"name\": \"b\", \"initial_state\": \"paused\", \"config\": {\"connector.class\": \"C\"}}]}"));
        assertThat(list.connectors()).extracting(Declaration::state).containsExactly(DesiredState.RUNNING, DesiredState.PAUSED);
        DocumentParser.Parsed array = DocumentParser.parse(json("file:a.json",
                "[{\"name\": \"a\", \"config\": {\"connector.class\": \"C\"}}, {\"name\": \"b\", \"config\": {\"connector.class\": \"C\"}}]"));
        assertThat(array.connectors()).hasSize(2);
    }

    @Test
    void badSyntaxNamesTheDocumentAndLineAndMarksItUnreadable() {
        DocumentParser.Parsed p = DocumentParser.parse(yaml("file:/c/broken.yaml", """
                name: a
                config:
                  connector.class: C
                 database.password: hunter2-literal
                """));
        assertThat(p.unreadable()).isTrue();
        assertThat(p.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.where()).isEqualTo("file:/c/broken.yaml");
            assertThat(pr.message()).startsWith("not valid YAML").contains("line 4");
        });
        assertThat(p.problems().toString()).doesNotContain("hunter2");
        DocumentParser.Parsed j = DocumentParser.parse(json("file:j.json", "{\"name\": \"a\", \"config\": {\"p\": secretvalue}}"));
        assertThat(j.problems().get(0).message()).contains("line 1").doesNotContain("secretvalue");
    }

    @Test
    void eachMistakeNamesItsKeyAndTheOthersStillCount() {
        DocumentParser.Parsed p = DocumentParser.parse(yaml("file:m.yaml", """
                connectors:
                  - name: good
                    config: {connector.class: C}
                  - name: no-class
                    config: {tasks.max: 1}
                  - name: bad-state
                    state: sleeping
                    config: {connector.class: C}
                  - name: nested
                    config: {connector.class: C, table.include.list: [a, b]}
                  - name: typo
                    confg: {connector.class: C}
                    config: {connector.class: C}
                  - name: marker
                    config: {connector.class: C, connect.aws.declaration: x}
                """));
        assertThat(p.connectors()).extracting(Declaration::name).containsExactly("good");
        assertThat(p.problems()).extracting(Problem::connector, Problem::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple("no-class", "connector.class"),
                org.assertj.core.groups.Tuple.tuple("bad-state", "state"),
                org.assertj.core.groups.Tuple.tuple("nested", "table.include.list"),
                org.assertj.core.groups.Tuple.tuple("typo", "confg"),
                org.assertj.core.groups.Tuple.tuple("marker", Declaration.MARKER));
        assertThat(p.problems().get(2).message()).contains("comma-separated");
        assertThat(p.unreadable()).isFalse();
    }

    @Test
    void templateWithInlineTenants() {
        DocumentParser.Parsed p = DocumentParser.parse(yaml("file:t.yaml", """
                template:
                  id: pg
                  name: "cdc-{{tenant}}"
                  config: {connector.class: C, database.hostname: "{{host}}"}
                tenants:
                  - {tenant: acme, host: db-acme}
                  - {tenant: globex, host: db-globex, port: 5433}
                """));
        assertThat(p.problems()).isEmpty();
        assertThat(p.templates()).singleElement().satisfies(t -> {
            assertThat(t.template().id()).isEqualTo("pg");
            assertThat(t.tenants()).extracting(Tenant::id).containsExactly("acme", "globex");
            assertThat(t.tenants().get(1).values()).containsEntry("port", "5433").doesNotContainKey("tenant");
        });
    }

    @Test
    void tenantListsFromCsvAndYamlFilesBesideTheTemplate() {
        String template = """
                template: {name: "cdc-{{tenant}}", config: {connector.class: C, database.hostname: "{{host}}"}}
                tenants: %s
                """;
        Map<String, String> files = Map.of(
                "tenants.csv", "# tenant list\ntenant,host\nacme, db-acme\n\n\"globex\",\"db,globex\"\n",
                "tenants.yaml", "tenants:\n  - {tenant: initech, host: db-initech}\n");
        java.util.function.Function<String, Optional<Document>> sibling = rel -> Optional.ofNullable(files.get(rel))
                .map(text -> new Document("file:/c/" + rel, rel, text, true, r -> Optional.empty()));
        DocumentParser.Parsed csv = DocumentParser.parse(new Document("file:/c/t.yaml", "t",
                template.formatted("tenants.csv"), true, sibling));
        assertThat(csv.problems()).isEmpty();
        List<Tenant> tenants = csv.templates().get(0).tenants();
        assertThat(tenants).extracting(Tenant::id).containsExactly("acme", "globex");
        assertThat(tenants.get(1).values()).containsEntry("host", "db,globex");
        assertThat(tenants.get(0).listedIn()).isEqualTo("file:/c/tenants.csv line 3");
        DocumentParser.Parsed yamlList = DocumentParser.parse(new Document("file:/c/t.yaml", "t",
                template.formatted("tenants.yaml"), true, sibling));
        assertThat(yamlList.templates().get(0).tenants()).extracting(Tenant::id).containsExactly("initech");
        DocumentParser.Parsed missing = DocumentParser.parse(new Document("file:/c/t.yaml", "t",
                template.formatted("../etc/passwd"), true, sibling));
        assertThat(missing.unreadable()).isTrue();
        assertThat(missing.problems()).singleElement().extracting(Problem::key).isEqualTo("tenants");
    }

    @Test
    void tenantsNeedAValidIdAndTemplatesAPlaceholderInTheName() {
        DocumentParser.Parsed p = DocumentParser.parse(yaml("file:t.yaml", """
                template: {name: "cdc", config: {connector.class: C}}
                tenants: [{tenant: "a b"}]
                """));
        assertThat(p.problems()).extracting(Problem::key).containsExactly("template.name", "tenant");
        assertThat(p.unreadable()).isTrue();
    }

    @Test
    void tenantsOfATemplateDeclaredElsewhere() {
        DocumentParser.Parsed p = DocumentParser.parse(json("ssm:/connect/tenants/acme",
                "{\"tenantsOf\": \"pg\", \"tenants\": [{\"tenant\": \"acme\", \"host\": \"db\"}]}"));
        assertThat(p.tenantsFor()).singleElement().satisfies(t -> {
            assertThat(t.templateId()).isEqualTo("pg");
            assertThat(t.tenants()).extracting(Tenant::id).containsExactly("acme");
        });
    }

    @Test
    void twoObjectsInOneJsonFileAreAnErrorNotASilentDrop() {
        DocumentParser.Parsed p = DocumentParser.parse(json("file:two.json",
                "{\"name\": \"a\", \"config\": {\"connector.class\": \"C\"}}\n{\"name\": \"b\", \"config\": {\"connector.class\": \"C\"}}"));
        assertThat(p.unreadable()).isTrue();
        assertThat(p.connectors()).isEmpty();
    }

    @Test
    void yamlValuesStayAsWritten() {
        DocumentParser.Parsed p = DocumentParser.parse(yaml("file:v.yaml", """
                name: v
                config: {connector.class: C, a: off, b: yes, c: 1.50, d: true, e: 5432}
                """));
        assertThat(p.connectors().get(0).config()).containsEntry("a", "off").containsEntry("b", "yes")
                .containsEntry("c", "1.50").containsEntry("d", "true").containsEntry("e", "5432");
    }

    @Test
    void stateAndInitialStateTogetherAreRefused() {
        DocumentParser.Parsed p = DocumentParser.parse(yaml("file:s.yaml",
                "name: s\nstate: running\ninitial_state: paused\nconfig: {connector.class: C}\n"));
        assertThat(p.connectors()).isEmpty();
        assertThat(p.problems()).singleElement().extracting(Problem::key).isEqualTo("initial_state");
    }

    @Test
    void mistakesThatHideWhichConnectorsADocumentDeclaresMakeItUnreadable() {
        assertThat(DocumentParser.parse(yaml("file:t.yaml",
                "template: {id: pg, name: \"t-{{tenant}}\", config: {connector.class: C}}\ntenant: list.csv\n")).unreadable())
                .as("a misspelt tenants key").isTrue();
        assertThat(DocumentParser.parse(yaml("file:t.yaml", "template: pg\n")).unreadable()).isTrue();
        assertThat(DocumentParser.parse(yaml("file:t.yaml", "tenants: [{tenant: a}]\n")).problems())
                .as("a tenant list alone is no declaration").isEmpty();
    }
}
