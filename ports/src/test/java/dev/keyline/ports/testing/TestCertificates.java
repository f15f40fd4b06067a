package dev.keyline.ports.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificate authorities and the certificates they sign, made for one test run: a private CA as an operator has
 * one, and server certificates for {@code 127.0.0.1} and {@code localhost}, written as the PEM files servers and
 * Keyline's settings read. EC P-256, valid from an hour ago for a day.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private TestCertificates() {}

    /** A certificate and its private key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {

        /** @return the certificate as a PEM file at {@code file} */
        public Path writeCertificate(Path file) throws IOException {
            Files.writeString(file, pem(certificate));
            return file;
        }

        /** @return the private key as a PKCS#8 PEM file at {@code file} */
        public Path writeKey(Path file) throws IOException {
            Files.writeString(file, pem(keys.getPrivate()));
            return file;
        }

        /** @return a server's TLS context presenting this certificate */
        public SSLContext serverContext() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    "server", keys.getPrivate(), new char[0], new java.security.cert.Certificate[] {certificate});
            KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            managers.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.getKeyManagers(), null, null);
            return context;
        }

        /** @return a client's TLS context that trusts this certificate (a CA's) and nothing else */
        public SSLContext trustingContext() throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }

        /**
         * @param commonName the subject's name
         * @return a server certificate for {@code 127.0.0.1} and {@code localhost}, signed by this one (a CA's)
         */
        public Issued issueServer(String commonName) {
            KeyPair server = keyPair();
            X509v3CertificateBuilder builder =
                    builder(new X500Name(certificate.getSubjectX500Principal().getName()), commonName, server);
            try {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")
                }));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new Issued(sign(builder, keys), server);
        }
    }

    /** @return a new certificate authority named {@code name} */
    public static Issued authority(String name) {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), name, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(sign(builder, keys), keys);
    }

    /** @return PEM text of a certificate list, e.g. a CA bundle */
    public static String bundle(List<X509Certificate> certificates) {
        StringBuilder text = new StringBuilder();
        certificates.forEach(c -> text.append(pem(c)));
        return text.toString();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, String subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + subject),
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof java.security.PrivateKey key) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }
}
