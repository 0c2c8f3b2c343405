package dev.grpcspring.boot.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DNS server on a loopback UDP port answering A and TXT questions from maps the test fills:
 * names it knows get NOERROR (with no answers for other types, such as AAAA), others NXDOMAIN.
 * Enough for Netty's resolver, which our {@code dns} resolver uses.
 */
final class LoopbackDnsServer implements AutoCloseable {
  /** Fully qualified name (with the final dot) to A records. */
  final Map<String, List<InetAddress>> a = new ConcurrentHashMap<>();
  /** Fully qualified name to the text of one TXT record (split into 255-byte strings on the wire). */
  final Map<String, String> txt = new ConcurrentHashMap<>();

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  LoopbackDnsServer() throws InterruptedException {
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                new Answerer());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DnsQuestion question = query.recordAt(DnsSection.QUESTION);
      String name = question.name().toLowerCase(java.util.Locale.ROOT);
      DatagramDnsResponse response =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
      response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
      if (!a.containsKey(name) && !txt.containsKey(name)) {
        response.setCode(DnsResponseCode.NXDOMAIN);
      } else if (question.type() == DnsRecordType.A && a.containsKey(name)) {
        for (InetAddress address : a.get(name)) {
          response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(),
              DnsRecordType.A, 1, Unpooled.wrappedBuffer(address.getAddress())));
        }
      } else if (question.type() == DnsRecordType.TXT && txt.containsKey(name)) {
        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(),
            DnsRecordType.TXT, 1, characterStrings(txt.get(name))));
      }
      ctx.writeAndFlush(response);
    }
  }

  /** TXT data: the text as length-prefixed strings of at most 255 bytes. */
  private static ByteBuf characterStrings(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuf data = Unpooled.buffer(bytes.length + bytes.length / 255 + 1);
    for (int i = 0; i < bytes.length; i += 255) {
      int n = Math.min(255, bytes.length - i);
      data.writeByte(n).writeBytes(bytes, i, n);
    }
    return data;
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
  }
}
