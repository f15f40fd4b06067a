package dev.keyline.adapters.frontdoors.status;

import dev.keyline.domain.deployment.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The status page's sign-in cookie: an expiry and its HMAC under a key derived from the gateway key, so the cookie
 * never holds the key itself, every replica of a fleet accepts it, and changing the gateway key signs everyone out.
 */
final class UiSessions {

    /** How long a browser stays signed in. */
    static final Duration LIFETIME = Duration.ofHours(12);

    private final Optional<SecretKeySpec> signing;
    private final InstantSource clock;

    UiSessions(Credentials gatewayKey, InstantSource clock) {
        this.signing = gatewayKey.reveal().map(UiSessions::signingKey);
        this.clock = clock;
    }

    private static SecretKeySpec signingKey(String gatewayKey) {
        try {
            byte[] derived = MessageDigest.getInstance("SHA-256")
                    .digest(("keyline status page session\n" + gatewayKey).getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(derived, "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    /** @return a new session token, valid for {@link #LIFETIME}; empty when the gateway has no key */
    Optional<String> issue() {
        return signing.map(key -> {
            long expires = clock.instant().plus(LIFETIME).getEpochSecond();
            return expires + "." + mac(key, expires);
        });
    }

    /** @return whether a token is one this gateway issued and it has not expired */
    boolean valid(String token) {
        if (signing.isEmpty()) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot < 1) {
            return false;
        }
        long expires;
        try {
            expires = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected = mac(signing.get(), expires).getBytes(StandardCharsets.US_ASCII);
        byte[] presented = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented) && clock.instant().getEpochSecond() < expires;
    }

    private static String mac(SecretKeySpec key, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(Long.toString(expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no HmacSHA256", e);
        }
    }
}
