package com.example.echo;

import dev.grpcspring.boot.client.GrpcClient;
import dev.grpcspring.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Calls the service through the starter's stubs, one method of each kind. */
@Component
public class EchoClient {
  private final EchoGrpc.EchoBlockingStub blocking;
  private final EchoGrpc.EchoStub async;

  EchoClient(@GrpcClient("echo") EchoGrpc.EchoBlockingStub blocking,
      @GrpcClient("echo") EchoGrpc.EchoStub async) {
    this.blocking = blocking;
    this.async = async;
  }

  public String say(String text) {
    return blocking.say(Shout.newBuilder().setText(text).build()).getText();
  }

  public List<String> repeat(String text, int times) {
    List<String> texts = new ArrayList<>();
    Iterator<Reply> replies = blocking.repeat(Shout.newBuilder().setText(text).setTimes(times).build());
    replies.forEachRemaining(r -> texts.add(r.getText()));
    return texts;
  }

  public String gather(List<String> texts) throws Exception {
    Collector collector = new Collector();
    StreamObserver<Shout> requests = async.gather(collector);
    texts.forEach(t -> requests.onNext(Shout.newBuilder().setText(t).build()));
    requests.onCompleted();
    return collector.done.get(30, TimeUnit.SECONDS).get(0);
  }

  public List<String> chat(List<String> texts) throws Exception {
    Collector collector = new Collector();
    StreamObserver<Shout> requests = async.chat(collector);
    texts.forEach(t -> requests.onNext(Shout.newBuilder().setText(t).build()));
    requests.onCompleted();
    return collector.done.get(30, TimeUnit.SECONDS);
  }

  /** Collects the replies of one call and completes with them when the call ends. */
  private static final class Collector implements StreamObserver<Reply> {
    final List<String> texts = new ArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public synchronized void onNext(Reply value) {
      texts.add(value.getText());
    }

    @Override
    public synchronized void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public synchronized void onCompleted() {
      done.complete(List.copyOf(texts));
    }
  }
}
