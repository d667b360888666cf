package io.hopwise.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;

/**
 * The least an HTTP server on Netty can do per connection, for bench/floor.sh (issue 28, target 1):
 * it accepts, reads a request, answers 200 with 128 bytes, and closes when the request asked to
 * (else keeps the connection for the next). Beside nginx serving the same 128 bytes, the difference
 * of the two is what Netty itself costs per accepted connection, with no upstream and no HTTP work.
 * Not a server: it takes every read that ends a head as one request (wrk sends each whole, one at a
 * time), and it is for loopback only.
 *
 * <p>{@code java [-Dtransport=auto|io_uring|epoll] -cp proxy-bench/target/benchmarks.jar io.hopwise.bench.NettyResponder PORT}
 */
public final class NettyResponder {
  private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 128\r\n\r\n" + "s".repeat(128))
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSING = ("HTTP/1.1 200 OK\r\nContent-Length: 128\r\nConnection: close\r\n\r\n"
      + "s".repeat(128)).getBytes(StandardCharsets.US_ASCII);

  private NettyResponder() {}

  /**
   * Whether the bytes of a request head carry {@code Connection: close} (any case). A bench
   * shortcut: it looks for the token anywhere in a Connection line, with no list parsing.
   */
  static boolean asksToClose(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("connection")
          && line.substring(colon + 1).toLowerCase(java.util.Locale.ROOT).contains("close")) {
        return true;
      }
    }
    return false;
  }

  private static final class Answer extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        boolean close = asksToClose(in.toString(StandardCharsets.US_ASCII));
        var written = ctx.writeAndFlush(Unpooled.wrappedBuffer(close ? CLOSING : RESPONSE));
        if (close) {
          written.addListener(ChannelFutureListener.CLOSE);
        }
      } finally {
        in.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  public static void main(String[] args) throws InterruptedException {
    int port = args.length == 1 && args[0].matches("[0-9]{1,5}") ? Integer.parseInt(args[0]) : 0;
    if (port < 1 || port > 65535) {
      System.err.println("usage: NettyResponder PORT (1-65535, on 127.0.0.1)");
      System.exit(2);
    }
    NettyTransport transport = NettyTransport.choose("NettyResponder");
    new ServerBootstrap().group(transport.group()).channel(transport.serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel client) {
            client.pipeline().addLast(new Answer());
          }
        })
        .bind("127.0.0.1", port).sync();
    System.out.println("netty responder on 127.0.0.1:" + port + ", " + transport.loops() + " event loops, "
        + transport.kind());
  }
}
