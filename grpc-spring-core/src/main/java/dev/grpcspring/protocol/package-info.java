/**
 * The gRPC wire protocol with no transport in it, the part of grpc-go's {@code rpc_util.go} and
 * {@code transport/http_util.go} that does not touch HTTP/2 frames: Length-Prefixed-Message framing
 * ({@link dev.grpcspring.protocol.MessageFramer}) and deframing with flow-control accounting
 * ({@link dev.grpcspring.protocol.MessageDeframer}), compression through the {@code codec}
 * package's compressors, the metadata codec ({@link dev.grpcspring.protocol.MetadataCodec}) and
 * header names ({@link dev.grpcspring.protocol.GrpcHeaders}), what a call's request headers are
 * made of ({@link dev.grpcspring.protocol.CallHeader}, grpc-go's {@code CallHdr}), and the
 * {@code grpc-timeout} and {@code grpc-message} encodings.
 *
 * <p>Client and server calls use it to turn messages into bytes and back; the transports use it to
 * read and write headers. Of Netty it uses only the byte buffers ({@code io.netty.buffer}, also the
 * byte type of {@link dev.grpcspring.Marshaller}) and {@code AsciiString}; no channel, pipeline or
 * HTTP/2 type, which {@code ProtocolLayerTest} checks. Not exported.
 */
@NullMarked
package dev.grpcspring.protocol;

import org.jspecify.annotations.NullMarked;
