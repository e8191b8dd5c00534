package io.connectaws.sourcedb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where a PostgreSQL database runs, for the wording of a fix: Amazon RDS and Aurora take server settings through a
 * parameter group (a cluster parameter group for Aurora) and a reboot, not {@code ALTER SYSTEM}.
 */
enum Platform {
    SELF_MANAGED("PostgreSQL"), RDS("Amazon RDS"), AURORA("Aurora PostgreSQL");

    private final String label;

    Platform(String label) {
        this.label = label;
    }

    /** Recognises RDS by its {@code rds_superuser} role and Aurora by its {@code aurora_version()} function. */
    static Platform of(Connection db) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                + "'rds_superuser'), EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'aurora_version')");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getBoolean(2) ? AURORA : rs.getBoolean(1) ? RDS : SELF_MANAGED;
        }
    }

    boolean managed() {
        return this != SELF_MANAGED;
    }

    String label() {
        return label;
    }

    /**
     * How to change a server setting here.
     *
     * @param parameter the parameter group's name for it
     * @param value the value to set
     * @param selfManaged the statement on a self-managed server; null for {@code ALTER SYSTEM SET parameter = value}
     * @param restart whether the server reads it only at start
     */
    String parameter(String parameter, String value, String selfManaged, boolean restart) {
        return switch (this) {
            case RDS -> "set " + parameter + "=" + value + " in the instance's DB parameter group (a custom one: the "
                    + "default group cannot be changed)" + (restart ? ", then reboot the instance" : "");
            case AURORA -> "set " + parameter + "=" + value + " in the cluster's DB cluster parameter group (a custom "
                    + "one)" + (restart ? ", then reboot the writer instance" : "");
            case SELF_MANAGED -> (selfManaged == null ? "ALTER SYSTEM SET " + parameter + " = " + value : selfManaged)
                    + (restart ? "; then restart PostgreSQL" : "; then SELECT pg_reload_conf()")
                    + " (on Amazon RDS or Aurora: " + parameter + "=" + value + " in a custom parameter group"
                    + (restart ? ", then a reboot)" : ")");
        };
    }
}
