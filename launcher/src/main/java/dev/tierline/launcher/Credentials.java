package dev.tierline.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.catalina.realm.SecretKeyCredentialHandler;

/**
 * The Manager and admin user of the web tier.
 *
 * @param user the user name
 * @param password the password in clear, never passed to Tomcat
 * @param file the file it was read from or saved to, or null when it came from the environment
 * @param generated whether it was made just now (and should be shown once)
 */
public record Credentials(String user, String password, Path file, boolean generated) {

    static final String FILE_NAME = "credentials.properties";

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", file=" + file + "]";
    }

    /**
     * The credentials to run with: a file the user named (which must exist), else TIERLINE_ADMIN_USER and
     * TIERLINE_ADMIN_PASSWORD, else the run folder's file, made with a random password at first run.
     */
    public static Credentials resolve(Settings settings) {
        if (settings.credentialsFile().isPresent()) {
            Path file = settings.credentialsFile().get().toAbsolutePath();
            if (!Files.isRegularFile(file)) {
                throw new LauncherException("credentials file " + file + " (TIERLINE_CREDENTIALS_FILE) does not exist");
            }
            return read(file);
        }
        if (settings.adminUser().isPresent() != settings.adminPassword().isPresent()) {
            throw new LauncherException("set both TIERLINE_ADMIN_USER and TIERLINE_ADMIN_PASSWORD, or neither");
        }
        if (settings.adminUser().isPresent()) {
            return new Credentials(settings.adminUser().get(), settings.adminPassword().get(), null, false);
        }
        Path file = settings.runDir().resolve(FILE_NAME);
        return Files.isRegularFile(file) ? read(file) : generate(file);
    }

    /** Reads {@code user} and {@code password} from a properties file. */
    static Credentials read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new LauncherException("cannot read credentials file " + file + ": " + e.getMessage(), e);
        }
        String user = properties.getProperty("user", "").strip();
        String password = properties.getProperty("password", "");
        if (user.isEmpty()) {
            throw new LauncherException(file + ": field 'user' is missing or empty");
        }
        if (password.isEmpty()) {
            throw new LauncherException(file + ": field 'password' is missing or empty");
        }
        return new Credentials(user, password, file, false);
    }

    private static Credentials generate(Path file) {
        Credentials credentials = new Credentials("admin", Secrets.random(), file, true);
        Properties properties = new Properties();
        properties.setProperty("user", credentials.user());
        properties.setProperty("password", credentials.password());
        try {
            StringWriter text = new StringWriter();
            properties.store(text, "Tierline web tier: Manager and admin user (generated at first run)");
            Secrets.writeOwnerOnly(file, text.toString());
        } catch (IOException | UnsupportedOperationException e) {
            throw new LauncherException("cannot write credentials file " + file + ": " + e.getMessage(), e);
        }
        return credentials;
    }

    /**
     * The password as tomcat-users.xml stores it: hashed by the same credential handler, with the same
     * parameters, as tomcat-conf's server.xml configures for the realm.
     */
    public String passwordHash() {
        SecretKeyCredentialHandler handler;
        try {
            handler = new SecretKeyCredentialHandler();
            handler.setAlgorithm("PBKDF2WithHmacSHA256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has PBKDF2WithHmacSHA256", e);
        }
        handler.setIterations(210_000);
        handler.setKeyLength(256);
        handler.setSaltLength(16);
        return handler.mutate(password);
    }
}
