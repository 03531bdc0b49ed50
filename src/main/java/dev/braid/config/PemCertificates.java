package dev.braid.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate authorities of a PEM file ({@code -----BEGIN CERTIFICATE-----} blocks, as {@code redis-server}'s
 * {@code tls-ca-cert-file} or a cloud provider's CA bundle holds them), read once at start-up so that a missing or
 * garbled file stops start-up with its key instead of failing every handshake later.
 */
public final class PemCertificates {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");
    /** A CA bundle is a few hundred certificates at most; anything far larger is not one. */
    private static final long MAX_BYTES = 4L << 20;

    private PemCertificates() {
    }

    /**
     * The certificates of {@code file}, at least one.
     *
     * @throws IllegalArgumentException saying what is wrong with the file (unreadable, too large, no certificate, a block
     *                                  that is not an X.509 certificate)
     */
    public static List<X509Certificate> read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException("is over " + (MAX_BYTES >> 20) + " MB, not a PEM file of CA certificates ("
                                                   + file + ")");
            }
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + e.getClass().getSimpleName() + " (" + file + ")");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (block.find()) {
                byte[] der = java.util.Base64.getMimeDecoder().decode(block.group(1));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("holds a block that is not an X.509 certificate (" + file + "): "
                                               + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("holds no PEM certificate (-----BEGIN CERTIFICATE-----) (" + file + ")");
        }
        return List.copyOf(certificates);
    }

    /** A TLS context that trusts exactly {@code authorities} (not the JVM's default ones as well). */
    public static SSLContext trusting(List<X509Certificate> authorities) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : authorities) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context: " + e, e);
        }
    }
}
