package io.connectaws.it.mskiam;

import java.security.Provider;
import java.security.Security;

/** The JCA provider that makes {@code Sasl.createSaslServer("AWS_MSK_IAM", ...)} find {@link MskIamSaslServerFactory}. */
public final class MskIamSaslServerProvider extends Provider {
    private static final long serialVersionUID = 1L;

    private MskIamSaslServerProvider() {
        super("connect-aws test MSK IAM SASL server", "1.0",
            "Server side of SASL/AWS_MSK_IAM for test brokers (io.connectaws.it.mskiam)");
        put("SaslServerFactory." + MskIamSaslServer.MECHANISM, MskIamSaslServerFactory.class.getName());
    }

    /** Registers the provider once per JVM (a second call is a no-op: same provider name). */
    public static void initialize() {
        Security.addProvider(new MskIamSaslServerProvider());
    }
}
