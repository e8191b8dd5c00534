package io.connectaws.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The two images compared: this project's and the stock recipe of bench/stock. Both take Debezium's env contract. */
enum Flavour {
    OURS("ours", System.getProperty("bench.image.ours", "connect-aws:0.1.0-SNAPSHOT"), true),
    STOCK("stock", System.getProperty("bench.image.stock", "connect-aws-bench/stock-connect:4.3.1"), false);

    final String label;
    final String image;
    /** Ours runs as on ECS with readonlyRootFilesystem; the stock image writes its config at start. */
    final boolean readOnlyRoot;

    Flavour(String label, String image, boolean readOnlyRoot) {
        this.label = label;
        this.image = image;
        this.readOnlyRoot = readOnlyRoot;
    }

    /** The environment of a worker in {@code group} on the lab's broker: the same variables for both images. */
    Map<String, String> env(String group) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BOOTSTRAP_SERVERS", Lab.KAFKA_INTERNAL);
        env.put("GROUP_ID", group);
        env.put("CONFIG_STORAGE_TOPIC", group + "-configs");
        env.put("OFFSET_STORAGE_TOPIC", group + "-offsets");
        env.put("STATUS_STORAGE_TOPIC", group + "-status");
        env.put("CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR", "1");
        env.put("CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR", "1");
        env.put("CONNECT_STATUS_STORAGE_REPLICATION_FACTOR", "1");
        env.putAll(pairs(System.getenv(this == OURS ? "OURS_ENV" : "STOCK_ENV")));
        return env;
    }

    /** Extra connector settings for this image's connectors (OURS_CONNECTOR / STOCK_CONNECTOR): for tuning trials. */
    Map<String, String> connectorExtras() {
        return pairs(System.getenv(this == OURS ? "OURS_CONNECTOR" : "STOCK_CONNECTOR"));
    }

    /** "K=V,K=V" (empty or unset: none). */
    static Map<String, String> pairs(String list) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (list != null) {
            for (String pair : list.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("'" + pair + "' is not KEY=VALUE (in OURS_/STOCK_ENV or _CONNECTOR)");
                }
                pairs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return pairs;
    }
}
