package io.connectaws.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** config/ecs/connect-service.cfn.json deployed the ways a user would: on Fargate in a new cluster, on EC2 in an existing one. */
final class ServiceDeployments {
    static final Path TEMPLATE = Path.of("ecs/connect-service.cfn.json");

    private ServiceDeployments() {
    }

    /** The parameters every deployment needs, with every option on (load balancer, a database, declarations). */
    static Map<String, String> common() {
        Map<String, String> p = new HashMap<>();
        p.put("ServiceName", "connect-cdc");
        p.put("Image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/connect-aws:0.1.0");
        p.put("VpcId", "vpc-0123456789abcdef0");
        p.put("SubnetIds", "subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002");
        p.put("BootstrapServers", "b-1.cdc.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.cdc.abc123.c2.kafka.eu-west-1.amazonaws.com:9098");
        p.put("MskClusterName", "cdc");
        p.put("MskClusterUuid", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9-2");
        p.put("MskSecurityGroupId", "sg-0123456789abcdef1");
        p.put("GroupId", "orders-cdc");
        p.put("DatabaseSecurityGroupId", "sg-0123456789abcdef2");
        p.put("DeclarationsSsmPath", "/connect/orders-cdc/connectors");
        p.put("RestLoadBalancer", "internal-alb");
        return p;
    }

    static Map<String, String> fargate() {
        Map<String, String> p = common();
        p.put("LaunchType", "FARGATE");
        return p;
    }

    static Map<String, String> ec2() {
        Map<String, String> p = common();
        p.put("LaunchType", "EC2");
        p.put("ExistingClusterName", "cdc-ec2");
        p.put("RestLoadBalancer", "none");
        p.put("DeclarationsSsmPath", "");
        return p;
    }

    static Map<String, Map<String, String>> launchTypes() {
        return Map.of("FARGATE", fargate(), "EC2", ec2());
    }

    static CfnTemplate deploy(Map<String, String> values) throws IOException {
        return CfnTemplate.load(TEMPLATE, values);
    }

    static CfnTemplate deploy(Map<String, String> values, Map<String, String> more) throws IOException {
        Map<String, String> all = new HashMap<>(values);
        all.putAll(more);
        return CfnTemplate.load(TEMPLATE, all);
    }
}
