package dev.grpcspring.channelz;

import java.util.ArrayDeque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The recent events of a channel or subchannel (state changes, resolution results, subchannels
 * made): the last {@value #MAX_EVENTS} are kept, and the total ever logged is counted. Events come
 * from state changes, never from the call path, so a lock is cheap enough here.
 */
public final class ChannelTrace {
  /** How many events are kept. */
  public static final int MAX_EVENTS = 32;

  /** How serious an event is. */
  public enum Severity {
    INFO, WARNING, ERROR
  }

  /**
   * One event.
   *
   * @param child the channel or subchannel it concerns, or null
   */
  public record Event(String description, Severity severity, long timestampMillis,
      @Nullable Entity child) {}

  private final ArrayDeque<Event> events = new ArrayDeque<>();
  private long logged;

  /** Records an event about the entity itself. */
  public void add(String description, Severity severity) {
    add(description, severity, null);
  }

  /** Records an event concerning {@code child}. */
  public synchronized void add(String description, Severity severity, @Nullable Entity child) {
    if (events.size() == MAX_EVENTS) {
      events.removeFirst();
    }
    events.addLast(new Event(description, severity, System.currentTimeMillis(), child));
    logged++;
  }

  /** The kept events, oldest first. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Every event ever recorded, including those no longer kept. */
  public synchronized long numEventsLogged() {
    return logged;
  }
}
