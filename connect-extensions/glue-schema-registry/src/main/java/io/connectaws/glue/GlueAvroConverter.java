package io.connectaws.glue;

import com.amazonaws.services.schemaregistry.kafkaconnect.AWSKafkaAvroConverter;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

/**
 * AWS Glue Schema Registry's Avro converter ({@link AWSKafkaAvroConverter}, same settings, same bytes) whose errors
 * say which registry failed and why: {@code AWS Glue Schema Registry 'cdc' (region eu-west-1): <the service's or the
 * network's answer>} instead of the upstream "serialization error: " with the reason three causes down. Settings are
 * passed through unchanged; no credential is ever part of them or of a message.
 */
public final class GlueAvroConverter implements Converter {
    private final AWSKafkaAvroConverter delegate = new AWSKafkaAvroConverter();
    private String registry = "?";

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registry = describe(configs);
        delegate.configure(configs, isKey);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        try {
            return delegate.fromConnectData(topic, schema, value);
        } catch (DataException e) {
            throw explained("cannot register or look up the schema of topic '" + topic + "'", e);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        try {
            return delegate.toConnectData(topic, value);
        } catch (DataException e) {
            throw explained("cannot read a record of topic '" + topic + "'", e);
        }
    }

    private DataException explained(String what, DataException e) {
        return new DataException(registry + ": " + what + ": " + reason(e), e);
    }

    /** {@code AWS Glue Schema Registry 'name' (region r, endpoint e)}, from the converter's own settings. */
    static String describe(Map<String, ?> configs) {
        Object name = configs.get("registry.name");
        Object region = configs.get("region");
        Object endpoint = configs.get("endpoint");
        return "AWS Glue Schema Registry '" + (name == null ? "default-registry" : name) + "' ("
            + (region == null ? "region from AWS_REGION" : "region " + region)
            + (endpoint == null ? "" : ", endpoint " + endpoint) + ")";
    }

    /**
     * The AWS SDK's own message, the outermost one in the cause chain (the Glue service's answer with its error
     * code and status, or the HTTP client's "Unable to execute HTTP request: ..."), else the innermost cause's.
     */
    static String reason(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("software.amazon.awssdk.") && t.getMessage() != null) {
                return t.getMessage();
            }
            root = t;
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getName() : message;
    }
}
