package io.connectaws.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.connectaws.it.aws.LocalAws;

/** The SSM source against a local endpoint that verifies SigV4 and serves credentials the way ECS does. */
class SsmSourceTest {
    static LocalAws aws;

    @BeforeAll
    static void start() {
        aws = LocalAws.start(0, "eu-west-1");
        System.setProperty("aws.containerCredentialsFullUri", "http://localhost:" + aws.port() + aws.containerCredentialsPath());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.containerCredentialsFullUri");
        aws.close();
    }

    SsmSource source(String path) {
        return new SsmSource(path, Optional.of("eu-west-1"), Optional.of(aws.endpoint()));
    }

    @Test
    void everyParameterUnderThePathIsADocumentAcrossPages() {
        for (int i = 0; i < 23; i++) {
            aws.putParameter("/connect/prod/tenants/t" + i, "{\"tenantsOf\": \"pg\", \"tenants\": [{\"tenant\": \"t" + i + "\"}]}", false);
        }
        aws.putParameter("/connect/prod/orders", "name: orders\nconnector.class: C\n", false);
        aws.putParameter("/connect/other/x", "name: x\nconnector.class: C\n", false);
        try (SsmSource s = source("/connect/prod")) {
            DeclarationSource.Read read = s.read();
            assertThat(read.complete()).isTrue();
            assertThat(read.problems()).isEmpty();
            assertThat(read.documents()).hasSize(24);
            Document orders = read.documents().stream().filter(d -> d.id().equals("ssm:/connect/prod/orders")).findFirst().orElseThrow();
            assertThat(orders.yaml()).isTrue();
            assertThat(orders.stem()).isEqualTo("orders");
            assertThat(read.documents()).filteredOn(d -> d.id().contains("/tenants/")).allSatisfy(d -> assertThat(d.yaml()).isFalse());
        }
    }

    @Test
    void aSecureStringIsRefusedAndAnUnreadablePathIsIncomplete() {
        aws.putParameter("/connect/secure/orders", "name: orders\nconnector.class: C\n", true);
        try (SsmSource s = source("/connect/secure")) {
            DeclarationSource.Read read = s.read();
            assertThat(read.documents()).isEmpty();
            assertThat(read.complete()).isFalse();
            assertThat(read.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("SecureString"));
        }
        aws.putParameter("/connect/denied/x", "name: x\nconnector.class: C\n", false);
        aws.denyAccess("/connect/denied");
        try (SsmSource s = source("/connect/denied")) {
            DeclarationSource.Read read = s.read();
            assertThat(read.complete()).isFalse();
            assertThat(read.problems()).singleElement().satisfies(p -> assertThat(p.message())
                    .contains("cannot list the parameters").contains("ssm:GetParametersByPath"));
        } finally {
            aws.allowAccess("/connect/denied");
        }
    }
}
