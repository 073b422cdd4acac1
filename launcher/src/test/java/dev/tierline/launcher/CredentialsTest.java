package dev.tierline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.catalina.realm.SecretKeyCredentialHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @TempDir
    Path runDir;

    private Settings settings(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("TIERLINE_RUN_DIR", runDir.toString());
        return Settings.fromEnvironment(all);
    }

    @Test
    void firstRun_generatesCredentials_keptOwnerOnly_andReusedAfterwards() throws Exception {
        Credentials first = Credentials.resolve(settings(Map.of()));

        assertTrue(first.generated());
        assertEquals("admin", first.user());
        assertTrue(first.password().length() >= 20);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file())));
        Credentials second = Credentials.resolve(settings(Map.of()));
        assertFalse(second.generated());
        assertEquals(first.password(), second.password());
    }

    @Test
    void environment_givesTheCredentials_withoutWritingAFile() {
        Credentials credentials = Credentials.resolve(settings(Map.of(
                "TIERLINE_ADMIN_USER", "ops", "TIERLINE_ADMIN_PASSWORD", "s3cret!")));

        assertEquals("ops", credentials.user());
        assertEquals("s3cret!", credentials.password());
        assertFalse(Files.exists(runDir.resolve(Credentials.FILE_NAME)));
    }

    @Test
    void firstRun_generatesADeployerOfItsOwn_inItsOwnOwnerOnlyFile() throws Exception {
        Credentials admin = Credentials.resolve(settings(Map.of()));
        Credentials deployer = Credentials.resolveDeployer(settings(Map.of()));

        assertTrue(deployer.generated());
        assertEquals("deployer", deployer.user());
        assertEquals(runDir.resolve(Credentials.DEPLOYER_FILE_NAME), deployer.file());
        assertNotEquals(admin.password(), deployer.password());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(deployer.file())));
        assertEquals(deployer.password(), Credentials.resolveDeployer(settings(Map.of())).password());
    }

    @Test
    void environment_givesTheDeployer_withoutWritingAFile() {
        Credentials deployer = Credentials.resolveDeployer(settings(Map.of(
                "TIERLINE_DEPLOYER_USER", "ci", "TIERLINE_DEPLOYER_PASSWORD", "p4ss")));

        assertEquals("ci", deployer.user());
        assertEquals("p4ss", deployer.password());
        assertFalse(Files.exists(runDir.resolve(Credentials.DEPLOYER_FILE_NAME)));
    }

    @Test
    void existingCredentials_areNeverMade_butReportedMissingInOneLine() {
        LauncherException e = assertThrows(LauncherException.class,
                () -> Credentials.existingDeployer(settings(Map.of())));

        assertEquals("there is no " + runDir.resolve(Credentials.DEPLOYER_FILE_NAME) + "; start the topology first"
                + " (tierline run), or set TIERLINE_DEPLOYER_USER and TIERLINE_DEPLOYER_PASSWORD", e.getMessage());
        assertThrows(LauncherException.class, () -> Credentials.existingAdmin(settings(Map.of())));
        assertFalse(Files.exists(runDir.resolve(Credentials.DEPLOYER_FILE_NAME)));
        assertFalse(Files.exists(runDir.resolve(Credentials.FILE_NAME)));
    }

    @Test
    void basicAuthorization_isTheUserAndPasswordInBase64() {
        assertEquals("Basic b3BzOnMzY3JldCE=", new Credentials("ops", "s3cret!", null, false).basicAuthorization());
    }

    @Test
    void userWithoutPassword_isRefused() {
        assertThrows(LauncherException.class,
                () -> Credentials.resolve(settings(Map.of("TIERLINE_ADMIN_USER", "ops"))));
    }

    @Test
    void namedFileThatDoesNotExist_isReportedInOneLine() {
        Path missing = runDir.resolve("nope.properties");
        LauncherException e = assertThrows(LauncherException.class,
                () -> Credentials.resolve(settings(Map.of("TIERLINE_CREDENTIALS_FILE", missing.toString()))));
        assertEquals("credentials file " + missing + " (TIERLINE_CREDENTIALS_FILE) does not exist", e.getMessage());
    }

    @Test
    void fileWithoutPassword_isReportedNamingTheFileAndField() throws Exception {
        Path file = Files.writeString(runDir.resolve("c.properties"), "user=ops\n");
        LauncherException e = assertThrows(LauncherException.class,
                () -> Credentials.resolve(settings(Map.of("TIERLINE_CREDENTIALS_FILE", file.toString()))));
        assertEquals(file + ": field 'password' is missing or empty", e.getMessage());
    }

    @Test
    void passwordHash_isCheckedByTheRealmsCredentialHandler_andIsNotThePassword() throws Exception {
        Credentials credentials = new Credentials("ops", "s3cret!", null, false);
        String hash = credentials.passwordHash();

        SecretKeyCredentialHandler realm = new SecretKeyCredentialHandler();
        realm.setAlgorithm("PBKDF2WithHmacSHA256");
        realm.setKeyLength(256);
        assertTrue(realm.matches("s3cret!", hash));
        assertFalse(realm.matches("s3cret?", hash));
        assertFalse(hash.contains("s3cret!"));
        assertFalse(credentials.toString().contains("s3cret!"));
    }
}
