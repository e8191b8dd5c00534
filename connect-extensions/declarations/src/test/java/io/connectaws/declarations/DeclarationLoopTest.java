package io.connectaws.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rounds as the worker runs them: only the leader named by Connect's rebalance metric writes. */
class DeclarationLoopTest {
    final FakeConnect connect = new FakeConnect();
    volatile String leaderName = "";

    final DeclarationSource source = new DeclarationSource() {
        @Override
        public Read read() {
            return new Read(List.of(DocumentParserTest.yaml("file:a.yaml", "name: a\nconnector.class: C\n"),
                    DocumentParserTest.yaml("file:bad.yaml", "name: [\n")), List.of(), true);
        }

        @Override
        public String describe() {
            return "test source";
        }
    };

    void leaderMetric() throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(new DynamicMBean() {
            @Override
            public Object getAttribute(String attribute) {
                return leaderName;
            }

            @Override
            public void setAttribute(Attribute attribute) {
            }

            @Override
            public AttributeList getAttributes(String[] attributes) {
                return new AttributeList();
            }

            @Override
            public AttributeList setAttributes(AttributeList attributes) {
                return attributes;
            }

            @Override
            public Object invoke(String actionName, Object[] params, String[] signature) {
                return null;
            }

            @Override
            public MBeanInfo getMBeanInfo() {
                return new MBeanInfo(getClass().getName(), "", null, null, null, null);
            }
        }, new ObjectName(Leadership.REBALANCE_MBEAN));
    }

    @AfterEach
    void unregister() throws Exception {
        ObjectName name = new ObjectName(Leadership.REBALANCE_MBEAN);
        if (ManagementFactory.getPlatformMBeanServer().isRegistered(name)) {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        }
    }

    DeclarationLoop loop(DeclarationsMetrics metrics) {
        return new DeclarationLoop(DeclarationSettings.from(Map.of()), List.of(source), connect,
                new Leadership("10.0.1.5:8083"), metrics, "10.0.1.5:8083");
    }

    @Test
    void onlyTheLeaderApplies() throws Exception {
        leaderMetric();
        DeclarationsMetrics metrics = new DeclarationsMetrics();
        DeclarationLoop loop = loop(metrics);
        assertThat(loop.round()).as("not joined yet: try again soon").isFalse();
        assertThat(loop.report().role()).isEqualTo("UNKNOWN");
        leaderName = "http://10.0.1.9:8083/";
        assertThat(loop.round()).isTrue();
        assertThat(connect.calls).isEmpty();
        assertThat(loop.report().role()).isEqualTo("FOLLOWER");
        assertThat(loop.report().connectors()).singleElement().satisfies(s -> assertThat(s.outcome()).isNull());
        assertThat(loop.report().problems()).singleElement().satisfies(p -> assertThat(p.where()).isEqualTo("file:bad.yaml"));
        assertThat(metrics.getLeader()).isZero();
        leaderName = "http://10.0.1.5:8083/";
        assertThat(loop.round()).isTrue();
        assertThat(connect.calls).containsExactly("create a RUNNING");
        assertThat(loop.report().role()).isEqualTo("LEADER");
        assertThat(loop.report().complete()).isFalse();
        assertThat(metrics.getLeader()).isOne();
        assertThat(metrics.getAppliedTotal()).isOne();
        assertThat(metrics.getFailed()).as("the unreadable document").isOne();
        assertThat(metrics.getDeclared()).isOne();
        Map<String, Object> body = DeclarationsResource.body(loop.report());
        assertThat(body).containsEntry("role", "leader").containsEntry("complete", false);
        assertThat(body.get("connectors").toString()).contains("outcome=applied");
    }

    @Test
    void withoutTheMetricEveryWorkerAppliesIdempotently() throws Exception {
        DeclarationLoop loop = loop(new DeclarationsMetrics());
        assertThat(loop.round()).isTrue();
        assertThat(loop.report().role()).isEqualTo("NO_METRIC");
        assertThat(connect.calls).containsExactly("create a RUNNING");
    }

    @Test
    void leaderUrlsCompareAsHostAndPort() {
        assertThat(Leadership.hostPort("http://Worker-1:8083/")).contains("worker-1:8083");
        assertThat(Leadership.hostPort("https://w:8443")).contains("w:8443");
        assertThat(Leadership.hostPort("http://w/")).contains("w:80");
        assertThat(Leadership.hostPort("")).isEmpty();
    }
}
