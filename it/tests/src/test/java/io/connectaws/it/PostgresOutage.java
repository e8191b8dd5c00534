package io.connectaws.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real database outage for the ITs: PostgreSQL shut down fast (SIGINT) with its container, data and replication
 * slots surviving, and started again; SQL runs through psql inside the container, since its mapped port changes when
 * it is restarted.
 */
final class PostgresOutage {

    private PostgresOutage() {
    }

    /** Stops the database and its container; returns when it has stopped. */
    static Instant stop(PostgreSQLContainer postgres) {
        var docker = DockerClientFactory.instance().client();
        docker.killContainerCmd(postgres.getContainerId()).withSignal("SIGINT").exec();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Boolean.TRUE.equals(docker.inspectContainerCmd(postgres.getContainerId()).exec().getState().getRunning())) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("PostgreSQL did not stop");
            ConnectRest.sleep(100);
        }
        return Instant.now();
    }

    /** Starts the container again; returns when the database accepts connections. */
    static void start(PostgreSQLContainer postgres) throws Exception {
        DockerClientFactory.instance().client().startContainerCmd(postgres.getContainerId()).exec();
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            ExecResult r = postgres.execInContainer("pg_isready", "-h", "127.0.0.1", "-U", postgres.getUsername(),
                    "-d", postgres.getDatabaseName());
            if (r.getExitCode() == 0) return;
            if (Instant.now().isAfter(deadline)) throw new AssertionError("PostgreSQL did not come back: " + r.getStdout());
            ConnectRest.sleep(300);
        }
    }

    /** Runs {@code sql} as the container's user in its database. */
    static void psql(PostgreSQLContainer postgres, String sql) throws Exception {
        ExecResult r = postgres.execInContainer("psql", "-v", "ON_ERROR_STOP=1", "postgresql://" + postgres.getUsername()
                + ":" + postgres.getPassword() + "@127.0.0.1:5432/" + postgres.getDatabaseName(), "-c", sql);
        assertThat(r.getExitCode()).as("psql %s: %s", sql, r.getStderr()).isZero();
    }
}
