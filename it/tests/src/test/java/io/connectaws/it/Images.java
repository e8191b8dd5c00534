package io.connectaws.it;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * Image names of the tests, each a system property so the same tests run against official images
 * where they can be pulled ({@code -Dit.image.kafka=apache/kafka:4.1.0}, ...). The defaults are the
 * images this project builds from Debian packages and Maven Central jars.
 */
final class Images {

    private Images() {
    }

    static DockerImageName connect() {
        return DockerImageName.parse(System.getProperty("it.image.connect", "connect-aws:0.1.0-SNAPSHOT"));
    }

    static DockerImageName kafka() {
        return named("it.image.kafka", "connect-aws-it/kafka:4.3.1").asCompatibleSubstituteFor("apache/kafka");
    }

    static DockerImageName postgres() {
        return named("it.image.postgres", "connect-aws-it/postgres:17").asCompatibleSubstituteFor("postgres");
    }

    static DockerImageName mariadb() {
        return named("it.image.mariadb", "connect-aws-it/mariadb:11").asCompatibleSubstituteFor("mariadb");
    }

    /** The local AWS endpoint (Secrets Manager, SSM, STS, ECS container credentials) of it/aws-local. */
    static DockerImageName awsLocal() {
        return named("it.image.awslocal", "connect-aws-it/aws-local:local");
    }

    static DockerImageName mysql() {
        return named("it.image.mysql", "mysql:8.4").asCompatibleSubstituteFor("mysql");
    }

    static DockerImageName sqlServer() {
        return named("it.image.sqlserver", "mcr.microsoft.com/mssql/server:2022-latest")
                .asCompatibleSubstituteFor("mcr.microsoft.com/mssql/server");
    }

    private static DockerImageName named(String property, String fallback) {
        return DockerImageName.parse(System.getProperty(property, fallback));
    }

    /**
     * Why the image cannot be used here, or empty when it is present locally or a pull succeeds
     * within two minutes. Tests of databases that cannot run everywhere skip with this reason.
     */
    static Optional<String> unavailable(DockerImageName image) {
        var docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(image.asCanonicalNameString()).exec();
            return Optional.empty();
        } catch (RuntimeException notLocal) {
            // try a pull below
        }
        try {
            boolean done = docker.pullImageCmd(image.getUnversionedPart())
                    .withTag(image.getVersionPart())
                    .start()
                    .awaitCompletion(2, TimeUnit.MINUTES);
            return done ? Optional.empty()
                    : Optional.of("image " + image.asCanonicalNameString() + " could not be pulled within 2 minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while pulling " + image.asCanonicalNameString());
        } catch (RuntimeException e) {
            return Optional.of("image " + image.asCanonicalNameString() + " is not present and cannot be pulled here ("
                    + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
