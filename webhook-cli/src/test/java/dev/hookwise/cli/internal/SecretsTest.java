package dev.hookwise.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void redactsKnownSecretsUrlPasswordsAndStripeKeys() {
        Secrets secrets = new Secrets();
        secrets.add("s3cret-pw");
        secrets.addUrlSecrets("jdbc:postgresql://db/app?user=app&password=url-pw-123");
        secrets.addUrlSecrets("jdbc:mysql://app:userinfo-pw@db/app");

        String redacted = secrets.redact("login failed for s3cret-pw at jdbc:postgresql://db/app?password=url-pw-123,"
                + " userinfo-pw, key sk_live_51AbCdEf and PASSWORD=other");

        assertThat(redacted).doesNotContain("s3cret-pw", "url-pw-123", "userinfo-pw", "sk_live_51AbCdEf", "other")
                .contains("sk_live_****", "password=****");
    }
}
