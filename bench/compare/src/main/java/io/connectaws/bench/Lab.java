package io.connectaws.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The servers every measurement shares, on one Docker network: a KRaft broker, PostgreSQL and MariaDB, each from the
 * images it/images builds from Debian packages (names overridable with -Dbench.image.*). Settings are the servers'
 * own defaults except where a benchmark needs room (replication slots and connections for 200 tenants) or a clock
 * (records carry the broker's append time, so latency is measured where the record lands).
 */
final class Lab implements AutoCloseable {

    static final String KAFKA_INTERNAL = "kafka:19092";
    /** On every container the harness starts, so run.sh can remove those of an interrupted run and nothing else. */
    static final String LABEL = "io.connectaws.bench";
    static final String PG_PASSWORD = "bench-pg";
    static final String MARIADB_PASSWORD = "bench-maria";

    final Network network = Network.newNetwork();
    final KafkaContainer kafka;
    final GenericContainer<?> postgres;
    final GenericContainer<?> mariadb;

    Lab() {
        kafka = new KafkaContainer(image("bench.image.kafka", "connect-aws-it/kafka:4.3.1").asCompatibleSubstituteFor("apache/kafka"))
                .withNetwork(network).withNetworkAliases("kafka").withListener(KAFKA_INTERNAL)
                .withLabel(LABEL, "lab")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                // the broker's defaults, as Debezium's tutorials run it: topics appear on first write
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "true")
                .withEnv("KAFKA_NUM_PARTITIONS", "1")
                // every record's timestamp is the moment the broker appended it: commit-to-Kafka latency without
                // trusting the producer's clock or batching
                .withEnv("KAFKA_LOG_MESSAGE_TIMESTAMP_TYPE", "LogAppendTime")
                .withEnv("KAFKA_HEAP_OPTS", "-Xms1g -Xmx1g");
        postgres = new GenericContainer<>(image("bench.image.postgres", "connect-aws-it/postgres:17"))
                .withNetwork(network).withNetworkAliases("postgres").withLabel(LABEL, "lab")
                .withEnv("POSTGRES_PASSWORD", PG_PASSWORD)
                .withExposedPorts(5432)
                .withCommand("postgres", "-c", "max_connections=1000", "-c", "max_wal_senders=500",
                        "-c", "max_replication_slots=500", "-c", "shared_buffers=512MB",
                        // the generator's commits should not wait for the disk: what is measured is the connector
                        "-c", "synchronous_commit=off", "-c", "fsync=off", "-c", "max_wal_size=4GB")
                .withSharedMemorySize(1024L * 1024 * 1024)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        mariadb = new GenericContainer<>(image("bench.image.mariadb", "connect-aws-it/mariadb:11"))
                .withNetwork(network).withNetworkAliases("mariadb").withLabel(LABEL, "lab")
                .withEnv("MARIADB_ROOT_PASSWORD", MARIADB_PASSWORD)
                .withEnv("MARIADB_DATABASE", "bench")
                .withExposedPorts(3306)
                .withCommand("mariadbd", "--innodb-buffer-pool-size=512M", "--innodb-flush-log-at-trx-commit=0",
                        "--sync-binlog=0", "--max-connections=500")
                .waitingFor(Wait.forLogMessage(".*ready for connections.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        for (GenericContainer<?> server : List.of(kafka, postgres, mariadb)) {
            server.start();
        }
        waitForJdbc();
    }

    String bootstrap() {
        return kafka.getBootstrapServers();
    }

    /** A connection to {@code database} as the superuser (autocommit on). */
    Connection pg(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432)
                + "/" + database, "postgres", PG_PASSWORD);
    }

    Connection maria(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://" + mariadb.getHost() + ":" + mariadb.getMappedPort(3306)
                + "/" + database, "root", MARIADB_PASSWORD);
    }

    private void waitForJdbc() {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try (Connection p = pg("postgres"); Connection m = maria("bench")) {
                return;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("databases not reachable: " + notYet.getMessage(), notYet);
                }
                Waits.sleep(500);
            }
        }
    }

    private static DockerImageName image(String property, String fallback) {
        return DockerImageName.parse(System.getProperty(property, fallback));
    }

    @Override
    public void close() {
        for (GenericContainer<?> server : List.of(mariadb, postgres, kafka)) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                System.err.println("bench: stopping " + server.getDockerImageName() + ": " + e.getMessage());
            }
        }
        network.close();
    }
}
