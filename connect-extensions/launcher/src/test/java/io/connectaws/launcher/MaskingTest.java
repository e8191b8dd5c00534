package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the launcher prints of a configuration value. */
class MaskingTest {

    @Test
    void secretKeysAreMaskedWholeUnlessTheyHoldAProviderReference() {
        assertThat(Masking.printable("database.password", "hunter2")).isEqualTo(Masking.MASK);
        assertThat(Masking.printable("database.password", "${secretsmanager:db/orders:password}"))
                .isEqualTo("${secretsmanager:db/orders:password}");
        assertThat(Masking.printable("group.id", "orders")).isEqualTo("orders");
    }

    @Test
    void jaasConfigsKeepTheirShapeWithEachSecretOptionMasked() {
        assertThat(Masking.printable("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter 2\";"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password="
                        + Masking.MASK + ";");
        assertThat(Masking.printable("sasl.jaas.config",
                "software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn=\"arn:aws:iam::1:role/r\";"))
                .contains("arn:aws:iam::1:role/r");
    }

    @Test
    void aQuotedSecretNeverClosedIsMaskedToTheEnd() {
        String printed = Masking.printable("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter 2;");
        assertThat(printed).doesNotContain("hunter").doesNotContain(" 2;").endsWith("password=" + Masking.MASK);
        assertThat(Masking.holdsSecret("sasl.jaas.config", "x required password=\"abc def;")).isTrue();
    }
}
