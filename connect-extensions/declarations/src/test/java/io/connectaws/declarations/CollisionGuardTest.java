package io.connectaws.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.connect.health.ConnectClusterState;
import org.apache.kafka.connect.health.ConnectClusterDetails;
import org.apache.kafka.connect.health.ConnectorHealth;
import org.junit.jupiter.api.Test;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

class CollisionGuardTest {
    static final String PG = "io.debezium.connector.postgresql.PostgresConnector";

    final Map<String, Map<String, String>> stored = new TreeMap<>();
    final AtomicInteger configReads = new AtomicInteger();
    final AtomicLong now = new AtomicLong();
    final CollisionGuard guard = new CollisionGuard(new ConnectClusterState() {
        @Override
        public Collection<String> connectors() {
            return List.copyOf(stored.keySet());
        }

        @Override
        public ConnectorHealth connectorHealth(String connName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> connectorConfig(String connName) {
            configReads.incrementAndGet();
            return stored.get(connName);
        }

        @Override
        public ConnectClusterDetails clusterDetails() {
            return () -> "cluster";
        }
    }, now::get);

    /** Runs the filter on a request; returns the aborting response, or null when the request passes. */
    Response filter(String method, String path, String body) throws Exception {
        AtomicReference<Response> aborted = new AtomicReference<>();
        AtomicReference<InputStream> entity = new AtomicReference<>(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        List<PathSegment> segments = Arrays.stream(path.split("/")).map(s -> (PathSegment) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {PathSegment.class},
                (p, m, a) -> m.getName().equals("getPath") ? s : null)).toList();
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UriInfo.class},
                (p, m, a) -> m.getName().equals("getPathSegments") ? segments : null);
        ContainerRequestContext request = (ContainerRequestContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getUriInfo" -> uri;
                    case "getMethod" -> method;
                    case "hasEntity" -> true;
                    case "getEntityStream" -> entity.get();
                    case "setEntityStream" -> {
                        entity.set((InputStream) a[0]);
                        yield null;
                    }
                    case "abortWith" -> {
                        aborted.set((Response) a[0]);
                        yield null;
                    }
                    default -> null;
                });
        guard.filter(request);
        assertThat(new String(entity.get().readAllBytes(), StandardCharsets.UTF_8)).as("body kept for Connect").isEqualTo(body);
        return aborted.get();
    }

    @Test
    void aSecondConnectorWithTheSameTopicPrefixIsRefusedNamingTheFirst() throws Exception {
        stored.put("orders", Map.of("connector.class", PG, "topic.prefix", "shop", "database.hostname", "db1",
                "database.dbname", "orders", "slot.name", "orders"));
        Response r = filter("POST", "connectors", "{\"name\": \"billing\", \"config\": {\"connector.class\": \"" + PG
                + "\", \"topic.prefix\": \"shop\", \"database.hostname\": \"db2\", \"database.dbname\": \"billing\"}}");
        assertThat(r).isNotNull();
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getEntity().toString()).contains("\"error_code\":400")
                .contains("Connector 'billing' would use topic.prefix 'shop', which connector 'orders' already uses");
    }

    @Test
    void theSameSlotOnTheSameDatabaseIsRefusedOnReplaceToo() throws Exception {
        stored.put("orders", Map.of("connector.class", PG, "topic.prefix", "a", "database.hostname", "db1",
                "database.dbname", "app", "publication.autocreate.mode", "disabled"));
        Response r = filter("PUT", "connectors/billing/config", "{\"connector.class\": \"" + PG + "\", \"topic.prefix\": \"b\","
                + " \"database.hostname\": \"DB1\", \"database.port\": 5432, \"database.dbname\": \"app\","
                + " \"publication.autocreate.mode\": \"disabled\"}");
        assertThat(r).isNotNull();
        assertThat(r.getEntity().toString()).contains("slot.name 'debezium' on database 'db1:5432/app'");
    }

    @Test
    void updatingAConnectorsOwnConfigAndOtherCallsPass() throws Exception {
        stored.put("orders", Map.of("connector.class", PG, "topic.prefix", "shop"));
        assertThat(filter("PUT", "connectors/orders/config", "{\"connector.class\": \"" + PG + "\", \"topic.prefix\": \"shop\"}")).isNull();
        assertThat(filter("POST", "connectors", "{\"name\": \"file\", \"config\": {\"connector.class\": \"org.apache.kafka.connect.file.FileStreamSourceConnector\", \"topic.prefix\": \"shop\"}}")).isNull();
        assertThat(filter("PUT", "connectors/x/pause", "")).isNull();
        assertThat(filter("POST", "connectors", "not json")).isNull();
    }

    @Test
    void otherConnectorsConfigsAreReadOnceWhileFresh() throws Exception {
        for (int i = 0; i < 50; i++) {
            stored.put("c" + i, Map.of("connector.class", PG, "topic.prefix", "p" + i));
        }
        for (int i = 50; i < 60; i++) {
            filter("POST", "connectors", "{\"name\": \"c" + i + "\", \"config\": {\"connector.class\": \"" + PG
                    + "\", \"topic.prefix\": \"p" + i + "\"}}");
            stored.put("c" + i, Map.of("connector.class", PG, "topic.prefix", "p" + i));
        }
        assertThat(configReads.get()).isLessThanOrEqualTo(60);
        now.addAndGet(6_000_000_000L);
        configReads.set(0);
        filter("POST", "connectors", "{\"name\": \"new\", \"config\": {\"connector.class\": \"" + PG + "\", \"topic.prefix\": \"q\"}}");
        assertThat(configReads.get()).as("stale entries are read again").isEqualTo(60);
    }

    @Test
    void aPatchIsCheckedAgainstTheConfigItWouldMake() throws Exception {
        stored.put("orders", Map.of("connector.class", PG, "topic.prefix", "shop"));
        stored.put("billing", Map.of("connector.class", PG, "topic.prefix", "bill"));
        Response r = filter("PATCH", "connectors/billing/config", "{\"topic.prefix\": \"shop\"}");
        assertThat(r).isNotNull();
        assertThat(r.getEntity().toString()).contains("'billing' would use topic.prefix 'shop'");
        assertThat(filter("PATCH", "connectors/billing/config", "{\"snapshot.mode\": \"never\"}")).isNull();
    }
}
