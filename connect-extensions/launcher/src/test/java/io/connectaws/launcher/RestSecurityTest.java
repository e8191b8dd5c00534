package io.connectaws.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.connectaws.rest.WorkerRest;
import io.connectaws.security.BasicCredentials;
import io.connectaws.security.RestSecurityExtension;
import io.connectaws.security.RestSecuritySettings;

class RestSecurityTest {
    static String certificate;
    static String key;
    static String otherCertificate;

    @TempDir
    static Path keys;

    /** A key pair and self-signed certificate made by the JDK's keytool, as PEM text. */
    static String[] selfSigned(String alias) throws Exception {
        Path store = keys.resolve(alias + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate(alias);
        PrivateKey k = (PrivateKey) ks.getKey(alias, "changeit".toCharArray());
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return new String[] {"-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n",
                "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(k.getEncoded()) + "\n-----END PRIVATE KEY-----\n"};
    }

    @BeforeAll
    static void material() throws Exception {
        String[] worker = selfSigned("worker");
        certificate = worker[0];
        key = worker[1];
        otherCertificate = selfSigned("other")[0];
    }

    private static Map<String, String> apply(Map<String, String> env, Path dir) {
        Map<String, String> merged = new TreeMap<>(Map.of("listeners", "http://0.0.0.0:8083", "group.id", "g"));
        RestSecurity.apply(env, merged, new HashMap<>(), dir);
        return merged;
    }

    @Test
    void nothingSetAddsNothing(@TempDir Path dir) {
        assertThat(apply(Map.of(), dir)).containsOnlyKeys("listeners", "group.id");
    }

    @Test
    void basicModeCarriesTheHashedUsersAndARandomWorkerToken(@TempDir Path dir) {
        String entry = BasicCredentials.hash("ops", "pw".toCharArray());
        Map<String, String> a = apply(Map.of(RestSecurity.AUTH, "basic", RestSecurity.BASIC_CREDENTIALS, entry), dir);
        Map<String, String> b = apply(Map.of(RestSecurity.AUTH, "basic", RestSecurity.BASIC_CREDENTIALS, entry), dir);
        assertThat(a).containsEntry(RestSecuritySettings.AUTH, "basic").containsEntry(RestSecuritySettings.BASIC_CREDENTIALS, entry)
                .containsEntry("rest.extension.classes", RestSecurityExtension.class.getName());
        assertThat(a.get(WorkerRest.TOKEN_PROPERTY)).hasSizeGreaterThan(40).isNotEqualTo(b.get(WorkerRest.TOKEN_PROPERTY));
        assertThat(Masking.printable(WorkerRest.TOKEN_PROPERTY, a.get(WorkerRest.TOKEN_PROPERTY))).isEqualTo(Masking.MASK);
        assertThat(Masking.printable(RestSecuritySettings.BASIC_CREDENTIALS, entry)).isEqualTo(Masking.MASK);
    }

    @Test
    void withAuthenticationTheLoggersEndpointsMoveBackBehindIt(@TempDir Path dir) {
        Map<String, String> merged = new TreeMap<>(Map.of("admin.listeners", "http://127.0.0.1:8084", "group.id", "g"));
        Map<String, String> origins = new HashMap<>(Map.of("admin.listeners", "profile"));
        RestSecurity.apply(Map.of(RestSecurity.AUTH, "basic", RestSecurity.BASIC_CREDENTIALS,
                BasicCredentials.hash("ops", "pw".toCharArray())), merged, origins, dir);
        assertThat(merged).doesNotContainKey("admin.listeners");
        Map<String, String> own = new TreeMap<>(Map.of("admin.listeners", "http://0.0.0.0:9999", "group.id", "g"));
        RestSecurity.apply(Map.of(RestSecurity.AUTH, "basic", RestSecurity.BASIC_CREDENTIALS,
                BasicCredentials.hash("ops", "pw".toCharArray())), own, new HashMap<>(Map.of("admin.listeners",
                "CONNECT_ADMIN_LISTENERS")), dir);
        assertThat(own).as("a listener the user set is kept").containsEntry("admin.listeners", "http://0.0.0.0:9999");
        Map<String, String> none = new TreeMap<>(Map.of("admin.listeners", "http://127.0.0.1:8084"));
        RestSecurity.apply(Map.of(), none, new HashMap<>(Map.of("admin.listeners", "profile")), dir);
        assertThat(none).containsEntry("admin.listeners", "http://127.0.0.1:8084");
    }

    @Test
    void mistakesNameTheVariable(@TempDir Path dir) {
        assertThatThrownBy(() -> apply(Map.of(RestSecurity.AUTH, "kerberos"), dir)).hasMessageContaining(
                "CONNECT_AWS_REST_AUTH=kerberos is not a REST authentication mode: use none, basic, iam or mtls");
        assertThatThrownBy(() -> apply(Map.of(RestSecurity.AUTH, "basic"), dir)).hasMessageContaining(
                "CONNECT_AWS_REST_AUTH=basic needs CONNECT_AWS_REST_BASIC_CREDENTIALS");
        assertThatThrownBy(() -> apply(Map.of(RestSecurity.AUTH, "basic", RestSecurity.BASIC_CREDENTIALS, "ops:plain"), dir))
                .hasMessageContaining("CONNECT_AWS_REST_BASIC_CREDENTIALS's entry 1").hasMessageNotContaining("plain");
        assertThatThrownBy(() -> apply(Map.of(RestSecurity.AUTH, "iam"), dir)).hasMessageContaining(
                "CONNECT_AWS_REST_IAM_PRINCIPALS");
        assertThatThrownBy(() -> apply(Map.of(RestSecurity.IAM_PRINCIPALS, "arn:aws:iam::1:role/x"), dir))
                .hasMessageContaining("CONNECT_AWS_REST_IAM_PRINCIPALS is set but CONNECT_AWS_REST_AUTH is none");
        assertThatThrownBy(() -> apply(Map.of(RestSecurity.AUTH, "mtls"), dir)).hasMessageContaining(
                "CONNECT_AWS_REST_AUTH=mtls needs CONNECT_AWS_REST_TLS_CERTIFICATE");
        assertThatThrownBy(() -> apply(Map.of(RestTlsFiles.CERTIFICATE, certificate), dir)).hasMessageContaining(
                "CONNECT_AWS_REST_TLS_CERTIFICATE is set without CONNECT_AWS_REST_TLS_KEY");
        assertThatThrownBy(() -> apply(Map.of(RestSecurity.WRITE_LOCK, "yes"), dir)).hasMessageContaining(
                "CONNECT_AWS_REST_WRITE_LOCK=yes is not true or false");
    }

    @Test
    void aCertificateMakesAnHttpsListenerAndKeepsHttpOnLoopback(@TempDir Path dir) throws Exception {
        Map<String, String> c = apply(Map.of(RestTlsFiles.CERTIFICATE, certificate, RestTlsFiles.KEY, key), dir);
        assertThat(c).containsEntry("listeners", "https://0.0.0.0:8443,http://127.0.0.1:8083")
                .containsEntry("rest.advertised.listener", "https")
                .containsEntry("listeners.https.ssl.keystore.type", "PKCS12")
                .containsEntry("listeners.https.ssl.endpoint.identification.algorithm", "")
                .doesNotContainKey("listeners.https.ssl.client.auth").doesNotContainKey(RestSecuritySettings.AUTH);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(c.get("listeners.https.ssl.keystore.location")))) {
            ks.load(in, c.get("listeners.https.ssl.keystore.password").toCharArray());
        }
        assertThat(ks.getKey("rest", c.get("listeners.https.ssl.key.password").toCharArray())).isNotNull();
        assertThat(Files.getPosixFilePermissions(Path.of(c.get("listeners.https.ssl.keystore.location"))))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Masking.printable("listeners.https.ssl.keystore.password", c.get("listeners.https.ssl.keystore.password")))
                .isEqualTo(Masking.MASK);
    }

    @Test
    void mtlsRequiresClientCertificatesOfTheGivenCa(@TempDir Path dir) throws Exception {
        Map<String, String> c = apply(Map.of(RestSecurity.AUTH, "mtls", RestTlsFiles.CERTIFICATE, certificate,
                RestTlsFiles.KEY, key, RestTlsFiles.CLIENT_CA, otherCertificate), dir);
        assertThat(c).containsEntry("listeners.https.ssl.client.auth", "required").containsEntry(RestSecuritySettings.AUTH, "mtls");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(c.get("listeners.https.ssl.truststore.location")))) {
            trust.load(in, c.get("listeners.https.ssl.truststore.password").toCharArray());
        }
        assertThat(List.of("worker", "client-ca-0")).allMatch(alias -> {
            try {
                return trust.isCertificateEntry(alias);
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void pemThatIsNotWhatItShouldBeIsNamedNeverQuoted(@TempDir Path dir) {
        assertThatThrownBy(() -> apply(Map.of(RestTlsFiles.CERTIFICATE, "garbage", RestTlsFiles.KEY, key), dir))
                .hasMessageContaining("CONNECT_AWS_REST_TLS_CERTIFICATE holds no PEM certificate");
        assertThatThrownBy(() -> apply(Map.of(RestTlsFiles.CERTIFICATE, certificate, RestTlsFiles.KEY,
                key.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY")), dir))
                .hasMessageContaining("ENCRYPTED PRIVATE KEY").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
                .hasMessageNotContaining(key.substring(40, 80));
        assertThatThrownBy(() -> apply(Map.of(RestTlsFiles.CERTIFICATE, otherCertificate, RestTlsFiles.KEY, key), dir))
                .hasMessageContaining("is not the private key of the first certificate");
    }

    @Test
    void hashPasswordReadsOneLineFromStandardInput() {
        String line = HashPassword.line("ops", new ByteArrayInputStream("s3cret\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(BasicCredentials.parse(line, "X").authenticate("Basic "
                + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8)))).hasValue("ops");
        assertThatThrownBy(() -> HashPassword.line("ops", new ByteArrayInputStream(new byte[0])))
                .hasMessageContaining("read no password");
        assertThat(Arguments.hashPasswordUser(new String[] {"hash-password", "ops"})).isEqualTo("ops");
        assertThat(Arguments.hashPasswordUser(new String[] {"start"})).isNull();
        assertThatThrownBy(() -> Arguments.hashPasswordUser(new String[] {"hash-password", "a:b"}))
                .hasMessageContaining("one user name");
    }

    @Test
    void secretReferenceKeysAreCheckedBeforeTheStart() {
        assertThat(RestSecurity.secretReferenceKeys(Map.of())).isEmpty();
        assertThat(RestSecurity.secretReferenceKeys(Map.of("CONNECT_AWS_SECRET_REFERENCE_KEYS", "kafka.user=user")))
                .isEqualTo("kafka.user=user");
        assertThatThrownBy(() -> RestSecurity.secretReferenceKeys(Map.of("CONNECT_AWS_SECRET_REFERENCE_KEYS", "topic.prefix")))
                .hasMessageContaining("KEY=WORD|WORD");
    }
}
