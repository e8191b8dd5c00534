package io.connectaws.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.connectaws.security.BasicCredentials;

/** {@code hash-password USER}: a password read from standard input as a line for CONNECT_AWS_REST_BASIC_CREDENTIALS. */
final class HashPassword {
    private HashPassword() {
    }

    /**
     * The {@code USER:pbkdf2-sha256:...} line for the password on {@code in} (one trailing newline dropped).
     *
     * @throws LauncherException when the input holds no password
     */
    static String line(String user, InputStream in) {
        String password;
        try {
            password = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LauncherException("cannot read the password from standard input: " + e.getMessage());
        }
        if (password.endsWith("\n")) {
            password = password.substring(0, password.length() - (password.endsWith("\r\n") ? 2 : 1));
        }
        if (password.isEmpty()) {
            throw new LauncherException("hash-password read no password: pipe it in with docker run --rm -i "
                    + "(echo -n PASSWORD | docker run --rm -i IMAGE hash-password USER)");
        }
        return BasicCredentials.hash(user, password.toCharArray());
    }
}
