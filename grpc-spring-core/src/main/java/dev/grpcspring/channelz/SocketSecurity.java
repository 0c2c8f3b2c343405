package dev.grpcspring.channelz;

import org.jspecify.annotations.Nullable;

/**
 * The TLS of a connection as channelz shows it ({@code Security.Tls}).
 *
 * @param cipherSuite the negotiated cipher suite's standard name
 * @param protocol the TLS version ({@code TLSv1.3})
 * @param localCertificate our leaf certificate, DER, or null when we sent none
 * @param remoteCertificate the peer's leaf certificate, DER, or null when it sent none
 * @param provider the TLS implementation ({@code JDK} or {@code OPENSSL})
 */
public record SocketSecurity(String cipherSuite, String protocol,
    byte @Nullable [] localCertificate, byte @Nullable [] remoteCertificate, String provider) {}
