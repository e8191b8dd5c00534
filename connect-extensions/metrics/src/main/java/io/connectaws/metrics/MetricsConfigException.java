package io.connectaws.metrics;

import org.apache.kafka.common.config.ConfigException;

/** A metrics setting or the rules file is wrong; the message names the setting or file, the problem and the fix. */
public final class MetricsConfigException extends ConfigException {
    private static final long serialVersionUID = 1L;

    public MetricsConfigException(String message) {
        super(message);
    }
}
