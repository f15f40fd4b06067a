package dev.keyline.app.tls;

import dev.keyline.app.config.ServerTls;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the front door's certificate and key files and hands the server a new certificate when they change (a
 * renewal, by certbot or cert-manager): new connections get it, open ones keep theirs. Files caught half written,
 * or a key that does not fit its certificate, are logged and the certificate in use stays.
 */
public final class CertificateReloader implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CertificateReloader.class.getName());

    private final ServerTls files;
    private final Consumer<ServerCertificate> install;
    private final ScheduledExecutorService checks;
    private ServerCertificate current;
    /** The last change that could not be used: logged once, not at every check. */
    private String lastProblem = "";

    /**
     * @param files   the certificate and key files
     * @param current the certificate the server started with
     * @param install gives the server a new certificate
     * @param every   how often the files are checked
     */
    public CertificateReloader(
            ServerTls files, ServerCertificate current, Consumer<ServerCertificate> install, Duration every) {
        this.files = Objects.requireNonNull(files, "'files' must not be null");
        this.current = Objects.requireNonNull(current, "'current' must not be null");
        this.install = Objects.requireNonNull(install, "'install' must not be null");
        this.checks = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("keyline-certificate-reload").factory());
        checks.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        ServerCertificate read;
        try {
            read = ServerCertificate.read(files);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals(lastProblem)) {
                lastProblem = e.getMessage();
                LOG.log(
                        Level.WARNING,
                        "the TLS files changed but cannot be used yet; serving the certificate in use: {0}",
                        e.getMessage());
            }
            return;
        }
        if (!read.differsFrom(current)) {
            return;
        }
        try {
            install.accept(read);
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "the new TLS certificate could not be installed; serving the one in use ({0})",
                    e.getClass().getSimpleName());
            return;
        }
        current = read;
        lastProblem = "";
        LOG.log(Level.INFO, "TLS certificate reloaded from {0}: {1}", files.certificate(), read.describe());
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
