package io.connectaws.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceTest {
    @TempDir
    Path dir;

    @Test
    void readsDeclarationFilesInPathOrderAndSkipsHiddenAndOtherFiles() throws Exception {
        Files.writeString(dir.resolve("b.yaml"), "name: b\nconnector.class: C\n");
        Files.writeString(dir.resolve("a.json"), "{\"name\": \"a\", \"config\": {\"connector.class\": \"C\"}}");
        Files.createDirectories(dir.resolve("tenants"));
        Files.writeString(dir.resolve("tenants/t.yml"), "template: {name: \"t-{{tenant}}\", config: {connector.class: C}}\ntenants: list.csv\n");
        Files.writeString(dir.resolve("tenants/list.csv"), "tenant\nx\ny\n");
        Files.writeString(dir.resolve(".b.yaml.swp"), "garbage");
        Files.createDirectories(dir.resolve("..2026_12_07"));
        Files.writeString(dir.resolve("..2026_12_07/c.yaml"), "name: c\nconnector.class: C\n");
        Files.writeString(dir.resolve("README.md"), "# not a declaration");
        DeclarationSource.Read read = new DirectorySource(dir).read();
        assertThat(read.complete()).isTrue();
        assertThat(read.documents()).extracting(Document::id).containsExactly("file:" + dir.resolve("a.json"),
                "file:" + dir.resolve("b.yaml"), "file:" + dir.resolve("tenants/t.yml"));
        DesiredSet set = DesiredSet.of(read.documents().stream().map(DocumentParser::parse).toList(), true,
                java.util.Set.of());
        assertThat(set.problems()).isEmpty();
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("a", "b", "t-x", "t-y");
    }

    @Test
    void aTenantListOutsideTheDirectoryIsRefused() throws Exception {
        Path inside = Files.createDirectories(dir.resolve("decl"));
        Files.writeString(dir.resolve("secret.csv"), "tenant\nx\n");
        Files.writeString(inside.resolve("t.yaml"), "template: {name: \"t-{{tenant}}\", config: {connector.class: C}}\ntenants: ../secret.csv\n");
        DeclarationSource.Read read = new DirectorySource(inside).read();
        DocumentParser.Parsed p = DocumentParser.parse(read.documents().get(0));
        assertThat(p.unreadable()).isTrue();
        assertThat(p.problems()).singleElement().extracting(Problem::key).isEqualTo("tenants");
    }

    @Test
    void aMissingDirectoryIsAProblemAndNeverReadsAsEmpty() {
        DeclarationSource.Read read = new DirectorySource(dir.resolve("none")).read();
        assertThat(read.documents()).isEmpty();
        assertThat(read.complete()).as("a failed mount must not let purge delete everything").isFalse();
        assertThat(read.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("does not exist"));
    }

    @Test
    void anEmptyDirectoryIsCompleteAndATenantListFileIsNoDeclaration() throws Exception {
        assertThat(new DirectorySource(dir).read().complete()).isTrue();
        Files.writeString(dir.resolve("t.yaml"), "template: {name: \"t-{{tenant}}\", config: {connector.class: C}}\ntenants: list.yaml\n");
        Files.writeString(dir.resolve("list.yaml"), "tenants:\n  - {tenant: x}\n  - {tenant: y}\n");
        Files.writeString(dir.resolve("bare.json"), "{\"tenants\": [{\"tenant\": \"z\"}]}");
        DeclarationSource.Read read = new DirectorySource(dir).read();
        DesiredSet set = DesiredSet.of(read.documents().stream().map(DocumentParser::parse).toList(), read.complete(),
                java.util.Set.of());
        assertThat(set.problems()).isEmpty();
        assertThat(set.complete()).isTrue();
        assertThat(set.declarations()).extracting(Declaration::name).containsExactly("t-x", "t-y");
    }
}
