package dev.grpcspring.etcd;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway etcd (Debian's {@code etcd-server}) on two free loopback ports with a temporary
 * data directory, for tests; plaintext, or TLS on the client port ({@link #start(Tls)}). When the
 * {@code etcd} binary is missing, tests fail under {@code CI=true} (.ci/run installs it) and are
 * skipped, saying why, elsewhere.
 */
public final class EtcdProcess implements AutoCloseable {
  /**
   * TLS on etcd's client port ({@code --cert-file}, {@code --key-file}), and with {@code
   * clientCaPem} set, client certificates required and checked against it ({@code
   * --client-cert-auth --trusted-ca-file}).
   *
   * @param certPem the server's certificate chain
   * @param keyPem the server's private key (PKCS#8)
   * @param clientCaPem the CA client certificates must chain to, or null to ask for none
   * @param healthCheck what the readiness probe connects to {@code /health} with: trusts the
   *     server, and holds a client certificate when one is required
   */
  public record Tls(String certPem, String keyPem, String clientCaPem, SSLContext healthCheck) {}

  private final String binary;
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private final Path log;
  private final Tls tls;
  private final HttpClient http;
  private Process process;

  private EtcdProcess(String binary, Tls tls) throws IOException {
    this.binary = binary;
    this.tls = tls;
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
        .version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      http.sslContext(tls.healthCheck());
    }
    this.http = http.build();
    this.dataDir = Files.createTempDirectory("grpc-spring-etcd");
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    this.clientPort = freePort();
    int p = freePort();
    while (p == clientPort) {
      p = freePort();
    }
    this.peerPort = p;
  }

  /** Starts a plaintext etcd and waits until it is healthy. */
  public static EtcdProcess start() throws Exception {
    return start(null);
  }

  /** Starts an etcd with TLS on its client port (plaintext when null) and waits until it is healthy. */
  public static EtcdProcess start(Tls tls) throws Exception {
    EtcdProcess etcd = new EtcdProcess(findBinary(), tls);
    try {
      etcd.launch();
    } catch (Exception | AssertionError e) {
      etcd.close();
      throw e;
    }
    return etcd;
  }

  /** The client URL, {@code http://127.0.0.1:port} or {@code https://127.0.0.1:port}. */
  public String url() {
    return (tls != null ? "https" : "http") + "://" + endpoint();
  }

  /** host:port of the client API. */
  public String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  public int clientPort() {
    return clientPort;
  }

  /** Kills etcd at once (SIGKILL), as a crash would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("etcd did not die within 10 s");
    }
  }

  /** Freezes etcd (SIGSTOP): connections stay open and nothing answers, as with a hung member. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** Lets a {@link #pause paused} etcd run again (SIGCONT). */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + signal + " " + process.pid() + " failed: "
          + new String(kill.getInputStream().readAllBytes()));
    }
  }

  /** Starts etcd again on the same ports and data directory. */
  void restart() throws Exception {
    launch();
  }

  private void launch() throws Exception {
    String client = url();
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> command = new ArrayList<>(List.of(binary, "--name", "t",
        "--data-dir", dataDir.toString(), "--unsafe-no-fsync",
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "t=" + peer, "--logger", "zap", "--log-level", "warn"));
    if (tls != null) {
      command.addAll(List.of("--cert-file", write("server.crt", tls.certPem()),
          "--key-file", write("server.key", tls.keyPem())));
      if (tls.clientCaPem() != null) {
        command.addAll(List.of("--client-cert-auth",
            "--trusted-ca-file", write("client-ca.crt", tls.clientCaPem())));
      }
    }
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    HttpRequest health = HttpRequest.newBuilder(URI.create(client + "/health"))
        .timeout(Duration.ofSeconds(1)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("etcd exited with " + process.exitValue() + "; log: " + Files.readString(log));
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.ofString()).body().contains("\"health\":\"true\"")) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet: poll again, an external process gives us nothing to wait on.
      }
      Thread.sleep(50);
    }
    throw new AssertionError("etcd was not healthy within 20 s; log: " + Files.readString(log));
  }

  /** Writes TLS material next to the data directory (etcd wipes nothing there) and says where. */
  private String write(String name, String pem) throws IOException {
    Path file = tlsDir().resolve(name);
    Files.writeString(file, pem);
    return file.toString();
  }

  private Path tlsDir() throws IOException {
    return Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + ".tls"));
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      kill();
    }
    for (Path dir : List.of(dataDir, dataDir.resolveSibling(dataDir.getFileName() + ".tls"))) {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
      }
    }
    Files.deleteIfExists(log);
  }

  private static String findBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "etcd");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    for (String known : List.of("/usr/bin/etcd", "/usr/local/bin/etcd")) {
      if (Files.isExecutable(Path.of(known))) {
        return known;
      }
    }
    String why = "etcd is not installed (no 'etcd' on PATH); install Debian's etcd-server "
        + "(apt-get install -y etcd-server), as .ci/run does";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why + " — these tests must run in CI");
    }
    Assumptions.abort(why);
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
