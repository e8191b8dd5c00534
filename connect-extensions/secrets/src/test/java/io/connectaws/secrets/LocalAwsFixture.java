package io.connectaws.secrets;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.connectaws.it.aws.LocalAws;

/**
 * A local endpoint speaking the Secrets Manager, SSM and STS wire protocols, and credentials served the way ECS
 * serves a task role: the SDK's default chain finds them through {@code aws.containerCredentialsFullUri}.
 */
abstract class LocalAwsFixture {
    static final String REGION = "eu-west-1";
    static LocalAws aws;

    @BeforeAll
    static void startLocalAws() {
        aws = LocalAws.start(0, REGION);
        System.setProperty("aws.containerCredentialsFullUri", "http://localhost:" + aws.port() + aws.containerCredentialsPath());
    }

    @AfterAll
    static void stopLocalAws() {
        System.clearProperty("aws.containerCredentialsFullUri");
        aws.close();
    }

    @BeforeEach
    void fresh() {
        SharedValues.clear();
        aws.clearRequests();
    }

    @AfterEach
    void noLeftoverThrottling() {
        SharedValues.clear();
    }

    /** Provider parameters pointing at the local endpoint, plus {@code extra} key/value pairs. */
    static Map<String, Object> params(String... extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("endpoint", aws.endpoint().toString());
        p.put("region", REGION);
        p.put("api.max.attempts", "3");
        for (int i = 0; i < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        return p;
    }
}
