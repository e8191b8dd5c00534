package io.connectaws.sourcedb;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a MySQL or MariaDB server keeps its binlogs, and whether that is long enough. A connector that is down
 * longer than the retention (a stopped worker over a weekend, a broken task nobody looked at overnight) finds its
 * position purged and must snapshot again, or loses changes. {@link #MINIMUM} is 24 hours: a full day of outage
 * including a night, the figure AWS DMS and Debezium's own RDS notes recommend; a weekend needs 72.
 *
 * @param retention how long binlogs are kept; empty when they are never purged by age
 * @param source the setting it comes from, as the user sets it ({@code binlog_expire_logs_seconds=2592000})
 * @param rdsNull whether RDS/Aurora's {@code binlog retention hours} is NULL: binlogs are purged as soon as possible
 */
record BinlogRetention(Optional<Duration> retention, String source, boolean rdsNull) {

    /** The shortest retention the pre-flight accepts without a warning. */
    static final Duration MINIMUM = Duration.ofHours(24);

    /**
     * The retention of a self-managed server: MySQL 8 and MariaDB 10.6+ {@code binlog_expire_logs_seconds} when above
     * 0, else {@code expire_logs_days} when above 0, else never.
     */
    static BinlogRetention selfManaged(String expireSeconds, String expireDays) {
        long seconds = parseLong(expireSeconds);
        if (seconds > 0) {
            return new BinlogRetention(Optional.of(Duration.ofSeconds(seconds)), "binlog_expire_logs_seconds="
                    + seconds, false);
        }
        double days = parseDouble(expireDays);
        if (days > 0) {
            return new BinlogRetention(Optional.of(Duration.ofSeconds((long) (days * 86_400))), "expire_logs_days="
                    + expireDays.trim(), false);
        }
        return new BinlogRetention(Optional.empty(), expireSeconds == null && expireDays == null ? "no expiry setting"
                : "binlog_expire_logs_seconds=0 and expire_logs_days=0", false);
    }

    /** The retention on RDS or Aurora: {@code binlog retention hours} from {@code mysql.rds_configuration}. */
    static BinlogRetention rds(String hours) {
        if (hours == null || hours.isBlank() || hours.trim().equalsIgnoreCase("NULL")) {
            return new BinlogRetention(Optional.of(Duration.ZERO), "binlog retention hours=NULL", true);
        }
        long h = parseLong(hours);
        return new BinlogRetention(Optional.of(Duration.ofHours(Math.max(h, 0))), "binlog retention hours=" + h, false);
    }

    /** Whether binlogs are kept at least {@link #MINIMUM}. */
    boolean enough() {
        return retention.map(r -> r.compareTo(MINIMUM) >= 0).orElse(true);
    }

    /** The warning for a short retention, with the fix for {@code platform}; empty when it is long enough. */
    Optional<String> warning(BinlogPlatform platform, boolean mariadb) {
        if (enough()) {
            return Optional.empty();
        }
        String fix = platform.managed()
                ? "CALL mysql.rds_set_configuration('binlog retention hours', 24); (as the master user; "
                + (platform == BinlogPlatform.AURORA ? "Aurora MySQL allows up to 2160" : "RDS allows up to 168")
                + ", and more hours hold more storage)"
                : mariadb ? "SET GLOBAL binlog_expire_logs_seconds = 86400; and binlog_expire_logs_seconds = 86400 "
                + "under [mysqld] in the server's configuration (expire_logs_days = 1 before MariaDB 10.6)"
                : "SET PERSIST binlog_expire_logs_seconds = 86400;";
        String current = rdsNull
                ? source + ", which makes " + platform.label(mariadb) + " purge binlogs as soon as possible"
                : source + " (" + human(retention.orElseThrow()) + ")";
        return Optional.of("binlog retention is " + current + "; the pre-flight asks for at least "
                + MINIMUM.toHours() + " hours so that a connector stopped for a day resumes where it left off instead "
                + "of losing its binlog position. Fix: " + fix);
    }

    private static String human(Duration d) {
        long hours = d.toHours();
        return hours >= 1 ? hours + " hours" : d.toMinutes() + " minutes";
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : (long) Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double parseDouble(String value) {
        try {
            return value == null ? 0 : Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
