package io.connectaws.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error path of both providers: the exception names what was asked for and how to fix it, and neither the
 * message nor any log line (all loggers, all levels, stack traces included) contains a secret value.
 */
class NoSecretInErrorsOrLogsTest extends LocalAwsFixture {
    private static final String VALUE = "V4LUE-must-never-leak-8c1d";

    static Stream<Arguments> errorPaths() {
        return Stream.of(
                Arguments.of("secret does not exist", "secretsmanager", (Consumer<LocalAwsFixture>) t -> { },
                        "${secretsmanager:nope/missing:password}", new String[] {"nope/missing", "ResourceNotFoundException"}),
                Arguments.of("key does not exist", "secretsmanager",
                        setup(() -> aws.createSecretString("leak/has-keys", "{\"username\":\"" + VALUE + "\",\"password\":\"" + VALUE + "\"}")),
                        "${secretsmanager:leak/has-keys:pasword}", new String[] {"leak/has-keys", "'pasword'", "[password, username]"}),
                Arguments.of("not JSON but a key asked", "secretsmanager",
                        setup(() -> aws.createSecretString("leak/plain", "{" + VALUE + " not json")),
                        "${secretsmanager:leak/plain:password}", new String[] {"leak/plain", "'password'", "not a JSON object"}),
                Arguments.of("key holds an object", "secretsmanager",
                        setup(() -> aws.createSecretString("leak/nested", "{\"db\":{\"password\":\"" + VALUE + "\"}}")),
                        "${secretsmanager:leak/nested:db}", new String[] {"leak/nested", "'db'"}),
                Arguments.of("access denied", "secretsmanager",
                        setup(() -> {
                            aws.createSecretString("leak/denied", VALUE);
                            aws.denyAccess("leak/denied");
                        }),
                        "${secretsmanager:leak/denied}", new String[] {"leak/denied", "Access denied", "secretsmanager:GetSecretValue"}),
                Arguments.of("throttled after retries", "secretsmanager",
                        setup(() -> {
                            aws.createSecretString("leak/throttled", VALUE);
                            aws.throttleNext(3);
                        }),
                        "${secretsmanager:leak/throttled:password}", new String[] {"leak/throttled", "throttled", "3 attempts"}),
                Arguments.of("unknown option", "secretsmanager", setup(() -> { }),
                        "${secretsmanager:leak/x?stage=AWSCURRENT:password}", new String[] {"unknown option 'stage'", "versionStage"}),
                Arguments.of("stage and id together", "secretsmanager", setup(() -> { }),
                        "${secretsmanager:leak/x?versionStage=AWSCURRENT&versionId=1:password}", new String[] {"not both"}),
                Arguments.of("malformed ARN", "secretsmanager", setup(() -> { }),
                        "${secretsmanager:arn:aws:s3:::bucket}", new String[] {"not a Secrets Manager secret ARN"}),
                Arguments.of("parameter does not exist", "ssm", setup(() -> { }),
                        "${ssm:/leak/missing}", new String[] {"/leak/missing", "ParameterNotFound"}),
                Arguments.of("parameter version does not exist", "ssm",
                        setup(() -> aws.putParameter("/leak/versioned", VALUE, true)),
                        "${ssm:/leak/versioned?version=9}", new String[] {"/leak/versioned", "version"}),
                Arguments.of("parameter access denied", "ssm",
                        setup(() -> {
                            aws.putParameter("/leak/denied", VALUE, true);
                            aws.denyAccess("/leak/denied");
                        }),
                        "${ssm:/leak/denied}", new String[] {"/leak/denied", "Access denied", "ssm:GetParameter"}),
                Arguments.of("parameter throttled", "ssm",
                        setup(() -> {
                            aws.putParameter("/leak/throttled", VALUE, true);
                            aws.throttleNext(3);
                        }),
                        "${ssm:/leak/throttled}", new String[] {"/leak/throttled", "throttled"}),
                Arguments.of("version and label together", "ssm", setup(() -> { }),
                        "${ssm:/leak/x?version=1&label=live}", new String[] {"not both"}));
    }

    private static Consumer<LocalAwsFixture> setup(Runnable r) {
        return t -> r.run();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorPaths")
    void errorNamesTheReferenceAndNeverTheValue(String name, String providerName, Consumer<LocalAwsFixture> setup,
                                                String reference, String[] expected) {
        setup.accept(this);
        ConfigProvider provider = providerName.equals("ssm") ? new SsmParameterConfigProvider() : new SecretsManagerConfigProvider();
        try (LogCapture logs = new LogCapture()) {
            provider.configure(params());
            ConfigException e = catchThrowableOfType(ConfigException.class, () ->
                    new ConfigTransformer(Map.of(providerName, provider)).transform(Map.of("database.password", reference)));
            assertThat(e).as(name).isNotNull();
            assertThat(e.getMessage()).contains(expected).doesNotContain(VALUE);
            for (Throwable c = e; c != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain(VALUE);
            }
            assertThat(logs.text()).doesNotContain(VALUE);
        } finally {
            try {
                provider.close();
            } catch (Exception ignored) {
                // nothing to do
            }
        }
    }
}
