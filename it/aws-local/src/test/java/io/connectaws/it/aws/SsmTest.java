package io.connectaws.it.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.AccessDeniedException;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.ParameterVersionNotFoundException;
import software.amazon.awssdk.services.ssm.model.SsmException;

class SsmTest {
    private LocalAws aws;
    private SsmClient client;

    @BeforeEach
    void start() {
        aws = LocalAws.start(0, "us-west-2");
        client = Sdk.ssm(aws);
    }

    @AfterEach
    void stop() {
        client.close();
        aws.close();
    }

    @Test
    void plainAndSecureParameters() {
        assertThat(aws.putParameter("/app/url", "jdbc:postgresql://db/app", false)).isEqualTo(1);
        aws.putParameter("/app/password", "hunter2-secret", true);

        Parameter plain = client.getParameter(r -> r.name("/app/url")).parameter();
        assertThat(plain.value()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(plain.type()).isEqualTo(ParameterType.STRING);
        assertThat(plain.version()).isEqualTo(1L);
        assertThat(plain.arn()).isEqualTo("arn:aws:ssm:us-west-2:123456789012:parameter/app/url");
        assertThat(plain.dataType()).isEqualTo("text");
        assertThat(plain.lastModifiedDate()).isNotNull();
        assertThat(plain.selector()).isNull();

        Parameter encrypted = client.getParameter(r -> r.name("/app/password")).parameter();
        assertThat(encrypted.type()).isEqualTo(ParameterType.SECURE_STRING);
        assertThat(encrypted.value()).startsWith("AQICAHh").doesNotContain("hunter2");
        Parameter decrypted = client.getParameter(r -> r.name("/app/password").withDecryption(true)).parameter();
        assertThat(decrypted.value()).isEqualTo("hunter2-secret");
        assertThat(client.getParameter(r -> r.name("/app/url").withDecryption(true)).parameter().value())
            .isEqualTo("jdbc:postgresql://db/app");

        assertThat(client.getParameter(r -> r.name("arn:aws:ssm:us-west-2:123456789012:parameter/app/password")
            .withDecryption(true)).parameter().value()).isEqualTo("hunter2-secret");
        aws.putParameter("plain-name", "top", false);
        assertThat(client.getParameter(r -> r.name("arn:aws:ssm:us-west-2:123456789012:parameter/plain-name"))
            .parameter().value()).isEqualTo("top");

        assertThatThrownBy(() -> client.getParameter(r -> r.name("/app/missing")))
            .isInstanceOf(ParameterNotFoundException.class);
    }

    @Test
    void selectorsByVersionAndLabel() {
        aws.putParameter("/db/password", "v1", true);
        aws.putParameter("/db/password", "v2", true);
        aws.putParameter("/db/password", "v3", true);
        aws.labelParameterVersion("/db/password", 2, "stable");

        Parameter v1 = client.getParameter(r -> r.name("/db/password:1").withDecryption(true)).parameter();
        assertThat(v1.value()).isEqualTo("v1");
        assertThat(v1.version()).isEqualTo(1L);
        assertThat(v1.name()).isEqualTo("/db/password");
        assertThat(v1.selector()).isEqualTo(":1");
        assertThat(client.getParameter(r -> r.name("/db/password").withDecryption(true)).parameter().value())
            .isEqualTo("v3");
        Parameter stable = client.getParameter(r -> r.name("/db/password:stable").withDecryption(true)).parameter();
        assertThat(stable.value()).isEqualTo("v2");
        assertThat(stable.selector()).isEqualTo(":stable");
        assertThat(client.getParameter(r -> r.name("arn:aws:ssm:us-west-2:123456789012:parameter/db/password:1")
            .withDecryption(true)).parameter().value()).isEqualTo("v1");

        assertThatThrownBy(() -> client.getParameter(r -> r.name("/db/password:9")))
            .isInstanceOf(ParameterVersionNotFoundException.class);
        assertThatThrownBy(() -> client.getParameter(r -> r.name("/db/password:nolabel")))
            .isInstanceOf(ParameterVersionNotFoundException.class);

        // move the label through the SDK
        assertThat(client.labelParameterVersion(r -> r.name("/db/password").parameterVersion(3L)
            .labels("stable", "1bad")).invalidLabels()).containsExactly("1bad");
        assertThat(client.getParameter(r -> r.name("/db/password:stable").withDecryption(true)).parameter().value())
            .isEqualTo("v3");
    }

    @Test
    void byPathWithPagination() {
        for (int i = 1; i <= 5; i++) {
            aws.putParameter("/svc/conf/key" + i, "value" + i, i == 5);
        }
        aws.putParameter("/svc/conf/nested/deep", "deep", false);
        aws.putParameter("/svc/other", "other", false);

        List<GetParametersByPathResponse> pages = client.getParametersByPathPaginator(r -> r.path("/svc/conf")
            .maxResults(2).withDecryption(true)).stream().collect(Collectors.toList());
        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).nextToken()).isNotNull();
        assertThat(pages.get(2).nextToken()).isNull();
        List<String> names = pages.stream().flatMap(p -> p.parameters().stream()).map(Parameter::name).toList();
        assertThat(names).containsExactly("/svc/conf/key1", "/svc/conf/key2", "/svc/conf/key3", "/svc/conf/key4",
            "/svc/conf/key5");
        assertThat(pages.get(2).parameters().get(0).value()).isEqualTo("value5");
        assertThat(aws.count("AmazonSSM.GetParametersByPath")).isEqualTo(3);

        List<String> recursive = client.getParametersByPathPaginator(r -> r.path("/svc/").recursive(true))
            .stream().flatMap(p -> p.parameters().stream()).map(Parameter::name).toList();
        assertThat(recursive).containsExactly("/svc/conf/key1", "/svc/conf/key2", "/svc/conf/key3",
            "/svc/conf/key4", "/svc/conf/key5", "/svc/conf/nested/deep", "/svc/other");
        Parameter secure = client.getParametersByPath(r -> r.path("/svc/conf")).parameters().stream()
            .filter(p -> p.name().endsWith("key5")).findFirst().orElseThrow();
        assertThat(secure.value()).doesNotContain("value5");

        assertThatThrownBy(() -> client.getParametersByPath(r -> r.path("/svc").maxResults(11)))
            .isInstanceOfSatisfying(SsmException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void putParameterThroughTheSdk() {
        assertThat(client.putParameter(r -> r.name("/x/y").value("1").type(ParameterType.STRING)).version())
            .isEqualTo(1L);
        assertThatThrownBy(() -> client.putParameter(r -> r.name("/x/y").value("2").type(ParameterType.STRING)))
            .isInstanceOf(ParameterAlreadyExistsException.class);
        assertThat(client.putParameter(r -> r.name("/x/y").value("2").overwrite(true)).version()).isEqualTo(2L);
        assertThat(client.getParameter(r -> r.name("/x/y")).parameter().value()).isEqualTo("2");
    }

    @Test
    void deleteParameterThroughTheSdk() {
        aws.putParameter("/tenants/acme", "v1", false);
        aws.putParameter("/tenants/acme", "v2", false);
        aws.putParameter("/tenants/globex", "g", false);

        assertThat(client.deleteParameter(r -> r.name("/tenants/acme")).sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(aws.count("AmazonSSM.DeleteParameter")).isEqualTo(1);
        assertThatThrownBy(() -> client.getParameter(r -> r.name("/tenants/acme")))
            .isInstanceOf(ParameterNotFoundException.class);
        assertThat(client.getParametersByPath(r -> r.path("/tenants").recursive(true)).parameters())
            .extracting(Parameter::name).containsExactly("/tenants/globex");
        // every version went with it: a new parameter of that name starts again at version 1
        assertThat(client.putParameter(r -> r.name("/tenants/acme").value("new").type(ParameterType.STRING)).version())
            .isEqualTo(1L);

        assertThatThrownBy(() -> client.deleteParameter(r -> r.name("/tenants/initech")))
            .isInstanceOfSatisfying(ParameterNotFoundException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ParameterNotFound");
            });
        // by name only: an ARN is not a parameter name
        assertThatThrownBy(() -> client.deleteParameter(r -> r.name("arn:aws:ssm:us-west-2:123456789012:parameter/tenants/globex")))
            .isInstanceOf(ParameterNotFoundException.class);
        assertThat(client.getParameter(r -> r.name("/tenants/globex")).parameter().value()).isEqualTo("g");

        aws.denyAccess("/tenants/globex");
        assertThatThrownBy(() -> client.deleteParameter(r -> r.name("/tenants/globex")))
            .isInstanceOfSatisfying(AccessDeniedException.class,
                e -> assertThat(e.getMessage()).contains("ssm:DeleteParameter"));
        aws.allowAccess("/tenants/globex");

        aws.deleteParameter("/tenants/globex");
        assertThatThrownBy(() -> aws.deleteParameter("/tenants/globex"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ParameterNotFound");
    }

    @Test
    void deniedParameterIsAccessDenied() {
        aws.putParameter("/locked/p", "v", false);
        aws.denyAccess("/locked/p");
        assertThatThrownBy(() -> client.getParameter(r -> r.name("/locked/p")))
            .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.getMessage()).contains("ssm:GetParameter");
            });
    }
}
