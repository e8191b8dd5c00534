package io.connectaws.sourcedb;

import java.util.Map;

/**
 * Where a MySQL or MariaDB server runs, for the wording of a fix: Amazon RDS takes server settings through the
 * instance's DB parameter group, Aurora MySQL through the cluster's DB cluster parameter group, never {@code SET GLOBAL}
 * (the master user has no SUPER there).
 */
enum BinlogPlatform {
    SELF_MANAGED, RDS, AURORA;

    /**
     * Recognises Aurora by its {@code aurora_version} variable and RDS by its install directory ({@code /rdsdbbin/...})
     * or its {@code mysql.rds_configuration} table; readable by any user.
     *
     * @param variables the server's global variables, lower-case names
     * @param rdsConfiguration whether {@code mysql.rds_configuration} was seen
     */
    static BinlogPlatform of(Map<String, String> variables, boolean rdsConfiguration) {
        if (variables.containsKey("aurora_version")) {
            return AURORA;
        }
        String basedir = variables.getOrDefault("basedir", "");
        return basedir.startsWith("/rdsdbbin/") || rdsConfiguration ? RDS : SELF_MANAGED;
    }

    boolean managed() {
        return this != SELF_MANAGED;
    }

    /** Names the service and engine: "Amazon RDS for MariaDB", "Aurora MySQL". */
    String label(boolean mariadb) {
        return switch (this) {
            case RDS -> "Amazon RDS for " + (mariadb ? "MariaDB" : "MySQL");
            case AURORA -> "Aurora MySQL";
            case SELF_MANAGED -> mariadb ? "MariaDB" : "MySQL";
        };
    }

    /**
     * How to change a server setting here.
     *
     * @param parameter the variable and parameter group name
     * @param value the needed value
     * @param selfManaged the fix on a self-managed server
     * @param rdsReboot whether RDS applies the parameter only after a reboot
     * @param auroraReboot whether Aurora applies it only after a reboot of the writer
     */
    String parameter(String parameter, String value, String selfManaged, boolean rdsReboot, boolean auroraReboot) {
        return switch (this) {
            case RDS -> "set " + parameter + "=" + value + " in the instance's DB parameter group (a custom one: the "
                    + "default group cannot be changed)" + (rdsReboot ? ", then reboot the instance" : "; it is dynamic, "
                    + "no reboot needed");
            case AURORA -> "set " + parameter + "=" + value + " in the cluster's DB cluster parameter group (a custom "
                    + "one)" + (auroraReboot ? ", then reboot the writer instance" : "; it is dynamic, no reboot needed");
            case SELF_MANAGED -> selfManaged + " (on Amazon RDS: " + parameter + "=" + value + " in a custom DB parameter "
                    + "group" + (rdsReboot ? " and a reboot" : "") + "; on Aurora MySQL: in the DB cluster parameter "
                    + "group" + (auroraReboot ? " and a reboot of the writer" : "") + ")";
        };
    }
}
