package io.connectaws.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class BasicCredentialsTest {
    private static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aHashedEntryAuthenticatesItsPasswordOnly() {
        String entry = BasicCredentials.hash("ops", "s3cret:with colon".toCharArray());
        assertThat(entry).startsWith("ops:pbkdf2-sha256:600000:").doesNotContain("s3cret");
        BasicCredentials users = BasicCredentials.parse("other:" + entry.substring(4) + "\n" + entry, "SETTING");
        assertThat(users.authenticate(basic("ops:s3cret:with colon"))).hasValue("ops");
        assertThat(users.authenticate(basic("ops:s3cret:with colon"))).hasValue("ops"); // remembered
        assertThat(users.authenticate(basic("ops:s3cret"))).isEmpty();
        assertThat(users.authenticate(basic("nobody:s3cret:with colon"))).isEmpty();
        assertThat(users.authenticate("Bearer x")).isEmpty();
        assertThat(users.authenticate("Basic !!!")).isEmpty();
        assertThat(users.authenticate(null)).isEmpty();
    }

    @Test
    void entriesThatAreNotHashesAreRefusedWithoutQuotingThem() {
        assertThatThrownBy(() -> BasicCredentials.parse("ops:plaintext-password", "SETTING"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SETTING's entry 1")
                .hasMessageContaining("hash-password").hasMessageNotContaining("plaintext-password");
        assertThatThrownBy(() -> BasicCredentials.parse("ops:pbkdf2-sha256:1000:AAAA:AAAA", "SETTING"))
                .hasMessageContaining("at least 10000 iterations");
        assertThatThrownBy(() -> BasicCredentials.parse("  ", "SETTING")).hasMessageContaining("holds no user");
    }
}
