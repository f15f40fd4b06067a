package dev.keyline.adapters.providers.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Which certificates a deployment's {@code https} endpoint must present ({@code ssl_verify}, LiteLLM's key): signed
 * by a CA the JVM trusts (the default), by a private CA whose bundle the deployment names, or, only where a
 * deployment says {@code ssl_verify: false}, any at all (the start-up log then names it).
 */
public sealed interface UpstreamTrust {

    /** The JVM's trusted CAs, host names checked. */
    record Standard() implements UpstreamTrust {}

    /** Only the CAs of a bundle, host names checked. */
    record PrivateCa(Path bundle, List<X509Certificate> authorities) implements UpstreamTrust {
        public PrivateCa {
            Objects.requireNonNull(bundle, "'bundle' must not be null");
            authorities = List.copyOf(authorities);
            if (authorities.isEmpty()) {
                throw new IllegalArgumentException(bundle + " holds no certificate");
            }
        }
    }

    /** No check at all: anyone on the path can read the deployment's key. */
    record Unverified() implements UpstreamTrust {}

    /**
     * @param bundle a PEM file of one or more CA certificates
     * @return trust in those CAs only
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public static PrivateCa privateCa(Path bundle) {
        try (InputStream in = Files.newInputStream(bundle)) {
            List<X509Certificate> authorities =
                    CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                            .map(X509Certificate.class::cast)
                            .toList();
            return new PrivateCa(bundle, authorities);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read " + bundle + " (" + e.getClass().getSimpleName() + ")");
        } catch (CertificateException e) {
            throw new IllegalArgumentException(bundle + " is not a PEM file of CA certificates");
        }
    }

    /**
     * @param setting {@code true}, {@code false}, or the path of a CA bundle
     * @return the trust it names
     * @throws IllegalArgumentException for a bundle that cannot be read
     */
    public static UpstreamTrust of(String setting, Path relativeTo) {
        return switch (setting.strip()) {
            case "true", "True" -> new Standard();
            case "false", "False" -> new Unverified();
            default -> privateCa(relativeTo.resolve(setting.strip()));
        };
    }
}
