package io.connectaws.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Certificate authorities and certificates made at test time with the JDK's own {@code keytool} (EC P-256, valid two
 * days; no extra dependency), as PEM for the image's {@code CONNECT_AWS_REST_TLS_*} variables and as
 * {@link SSLContext}s for a test client.
 */
final class TestCertificates {
    private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");
    private static final String STORE_PASSWORD = "test-store-pw";

    private TestCertificates() {
    }

    /** A key and its certificate chain, leaf first. */
    record Issued(PrivateKey key, List<X509Certificate> chain) {
        /** The chain as PEM (what CONNECT_AWS_REST_TLS_CERTIFICATE holds). */
        String certificatePem() {
            StringBuilder pem = new StringBuilder();
            chain.forEach(c -> pem.append(pem(c)));
            return pem.toString();
        }

        /** The leaf alone as PEM. */
        String leafPem() {
            return pem(chain.get(0));
        }

        /** The private key as unencrypted PKCS#8 PEM (what CONNECT_AWS_REST_TLS_KEY holds). */
        String keyPem() {
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        }
    }

    /** A CA that keytool made in {@code dir}; it issues certificates from its own key store there. */
    static final class Authority {
        private final Path dir;
        private final String name;
        private final Issued self;

        private Authority(Path dir, String name, Issued self) {
            this.dir = dir;
            this.name = name;
            this.self = self;
        }

        X509Certificate certificate() {
            return self.chain().get(0);
        }

        String pem() {
            return TestCertificates.pem(certificate());
        }

        /**
         * A certificate for {@code cn} signed by this CA, with {@code san} (keytool's form, e.g.
         * {@code dns:localhost,ip:127.0.0.1}) when not null; its chain is the leaf then this CA.
         */
        Issued issue(String cn, String san) {
            Path store = dir.resolve(cn + ".p12");
            Path csr = dir.resolve(cn + ".csr");
            Path pem = dir.resolve(cn + ".pem");
            genKeyPair(store, cn, false);
            keytool("-certreq", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
                    "-alias", cn, "-file", csr.toString());
            List<String> gencert = new ArrayList<>(List.of("-gencert", "-keystore", dir.resolve(name + ".p12").toString(),
                    "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-alias", name, "-infile", csr.toString(),
                    "-outfile", pem.toString(), "-rfc", "-validity", "2"));
            if (san != null) {
                gencert.addAll(List.of("-ext", "san=" + san));
            }
            keytool(gencert.toArray(String[]::new));
            try {
                X509Certificate leaf = certificates(Files.readString(pem)).get(0);
                return new Issued(privateKey(store, cn), List.of(leaf, certificate()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A new self-signed CA named {@code name} (its files under {@code dir}). */
    static Authority authority(Path dir, String name) {
        Path store = dir.resolve(name + ".p12");
        genKeyPair(store, name, true);
        try {
            KeyStore ks = load(store);
            X509Certificate cert = (X509Certificate) ks.getCertificate(name);
            return new Authority(dir, name, new Issued(privateKey(store, name), List.of(cert)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read the CA " + name, e);
        }
    }

    /**
     * A TLS context trusting {@code trusted} and presenting {@code client} (its key and chain) when not null; without
     * a client certificate it sends none when a server asks for one.
     */
    static SSLContext context(X509Certificate trusted, Issued client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (client != null) {
                char[] pw = STORE_PASSWORD.toCharArray();
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", client.key(), pw, client.chain().toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, pw);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : new KeyManager[] {always((X509KeyManager) kmf.getKeyManagers()[0])},
                    tmf.getTrustManagers(), new SecureRandom());
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    /**
     * Presents the one client certificate whatever CAs the server names: JSSE's own choice would send none when the
     * server does not list its issuer, and a test of a foreign CA's certificate must have it reach the server.
     */
    private static X509ExtendedKeyManager always(X509KeyManager keys) {
        return new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return "client";
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"client"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "client";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return keys.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return keys.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return keys.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return keys.getPrivateKey(alias);
            }
        };
    }

    static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void genKeyPair(Path store, String cn, boolean ca) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-alias", cn, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + cn + ",O=connect-aws tests", "-validity", "2"));
        if (ca) {
            args.addAll(List.of("-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign"));
        }
        keytool(args.toArray(String[]::new));
    }

    private static PrivateKey privateKey(Path store, String alias) {
        try {
            return (PrivateKey) load(store).getKey(alias, STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read the key " + alias, e);
        }
    }

    private static KeyStore load(Path store) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        return ks;
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .forEach(c -> out.add((X509Certificate) c));
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keytool wrote no certificate", e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(KEYTOOL.toString());
        command.addAll(List.of(args));
        command.add("-noprompt");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
