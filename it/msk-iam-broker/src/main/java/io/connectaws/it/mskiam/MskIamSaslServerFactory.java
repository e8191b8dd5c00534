package io.connectaws.it.mskiam;

import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import javax.security.sasl.SaslServerFactory;
import org.apache.kafka.common.internals.SecurityManagerCompatibility;

/**
 * Creates {@link MskIamSaslServer}s. Kafka creates SASL servers inside {@code callAs(subject)} of the listener's
 * login, so the current Subject carries the listener's {@link MskIamLoginModule} options.
 */
public final class MskIamSaslServerFactory implements SaslServerFactory {

    @Override
    public SaslServer createSaslServer(String mechanism, String protocol, String serverName, Map<String, ?> props,
                                       CallbackHandler cbh) throws SaslException {
        if (!MskIamSaslServer.MECHANISM.equals(mechanism)) {
            throw new SaslException("Unsupported mechanism " + mechanism + ", only " + MskIamSaslServer.MECHANISM);
        }
        Subject subject = SecurityManagerCompatibility.get().current();
        MskIamServerOptions options = subject == null ? null
            : subject.getPublicCredentials(MskIamServerOptions.class).stream().findFirst().orElse(null);
        if (options == null) {
            throw new SaslException("No " + MskIamLoginModule.class.getName() + " options in the current Subject: "
                + "configure listener.name.<listener>.aws_msk_iam.sasl.jaas.config with that login module");
        }
        return new MskIamSaslServer(options, options.serverName() != null ? options.serverName() : serverName);
    }

    @Override
    public String[] getMechanismNames(Map<String, ?> props) {
        // like PLAIN: the payload travels in the clear, so a no-plaintext policy excludes it
        if (props != null && "true".equals(props.get(Sasl.POLICY_NOPLAINTEXT))) {
            return new String[0];
        }
        return new String[] {MskIamSaslServer.MECHANISM};
    }
}
