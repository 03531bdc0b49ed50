package dev.braid.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real X.509 material for TLS tests, made with the JDK's own {@code keytool} (always there beside the JVM, unlike
 * openssl): a test CA, a server certificate it signed for {@code 127.0.0.1} and {@code localhost} (usable as a client certificate too: a TLS cluster bus is mutual), one it signed for
 * another host name only, and a second CA that signed neither. Files are PEM, as redis-server and Braid's
 * {@code ca-file} settings take them. Made once per JVM ({@link #shared()}): each keytool run starts a JVM.
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static volatile TestCertificates shared;

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** The JVM's one set, made on first use. */
    public static TestCertificates shared() {
        TestCertificates made = shared;
        if (made == null) {
            synchronized (TestCertificates.class) {
                made = shared;
                if (made == null) {
                    made = create();
                    shared = made;
                }
            }
        }
        return made;
    }

    private static TestCertificates create() {
        try {
            Path directory = Files.createTempDirectory("braid-tls");
            directory.toFile().deleteOnExit();
            TestCertificates files = new TestCertificates(directory);
            files.authority("ca", "CN=Braid Test CA");
            files.authority("other-ca", "CN=Some Other CA");
            files.server("server", "CN=localhost", "ip:127.0.0.1,dns:localhost");
            files.server("misnamed", "CN=elsewhere.example", "dns:elsewhere.example");
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make test certificates", e);
        }
    }

    /** The PEM file of the CA that signed the server certificates. */
    public Path caFile() {
        return directory.resolve("ca.pem");
    }

    /** The PEM file of a CA that signed nothing here. */
    public Path otherCaFile() {
        return directory.resolve("other-ca.pem");
    }

    /** The server certificate naming 127.0.0.1 and localhost (PEM). */
    public Path serverCertificate() {
        return directory.resolve("server.pem");
    }

    /** Its private key (PKCS#8 PEM). */
    public Path serverKey() {
        return directory.resolve("server-key.pem");
    }

    /** A certificate the same CA signed for {@code elsewhere.example} only (PEM). */
    public Path misnamedCertificate() {
        return directory.resolve("misnamed.pem");
    }

    public Path misnamedKey() {
        return directory.resolve("misnamed-key.pem");
    }

    private void authority(String name, String subject) throws IOException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-ext", "bc:c", "-validity", "30", "-keystore", store(name));
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store(name), "-file",
                directory.resolve(name + ".pem").toString());
    }

    private void server(String name, String subject, String names) throws IOException {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
                "-validity", "30", "-keystore", store(name));
        Path request = directory.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", store(name), "-file", request.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", store("ca"), "-infile", request.toString(),
                "-outfile", directory.resolve(name + ".pem").toString(), "-ext", "san=" + names,
                "-ext", "eku=serverAuth,clientAuth", "-validity", "30");
        Files.writeString(directory.resolve(name + "-key.pem"), pem("PRIVATE KEY", privateKey(name).getEncoded()));
    }

    private String store(String name) {
        return directory.resolve(name + ".p12").toString();
    }

    private PrivateKey privateKey(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(store(name)))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            return (PrivateKey) store.getKey(name, PASSWORD);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + name, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-noprompt"));
        Path log = directory.resolve("keytool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
