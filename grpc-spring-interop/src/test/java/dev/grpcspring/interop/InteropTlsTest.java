package dev.grpcspring.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpcspring.credentials.TlsServerCredentials;
import io.grpc.testing.TlsTesting;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interop tools' TLS flags: PEM files named by {@code --tls_cert_file}/{@code --tls_key_file}
 * and {@code --ca_file} serve and verify like grpc's built-in test certificates, and files that
 * cannot be used are refused naming the flag.
 */
class InteropTlsTest {
  @TempDir
  Path dir;

  private Path copy(String name) throws Exception {
    Path file = dir.resolve(name);
    try (InputStream in = TlsTesting.loadCert(name)) {
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  @Test
  void pemFilesFromFlagsServeAndVerifyAnInteropCase() throws Exception {
    TlsServerCredentials creds = InteropTls.server(copy("server1.pem").toString(),
        copy("server1.key").toString());
    try (InteropServer server = InteropServer.start(0, creds)) {
      String ca = copy("ca.pem").toString();
      int exit = InteropMain.run(new String[] {"client", "--server_host=localhost",
          "--server_port=" + server.port(), "--test_case=empty_unary", "--use_tls=true",
          "--ca_file=" + ca, "--server_host_override=foo.test.google.fr"},
          new java.io.PrintStream(new java.io.ByteArrayOutputStream()), System.err);
      assertThat(exit).isZero();
    }
  }

  @Test
  void unusableFilesAreRefusedNamingTheFlag() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> InteropTls.server(missing.toString(), copy("server1.key").toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls_cert_file=");
    assertThatThrownBy(() -> InteropTls.server(copy("server1.pem").toString(),
            copy("server1.pem").toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PKCS#8");
    assertThatThrownBy(() -> InteropTls.client(false, copy("server1.key").toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PEM certificate");
  }
}
