package dev.keyline.app.tls;

import dev.keyline.app.config.ServerTls;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * The front door's certificate and key, read from their PEM files into the server's TLS settings. What is read is
 * checked: a key without a certificate, or a certificate that is not the key's, is refused with a message that names
 * the files and never shows the key.
 *
 * @param tls         the settings for the server
 * @param certificate the certificate presented (the chain's first)
 * @param digest      a digest of both files' bytes, to tell whether they changed since
 */
public record ServerCertificate(Tls tls, X509Certificate certificate, byte[] digest) {

    /**
     * @return the files' certificate and key
     * @throws IllegalArgumentException with a message for the operator when they cannot be used
     */
    public static ServerCertificate read(ServerTls files) {
        byte[] certificateBytes;
        byte[] keyBytes;
        try {
            certificateBytes = Files.readAllBytes(files.certificate());
            keyBytes = Files.readAllBytes(files.key());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the TLS certificate or key (" + files.certificate() + ", "
                    + files.key() + "): " + e.getClass().getSimpleName());
        }
        Keys keys;
        List<X509Certificate> chain;
        try {
            keys = Keys.builder()
                    .pem(pem -> pem.key(Resource.create("ssl_keyfile_path", keyBytes))
                            .certChain(Resource.create("ssl_certfile_path", certificateBytes)))
                    .build();
            chain = keys.certChain();
        } catch (RuntimeException e) {
            // The reader's message may quote what it read; only the files are named.
            throw new IllegalArgumentException(files.key() + " and " + files.certificate()
                    + " are not an unencrypted PEM private key and its certificate");
        }
        if (keys.privateKey().isEmpty() || chain.isEmpty()) {
            throw new IllegalArgumentException(files.key() + " and " + files.certificate()
                    + " must hold a PEM private key and at least one PEM certificate");
        }
        if (!signsFor(keys.privateKey().get(), chain.getFirst().getPublicKey())) {
            throw new IllegalArgumentException(
                    "the key in " + files.key() + " is not the key of the certificate in " + files.certificate());
        }
        Tls tls = Tls.builder()
                .privateKey(keys.privateKey().get())
                .privateKeyCertChain(chain)
                .build();
        return new ServerCertificate(tls, chain.getFirst(), digest(certificateBytes, keyBytes));
    }

    /** @return whether {@code other} was read from different bytes */
    public boolean differsFrom(ServerCertificate other) {
        return !Arrays.equals(digest, other.digest);
    }

    /** @return the certificate as the log shows it: subject, serial and end of validity */
    public String describe() {
        return certificate.getSubjectX500Principal().getName() + " (serial "
                + certificate.getSerialNumber().toString(16) + ", valid until "
                + certificate.getNotAfter().toInstant() + ")";
    }

    /** @return whether what the key signs, the certificate's public key verifies: the pair belongs together */
    private static boolean signsFor(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448: the key's name is the signature's
        };
        try {
            byte[] challenge = "keyline-certificate-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signed = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signed);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] digest(byte[] certificate, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(certificate);
            sha.update(key);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
