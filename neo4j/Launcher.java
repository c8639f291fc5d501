// A Neo4j Community server for policy-kg's tests and local use: the embedded engine from Maven
// Central with its Bolt connector opened on loopback. Run by scripts/neo4j-local, either as
//     java -cp 'LIB/*' neo4j/Launcher.java HOME PORT
// or compiled once (the script does this) and run as `java -cp CLASSES:LIB/* Launcher HOME PORT`.
//
// HOME holds data/ and logs/. Auth is off unless the environment variable KG_NEO4J_PASSWORD is
// set; the password travels in the environment, never on the command line, where `ps` shows it.
// With KG_NEO4J_TEST_TOKEN set (scripts/neo4j-local does this for KG_NEO4J_TEST=1) the database
// gets a (:KgTestMarker {token}) node, which the test suite checks before it clears anything.
// Prints "READY bolt://127.0.0.1:PORT" once the server answers queries, shuts down cleanly on
// SIGTERM/SIGINT (a JVM shutdown hook), and exits 1 with one line on stderr if it cannot start.

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public final class Launcher {
    private static final String HOST = "127.0.0.1"; // loopback only: this server has no TLS

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher HOME PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("KG_NEO4J_PASSWORD");
        boolean auth = password != null && !password.isEmpty();
        String testToken = System.getenv("KG_NEO4J_TEST_TOKEN");
        long started = System.nanoTime();

        DatabaseManagementService dbms;
        try {
            Files.createDirectories(home);
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                    // the caller picks the password; a short one is their choice on a loopback server
                    .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                    // a shared 2-core machine: the page cache is off-heap, so cap it next to -Xmx
                    .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // transaction logs are preallocated at 250 MB per database by default; a test
                    // server does not need half a gigabyte of zeros
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 32L * 1024 * 1024)
                    // stop quickly on SIGTERM instead of waiting out long-running client transactions
                    .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                    // Bolt waits 5 s for idle connections on shutdown by default; tests start and
                    // stop servers, and nothing is lost by closing idle connections sooner
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                    .build();
        } catch (Throwable e) {
            System.err.println("neo4j failed to start: " + oneLine(e));
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("STOPPING");
            try {
                dbms.shutdown();
            } finally {
                System.out.println("STOPPED");
                System.out.flush();
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        try {
            if (auth) {
                setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            }
            // the default database is only "ready" once it answers a query
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            db.executeTransactionally("RETURN 1");
            mark(db, testToken);
        } catch (Throwable e) {
            System.err.println("neo4j started but is not usable: " + oneLine(e));
            System.exit(1);
        }

        double seconds = (System.nanoTime() - started) / 1e9;
        boolean test = testToken != null && !testToken.isEmpty();
        System.out.printf("READY bolt://%s:%d auth=%s test=%s started_in=%.1fs%n", HOST, port, auth ? "on" : "off",
                test ? "on" : "off", seconds);
        System.out.flush();
        stopped.await(); // the shutdown hook releases this; main must not return before then
    }

    // The test suite clears whatever database it is pointed at, so it only touches one holding
    // (:KgTestMarker {token}) with the token scripts/neo4j-local wrote next to the data. Every
    // start drops the old marker first: a folder restarted for ordinary use is no longer fair game.
    private static void mark(GraphDatabaseService db, String token) {
        db.executeTransactionally("MATCH (m:KgTestMarker) DELETE m");
        if (token != null && !token.isEmpty()) {
            db.executeTransactionally("CREATE (:KgTestMarker {token: $t})", Map.of("t", token));
        }
    }

    // The embedded API runs as the all-powerful local user, so it can set the password that Bolt
    // clients must then present. Re-running on an existing data folder finds the same password
    // already set, which Neo4j reports as an error we do not care about.
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $p", Map.of("p", password));
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
        system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
    }

    // Never echo the password: neither message below can contain it (parameters are not logged
    // in exception text), and only the first line of the root cause is kept.
    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String first = msg.strip().lines().findFirst().orElse("");
        return root == e ? first : first + " (" + e.getClass().getSimpleName() + ")";
    }
}
