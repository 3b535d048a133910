package io.weft.diagnostics;

import java.time.Instant;
import java.util.List;

/**
 * One answer to "why can't these two VMs talk?": a sentence that names where and why it breaks (or
 * that it works, with the round trip), the path hop by hop, then the three results it was drawn
 * from. Tenants see no host names or provider addresses anywhere in it.
 *
 * @param id poll {@code GET /api/v1/diagnostics/connectivity/{id}?wait=S} while RUNNING
 * @param state RUNNING while the live probe is under way, then DONE
 * @param sentence where and why it breaks, or that it works with the round-trip time
 * @param works the live probe got a reply and both traces reach the destination and back
 * @param source the source VM and address
 * @param destination the destination address and, when known, its VM
 * @param packet what was traced, e.g. "TCP SYN to port 443, 40 bytes"
 * @param path the source VM, each host on the path and the destination VM, in order
 * @param intended the trace over the fabric's intended tables (without its applied part)
 * @param applied the trace over what the hosts on the path report they apply, compared with it
 * @param probe the live probe (its id polls it on its own)
 * @param notes what is worth knowing and does not decide the answer
 * @param startedAt when it was asked
 */
public record ConnectivityAnswer(
    String id,
    ProbeAnswer.State state,
    String sentence,
    boolean works,
    String source,
    String destination,
    String packet,
    List<Hop> path,
    TraceAnswer intended,
    AppliedComparison applied,
    ProbeAnswer probe,
    List<String> notes,
    Instant startedAt) {

  public ConnectivityAnswer {
    path = List.copyOf(path);
    notes = List.copyOf(notes);
  }

  /** What a hop is: an endpoint VM or a host (its virtual switch). */
  public enum HopKind {
    VM,
    HOST
  }

  /** How far the packet got: through it, dropped there, or never there. */
  public enum HopState {
    OK,
    DROPPED,
    NOT_REACHED
  }

  /**
   * One hop of the path.
   *
   * @param name the VM, or the host's name for operators ("source host" / "destination host" for
   *     tenants)
   * @param kind VM or HOST
   * @param state OK, DROPPED or NOT_REACHED
   * @param detail what happened there, in words (the drop's reason on a dropped hop)
   * @param requestAt when the live probe's request was first seen there (null: not seen)
   * @param replyAt when its reply was first seen there (null: not seen)
   * @param stages the pipeline stages the packet went through there, in order
   */
  public record Hop(
      String name,
      HopKind kind,
      HopState state,
      String detail,
      Instant requestAt,
      Instant replyAt,
      List<String> stages) {

    public Hop {
      stages = List.copyOf(stages);
    }
  }
}
