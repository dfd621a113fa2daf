package connectorgraph.neo4jlocal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs a real Neo4j Community DBMS (embedded engine + Bolt connector) for tests and local development.
 *
 * <p>Usage: {@code Neo4jLocal DATA_DIR BOLT_PORT [BIND_ADDRESS]} (bind address defaults to 127.0.0.1).
 * DATA_DIR is used as the Neo4j home ({@code data/} and {@code logs/debug.log} are created under it).
 * Authentication is disabled and the HTTP/HTTPS connectors are off. Once the default database is
 * available a single line {@code NEO4J_READY bolt://HOST:PORT} is printed to stdout; the process then
 * blocks until it is terminated (SIGTERM/SIGINT), at which point a shutdown hook stops the DBMS cleanly.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code neo4jlocal.pagecache} - page cache size in MiB (default 128)</li>
 *   <li>{@code neo4jlocal.plugins} - the database's plugins folder (default: {@code plugins/} beside
 *       this jar, where the Maven build copies OpenGDS); the {@code gds.*} procedures found there
 *       run unrestricted</li>
 *   <li>{@code neo4jlocal.exitOnStdinEof=true} - also shut down when stdin reaches EOF, so a server
 *       started by a test harness cannot outlive it (the harness keeps a pipe open on stdin)</li>
 * </ul>
 */
public final class Neo4jLocal {
    private static final long READY_TIMEOUT_MS = 150_000;

    private Neo4jLocal() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Neo4jLocal DATA_DIR BOLT_PORT [BIND_ADDRESS]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String host = args.length == 3 ? args[2] : "127.0.0.1";
        long pageCacheMiB = Long.getLong("neo4jlocal.pagecache", 128L);
        Files.createDirectories(home);
        Path plugins = pluginsDir();

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMiB))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Graph Data Science: Neo4j registers plugin procedures only from the plugins
                // folder (not from the classpath), and GDS needs unrestricted access.
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("gds.*"))
                // Internal setting: Bolt's two netty event-loop groups otherwise each wait a 5 s
                // quiet period on shutdown, making every stop take >10 s.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } catch (Throwable t) {
                System.err.println("neo4j-local: error during shutdown: " + t);
            } finally {
                stopped.countDown();
            }
        }, "neo4j-local-shutdown"));

        if (Boolean.getBoolean("neo4jlocal.exitOnStdinEof")) {
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // treat like EOF
                }
                System.exit(0);
            }, "neo4j-local-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(READY_TIMEOUT_MS)) {
            System.err.println("neo4j-local: default database not available after " + READY_TIMEOUT_MS + " ms");
            System.exit(1);
        }
        System.out.println("NEO4J_READY bolt://" + host + ":" + port);
        System.out.flush();

        stopped.await();
    }

    /** The plugins folder: the {@code neo4jlocal.plugins} property, else {@code plugins/} beside this jar. */
    private static Path pluginsDir() throws Exception {
        String configured = System.getProperty("neo4jlocal.plugins");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path jar = Path.of(Neo4jLocal.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.toAbsolutePath().getParent().resolve("plugins");
    }
}
