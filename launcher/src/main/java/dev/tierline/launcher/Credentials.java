package dev.tierline.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;
import org.apache.catalina.realm.SecretKeyCredentialHandler;

/**
 * A user of the Tomcat Managers and the admin console: the admin (the HTML Manager and the admin console),
 * the deployer (the Managers' text and JMX interfaces) or the console's viewer.
 *
 * @param user the user name
 * @param password the password in clear, never passed to Tomcat
 * @param file the file it was read from or saved to, or null when it came from the environment
 * @param generated whether it was made just now (and should be shown once)
 */
public record Credentials(String user, String password, Path file, boolean generated) {

    static final String FILE_NAME = "credentials.properties";
    static final String DEPLOYER_FILE_NAME = "deployer.properties";

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", file=" + file + "]";
    }

    /**
     * The admin credentials to run with: a file the user named (which must exist), else TIERLINE_ADMIN_USER
     * and TIERLINE_ADMIN_PASSWORD, else the run folder's file, made with a random password at first run.
     */
    public static Credentials resolve(Settings settings) {
        return admin(settings, true);
    }

    /**
     * The deployer credentials to run with: TIERLINE_DEPLOYER_USER and TIERLINE_DEPLOYER_PASSWORD, else the
     * run folder's file, made with a random password at first run.
     */
    public static Credentials resolveDeployer(Settings settings) {
        return deployer(settings, true);
    }

    /** The admin credentials of a topology already prepared; nothing is written. */
    static Credentials existingAdmin(Settings settings) {
        return admin(settings, false);
    }

    /** The deployer credentials of a topology already prepared; nothing is written. */
    static Credentials existingDeployer(Settings settings) {
        return deployer(settings, false);
    }

    private static Credentials admin(Settings settings, boolean create) {
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
        return inRunFolder(settings.runDir().resolve(FILE_NAME), "admin", create,
                "Manager (manager-gui) and admin console user", "TIERLINE_ADMIN_USER and TIERLINE_ADMIN_PASSWORD");
    }

    private static Credentials deployer(Settings settings, boolean create) {
        if (settings.deployer().isPresent()) {
            return settings.deployer().get();
        }
        return inRunFolder(settings.runDir().resolve(DEPLOYER_FILE_NAME), "deployer", create,
                "Manager deployer user (manager-script, manager-jmx)",
                "TIERLINE_DEPLOYER_USER and TIERLINE_DEPLOYER_PASSWORD");
    }

    private static Credentials inRunFolder(Path file, String user, boolean create, String purpose, String variables) {
        if (Files.isRegularFile(file)) {
            return read(file);
        }
        if (!create) {
            throw new LauncherException("there is no " + file + "; start the topology first (tierline run), or set "
                    + variables);
        }
        return generate(file, user, purpose);
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

    private static Credentials generate(Path file, String user, String purpose) {
        Credentials credentials = new Credentials(user, Secrets.random(), file, true);
        Properties properties = new Properties();
        properties.setProperty("user", credentials.user());
        properties.setProperty("password", credentials.password());
        try {
            StringWriter text = new StringWriter();
            properties.store(text, "Tierline: " + purpose + " (generated at first run)");
            Secrets.writeOwnerOnly(file, text.toString());
        } catch (IOException | UnsupportedOperationException e) {
            throw new LauncherException("cannot write credentials file " + file + ": " + e.getMessage(), e);
        }
        return credentials;
    }

    /** An Authorization header value for HTTP Basic (RFC 7617) with these credentials. */
    String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
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
