package io.connectaws.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SecretReferencePolicyTest {
    private static final String PG = "io.debezium.connector.postgresql.PostgresConnector";
    private static final String MASK = "org.example.MaskField";
    private static final SecretReferencePolicy.PasswordKeys PLUGINS = cls -> switch (cls) {
        case PG -> Set.of("database.password", "database.sslpassword");
        case MASK -> Set.of("salt");
        default -> Set.of();
    };
    private static final SecretReferencePolicy POLICY = SecretReferencePolicy.of(Set.of("secretsmanager", "ssm", "env"), "");

    private static Map<String, String> pg(String... pairs) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", PG);
        c.put("name", "orders");
        for (int i = 0; i < pairs.length; i += 2) c.put(pairs[i], pairs[i + 1]);
        return c;
    }

    @Test
    void passwordKeysTakeAnyReference() {
        assertThat(POLICY.refusal(pg("database.password", "${secretsmanager:rds/pg:password}",
                "database.sslpassword", "x${ssm:/a/b}y"), PLUGINS)).isEmpty();
    }

    @Test
    void identityKeysTakeTheSecretKeyOfTheirMeaning() {
        assertThat(POLICY.refusal(pg("database.user", "${secretsmanager:rds/pg:username}",
                "database.hostname", "${secretsmanager:rds/pg:host}", "database.port", "${ssm:/rds/pg/port}",
                "database.dbname", "${env:DB_NAME}"), PLUGINS)).isEmpty();
        assertThat(POLICY.refusal(pg("database.user", "${secretsmanager:arn:aws:x:masterUsername}"), PLUGINS)).isEmpty();
    }

    @Test
    void anIdentityKeyRefusesAnotherKindOfSecret() {
        assertThat(POLICY.refusal(pg("database.hostname", "${secretsmanager:rds/pg:password}"), PLUGINS)).hasValueSatisfying(r ->
                assertThat(r).startsWith("database.hostname may reference only a secret key meaning host or hostname")
                        .contains("names 'password'"));
        assertThat(POLICY.refusal(pg("database.user", "${secretsmanager:rds/pg:hostPassword}"), PLUGINS)).isPresent();
        assertThat(POLICY.refusal(pg("database.user", "${env:DB_PASSWORD}"), PLUGINS)).isPresent();
    }

    @Test
    void everyOtherKeyIsRefusedNamingTheKeyAndTheRule() {
        for (String key : List.of("topic.prefix", "name", "slot.name", "transforms.route.replacement", "table.include.list")) {
            assertThat(POLICY.refusal(pg(key, "a-${secretsmanager:rds/pg:password}"), PLUGINS)).as(key)
                    .hasValueSatisfying(r -> assertThat(r).startsWith(key + " holds the config provider reference "
                            + "${secretsmanager:rds/pg:password}").contains(SecretReferencePolicy.SETTING));
        }
    }

    @Test
    void pluginAndClientPasswordKeysCountUnderTheirPrefix() {
        assertThat(POLICY.refusal(pg("transforms", "mask", "transforms.mask.type", MASK,
                "transforms.mask.salt", "${secretsmanager:s:salt}"), PLUGINS)).isEmpty();
        assertThat(POLICY.refusal(pg("transforms", "mask", "transforms.mask.type", MASK,
                "transforms.mask.fields", "${secretsmanager:s:salt}"), PLUGINS)).isPresent();
        assertThat(POLICY.refusal(pg("producer.override.sasl.jaas.config", "${secretsmanager:k:jaas}",
                "schema.history.internal.consumer.ssl.key.password", "${secretsmanager:k:pw}"), PLUGINS)).isEmpty();
        assertThat(POLICY.refusal(pg("producer.override.client.id", "${secretsmanager:k:pw}"), PLUGINS)).isPresent();
    }

    @Test
    void unknownConnectorClassHasNoPasswordKeys() {
        Map<String, String> c = pg("database.password", "${secretsmanager:rds/pg:password}");
        c.put("connector.class", "org.example.Unknown");
        assertThat(POLICY.refusal(c, PLUGINS)).isPresent();
        c.remove("connector.class");
        assertThat(POLICY.refusal(c, PLUGINS)).isPresent();
    }

    @Test
    void referencesToProvidersTheWorkerLacksAreLeftAlone() {
        assertThat(POLICY.refusal(pg("topic.prefix", "${vault:x:y}", "table.include.list", "${not a reference}"), PLUGINS))
                .isEmpty();
    }

    @Test
    void theSettingAddsIdentityKeys() {
        SecretReferencePolicy p = SecretReferencePolicy.of(Set.of("secretsmanager"), " kafka.user=username|user , sig.key=* ");
        assertThat(p.refusal(pg("kafka.user", "${secretsmanager:k:user}", "sig.key", "${secretsmanager:k:anything}"),
                PLUGINS)).isEmpty();
        assertThat(p.refusal(pg("kafka.user", "${secretsmanager:k:password}"), PLUGINS)).isPresent();
        assertThat(p.identityKeys()).containsKeys("database.user", "kafka.user", "sig.key");
        for (String bad : List.of("kafka.user", "kafka.user=", "=user", "kafka.user=pass word", "k${x}=user")) {
            assertThatThrownBy(() -> SecretReferencePolicy.of(Set.of(), bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEY=WORD|WORD");
        }
    }
}
