package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;

/** What the image promises about itself: hardened, non-root, read-only friendly, sized, labelled. */
class ImagePropertiesIT {

    /** Stated bound for container start to REST ready on a 2-core machine (typically about 6 s). */
    static final Duration REST_READY_BOUND = Duration.ofSeconds(30);

    static ConnectWorker worker;
    static Duration restReadyAfter;

    @BeforeAll
    static void start() {
        Stack.kafka();
        worker = new ConnectWorker("props");
        long started = System.nanoTime();
        worker.start();
        restReadyAfter = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("container start to REST ready (/health 200): %d ms%n", restReadyAfter.toMillis());
    }

    @AfterAll
    static void stop() {
        Stack.stop(worker);
    }

    @Test
    void restIsReadyWithinTheStatedBoundOnAReadOnlyRootFilesystem() {
        assertThat(restReadyAfter).isLessThan(REST_READY_BOUND);
        var hostConfig = worker.getContainerInfo().getHostConfig();
        assertThat(hostConfig.getReadonlyRootfs()).isTrue();
        assertThat(hostConfig.getTmpFs()).containsKey("/tmp");
    }

    @Test
    void runsAsAFixedNonRootUser() throws Exception {
        assertThat(worker.getContainerInfo().getConfig().getUser()).isEqualTo("10001:10001");
        // jcmd ships in the runtime and runs without a shell, as `docker exec` or ECS Exec would run it.
        ExecResult props = worker.execInContainer("/opt/java/bin/jcmd", "1", "VM.system_properties");
        assertThat(props.getExitCode()).as(props.getStderr()).isZero();
        assertThat(props.getStdout()).contains("user.name=connect").contains("java.home=/opt/java");
        assertThat(props.getStdout()).containsPattern("java\\.version=2[1-9]");
        // clients built from connector configs may not instantiate config providers of their own (CVE-2024-31141)
        assertThat(props.getStdout()).contains("org.apache.kafka.automatic.config.providers=none");
    }

    @Test
    void hasNoShellNoPackageManagerAndNothingOutsideTheRuntime() throws Exception {
        DockerClient docker = DockerClientFactory.instance().client();
        String image = Images.connect().asCanonicalNameString();
        String id = docker.createContainerCmd(image).withEntrypoint("/bin/sh").withCmd("-c", "true").exec().getId();
        try {
            assertThatThrownBy(() -> docker.startContainerCmd(id).exec())
                    .hasMessageContaining("/bin/sh");
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }

        List<String> files = filesOf(docker, image);
        assertThat(files).contains("opt/java/bin/java", "opt/connect/config/connect-distributed.properties",
                "opt/connect/cds/connect.jsa", "etc/ssl/certs/ca-certificates.crt");
        assertThat(files).noneMatch(f -> f.matches("(usr/)?s?bin/(sh|bash|dash|busybox|apt|apt-get|dpkg|su|sudo|curl|wget)"));
        assertThat(files).noneMatch(f -> f.startsWith("var/lib/apt") || f.startsWith("etc/apt") || f.startsWith("var/cache/apt"));
        assertThat(files).as("one directory per plugin").contains(
                "opt/connect/plugins/debezium-connector-postgres/", "opt/connect/plugins/debezium-connector-mysql/",
                "opt/connect/plugins/debezium-connector-mariadb/", "opt/connect/plugins/debezium-connector-sqlserver/",
                "opt/connect/plugins/connect-aws-healthcheck/", "opt/connect/plugins/connect-aws-secrets/");
        assertThat(files).as("the probe's argument file and the jar it names").contains("opt/connect/config/probe.args",
                "opt/connect/plugins/connect-aws-healthcheck/connect-aws-healthcheck.jar");
        assertThat(files).anyMatch(f -> f.matches("opt/connect/plugins/connect-aws-secrets/connect-aws-secrets-.*\\.jar"));
        assertThat(files).as("the plugin's AWS SDK stays in its directory")
                .anyMatch(f -> f.matches("opt/connect/plugins/connect-aws-secrets/secretsmanager-.*\\.jar"))
                .noneMatch(f -> f.matches("opt/connect/libs/secretsmanager-.*\\.jar"));
        assertThat(files).anyMatch(f -> f.matches("opt/connect/libs/aws-msk-iam-auth-.*\\.jar"));
        assertThat(files).contains("opt/connect/agents/jmx_prometheus_javaagent.jar");
    }

    @Test
    void heapFollowsTheContainerMemoryLimit() throws Exception {
        long maxHeap = maxHeapSize(worker);
        double share = (double) maxHeap / ConnectWorker.MEMORY_LIMIT;
        System.out.printf("MaxHeapSize %d MiB under a %d MiB limit (%.0f%%)%n",
                maxHeap >> 20, ConnectWorker.MEMORY_LIMIT >> 20, share * 100);
        assertThat(share).isBetween(0.60, 0.75);
    }

    @Test
    void heapCanBeOverriddenByAnEnvironmentVariable() throws Exception {
        try (ConnectWorker small = new ConnectWorker("props-heap").withEnv("JDK_JAVA_OPTIONS", "-Xmx384m")) {
            small.start();
            assertThat(maxHeapSize(small)).isEqualTo(384L << 20);
        }
    }

    @Test
    void usesServiceLoaderDiscoveryAndListsEveryPluginWithItsSmts() {
        ConnectRest.Reply plugins = worker.rest().get("/connector-plugins?connectorsOnly=false");
        assertThat(plugins.status()).isEqualTo(200);
        List<String> classes = new ArrayList<>();
        plugins.body().forEach(p -> classes.add(p.path("class").asText()));
        assertThat(classes).contains(
                "io.debezium.connector.postgresql.PostgresConnector",
                "io.debezium.connector.mysql.MySqlConnector",
                "io.debezium.connector.mariadb.MariaDbConnector",
                "io.debezium.connector.sqlserver.SqlServerConnector",
                "io.debezium.transforms.ExtractNewRecordState",
                "org.apache.kafka.connect.transforms.RegexRouter",
                // from the apicurio-converters directory, whose manifest the upstream jars lack
                "io.apicurio.registry.utils.converter.AvroConverter",
                "io.apicurio.registry.utils.converter.ExtJsonConverter");
        assertThat(worker.getLogs()).contains("plugin.discovery = service_load");
    }

    @Test
    void carriesOciLabelsAndAnSbomOfWhatIsInside() throws Exception {
        Map<String, String> labels = DockerClientFactory.instance().client()
                .inspectImageCmd(Images.connect().asCanonicalNameString()).exec().getConfig().getLabels();
        assertThat(labels).containsKeys("org.opencontainers.image.version", "org.opencontainers.image.source",
                "org.opencontainers.image.revision", "org.opencontainers.image.created");
        assertThat(labels).containsEntry("io.connectaws.kafka.version", "4.3.1");
        assertThat(labels.get("io.connectaws.debezium.version")).contains("3.6.");
        assertThat(labels.get("io.connectaws.debezium.mariadb.version")).isNotBlank();

        String sbom = worker.copyFileFromContainer("/opt/connect/sbom/bom.json",
                in -> new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        JsonNode bom = ConnectRest.JSON.readTree(sbom);
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        List<String> purls = new ArrayList<>();
        bom.path("components").forEach(c -> purls.add(c.path("purl").asText()));
        assertThat(purls).anyMatch(p -> p.startsWith("pkg:maven/org.apache.kafka/connect-runtime@4.3.1"));
        assertThat(purls).anyMatch(p -> p.startsWith("pkg:maven/io.debezium/debezium-connector-postgres@"));
        assertThat(purls).anyMatch(p -> p.startsWith("pkg:maven/software.amazon.msk/aws-msk-iam-auth@"));
    }

    private static long maxHeapSize(ConnectWorker container) throws Exception {
        ExecResult flags = container.execInContainer("/opt/java/bin/jcmd", "1", "VM.flags");
        assertThat(flags.getExitCode()).as(flags.getStderr()).isZero();
        Matcher m = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags.getStdout());
        assertThat(m.find()).as("MaxHeapSize in %s", flags.getStdout()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Every path in the image's filesystem, from a created (never started) container. */
    private static List<String> filesOf(DockerClient docker, String image) throws Exception {
        String id = docker.createContainerCmd(image).exec().getId();
        List<String> names = new ArrayList<>();
        try (InputStream tar = docker.copyArchiveFromContainerCmd(id, "/").exec();
             TarArchiveInputStream entries = new TarArchiveInputStream(tar)) {
            TarArchiveEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                String name = entry.getName();
                names.add(name.replaceFirst("^\\.?/", ""));
            }
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
        return names;
    }

}
