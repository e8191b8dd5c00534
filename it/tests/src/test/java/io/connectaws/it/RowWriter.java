package io.connectaws.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An application writing to PostgreSQL while a fault is drilled: small transactions ({@code rowsPerTransaction} rows
 * with ids of their own) at a steady pace, round robin over {@code tables}, from the host. A connection that breaks
 * (the database restarting) is opened again at the address {@code jdbcUrl} gives then. What the database holds at the
 * end is the truth the drills compare Kafka with ({@link #idsIn}); the commit time of each acknowledged transaction is
 * kept for bounds on what a worker can repeat.
 */
final class RowWriter implements AutoCloseable {

    private final Supplier<String> jdbcUrl;
    private final List<String> tables;
    private final int rowsPerTransaction;
    private final long pauseMillis;
    private final Map<String, AtomicInteger> nextId = new ConcurrentHashMap<>();
    /** Per table: commit time (ms) of each acknowledged transaction, to its row count. */
    private final Map<String, ConcurrentSkipListMap<Long, Integer>> commits = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    RowWriter(Supplier<String> jdbcUrl, List<String> tables, int rowsPerTransaction, int transactionsPerSecond) {
        this.jdbcUrl = jdbcUrl;
        this.tables = List.copyOf(tables);
        this.rowsPerTransaction = rowsPerTransaction;
        this.pauseMillis = 1000L / transactionsPerSecond;
        for (String table : tables) {
            nextId.put(table, new AtomicInteger(1));
            commits.put(table, new ConcurrentSkipListMap<>());
        }
        thread = new Thread(this::run, "row-writer-" + tables.get(0));
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates {@code table(id INT PRIMARY KEY, note TEXT)}. */
    static void createTable(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "cdc", "cdc-secret"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, note TEXT)");
        }
    }

    private void run() {
        Connection connection = null;
        int turn = 0;
        while (running) {
            long started = System.currentTimeMillis();
            String table = tables.get(turn++ % tables.size());
            int first = nextId.get(table).getAndAdd(rowsPerTransaction);
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(jdbcUrl.get(), "cdc", "cdc-secret");
                    connection.setAutoCommit(false);
                }
                StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (id, note) VALUES ");
                for (int id = first; id < first + rowsPerTransaction; id++) {
                    sql.append(id == first ? "" : ",").append('(').append(id).append(", 'row ").append(id).append("')");
                }
                try (Statement s = connection.createStatement()) {
                    s.execute(sql.toString());
                }
                connection.commit();
                commits.get(table).merge(System.currentTimeMillis(), rowsPerTransaction, Integer::sum);
            } catch (SQLException | RuntimeException e) {
                // the database is down or restarting: this transaction may or may not have committed (idsIn says)
                failures.incrementAndGet();
                close(connection);
                connection = null;
                sleep(200);
            }
            sleep(Math.max(0, pauseMillis - (System.currentTimeMillis() - started)));
        }
        close(connection);
    }

    /** Rows of acknowledged transactions of {@code table} committed between the two times (ms, inclusive). */
    int committedBetween(String table, long from, long to) {
        return commits.get(table).subMap(from, true, to, true).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Rows of acknowledged transactions so far, all tables. */
    int committed() {
        return commits.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
    }

    /** Transactions that failed (the database was unreachable). */
    int failures() {
        return failures.get();
    }

    /** Every id {@code table} holds now. */
    Set<Integer> idsIn(String table) throws SQLException {
        Set<Integer> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl.get(), "cdc", "cdc-secret");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM " + table)) {
            while (r.next()) {
                ids.add(r.getInt(1));
            }
        }
        return ids;
    }

    /** Stops writing; returns when the last transaction has ended. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken already
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
