package io.connectaws.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST listener's TLS material as files Connect's Jetty can open: a PKCS12 key store from a PEM certificate chain
 * and an unencrypted PKCS#8 private key (what ACM-exported and openssl-made keys become with
 * {@code openssl pkcs8 -topk8 -nocrypt}), and a trust store with the chain's last certificate (so workers trust each
 * other when a follower forwards a call to the leader) plus the client CA of mutual TLS. Written with a random password,
 * owner-only, under a directory of the container's writable {@code /tmp}. Errors name the variable, never the PEM.
 */
final class RestTlsFiles {
    static final String CERTIFICATE = "CONNECT_AWS_REST_TLS_CERTIFICATE";
    static final String KEY = "CONNECT_AWS_REST_TLS_KEY";
    static final String CLIENT_CA = "CONNECT_AWS_REST_TLS_CLIENT_CA";
    private static final Pattern KEY_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

    /** The files and their password. */
    record Files(Path keyStore, Path trustStore, String password) {
    }

    private RestTlsFiles() {
    }

    /**
     * Writes the key store and trust store into {@code dir}.
     *
     * @throws LauncherException naming the variable whose PEM cannot be read, or the directory that cannot be written
     */
    static Files write(String certificatePem, String keyPem, Optional<String> clientCaPem, Path dir) {
        List<X509Certificate> chain = certificates(certificatePem, CERTIFICATE);
        PrivateKey key = privateKey(keyPem);
        if (!chain.get(0).getPublicKey().equals(publicOf(key, chain.get(0)))) {
            throw new LauncherException(KEY + " is not the private key of the first certificate in " + CERTIFICATE
                    + ": set both from the same certificate (the leaf first, then its chain)");
        }
        List<X509Certificate> clientCas = clientCaPem.map(p -> certificates(p, CLIENT_CA)).orElse(List.of());
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            java.nio.file.Files.createDirectories(dir);
            restrict(dir, "rwx------");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("rest", key, password.toCharArray(), chain.toArray(new Certificate[0]));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("worker", chain.get(chain.size() - 1));
            for (int i = 0; i < clientCas.size(); i++) {
                trust.setCertificateEntry("client-ca-" + i, clientCas.get(i));
            }
            Path keyStore = dir.resolve("rest-keystore.p12");
            Path trustStore = dir.resolve("rest-truststore.p12");
            store(keys, keyStore, password);
            store(trust, trustStore, password);
            return new Files(keyStore, trustStore, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new LauncherException("cannot write the REST listener's key store under " + dir + " (" + e.getClass()
                    .getSimpleName() + "): the container needs a writable /tmp (a task definition volume, docs/security.md)");
        }
    }

    private static List<X509Certificate> certificates(String pem, String variable) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.trim().getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> out = new ArrayList<>();
            certs.forEach(c -> out.add((X509Certificate) c));
            if (out.isEmpty()) {
                throw new java.security.cert.CertificateException("none");
            }
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new LauncherException(variable + " holds no PEM certificate (-----BEGIN CERTIFICATE----- ...): set it "
                    + "from a Secrets Manager secret in the task definition's secrets (docs/security.md)");
        }
    }

    private static PrivateKey privateKey(String pem) {
        Matcher m = KEY_BLOCK.matcher(pem == null ? "" : pem);
        if (!m.find()) {
            throw new LauncherException(KEY + " holds no PEM private key (-----BEGIN PRIVATE KEY----- ...)");
        }
        if (!m.group(1).isEmpty()) {
            throw new LauncherException(KEY + " holds a " + m.group(1).trim() + " PRIVATE KEY; the image reads unencrypted "
                    + "PKCS#8 keys: convert it once with `openssl pkcs8 -topk8 -nocrypt -in key.pem` and store that");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // try the next
            }
        }
        throw new LauncherException(KEY + " holds a PKCS#8 key of an algorithm the JDK cannot read (RSA, EC, Ed25519)");
    }

    /** The public key matching {@code key}, derived by signing with it and verifying against the certificate. */
    private static java.security.PublicKey publicOf(PrivateKey key, X509Certificate cert) {
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                default -> key.getAlgorithm();
            };
            byte[] probe = "connect-aws".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature s = java.security.Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            java.security.Signature v = java.security.Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig) ? cert.getPublicKey() : null;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static void store(KeyStore store, Path file, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = java.nio.file.Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        restrict(file, "rw-------");
    }

    private static void restrict(Path path, String permissions) throws IOException {
        try {
            java.nio.file.Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // the image's file system is POSIX; a test on another may keep the default
        }
    }
}
