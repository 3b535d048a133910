package io.weft.bench.scale;

import io.weft.bench.tables.BulkCloud;
import io.weft.dataplane.agent.RetrySchedule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes changes as an operator's script would, through the balancer's REST API: a placement (create
 * a VM in a random VM network; the fabric picks the host) or a live migration (a random VM to a
 * random other host). Retries 502/503 and resets with jittered back-off like an agent; a create
 * resent after a replica died may find its name taken (409): it was committed.
 */
final class ChangeMaker {

  enum Kind {
    PLACEMENT,
    MIGRATION
  }

  /** One change: when its call returned (committed) and which hosts it bumped to what. */
  record Change(Kind kind, long committedNanos, List<long[]> bumped) {}

  private static final RetrySchedule RETRIES =
      new RetrySchedule(Duration.ofMillis(100), Duration.ofSeconds(2));

  private final HttpClient http;
  private final URI balancer;
  private final String authorization;
  private final BulkCloud.Cloud cloud;
  private final Random random;
  private final AtomicInteger names = new AtomicInteger();
  final AtomicInteger retried = new AtomicInteger();
  final AtomicInteger resentAndTaken = new AtomicInteger();
  final AtomicInteger conflicts = new AtomicInteger();

  /**
   * Signs in as the operator with an API token it issues for itself first, as an operator's script
   * does ("Authorization: Bearer"): HTTP Basic checks the password's bcrypt hash on every request
   * (~70 ms of CPU here), which in the burst cost the replicas more than the changes themselves
   * (docs/benchmarks.md, "The burst, profiled"). {@code WEFT_BENCH_SCALE_AUTH=basic} keeps Basic.
   */
  ChangeMaker(HttpClient http, URI balancer, String password, BulkCloud.Cloud cloud, long seed) {
    this.http = http;
    this.balancer = balancer;
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    this.authorization =
        "basic".equalsIgnoreCase(System.getenv("WEFT_BENCH_SCALE_AUTH")) ? basic : token(basic);
    this.cloud = cloud;
    this.random = new Random(seed);
  }

  /** "Bearer <secret>" of a new API token of the operator's. */
  private String token(String basic) {
    for (int attempt = 0; ; attempt++) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(balancer.resolve("/api/v1/me/tokens"))
                    .header("Authorization", basic)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"scale-bench\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher secret = SECRET.matcher(r.body());
        if (r.statusCode() == 201 && secret.find()) {
          return "Bearer " + secret.group(1);
        }
        if (attempt >= 8) {
          throw new IllegalStateException("issuing an API token answered " + r.statusCode());
        }
      } catch (IOException e) {
        if (attempt >= 8) {
          throw new IllegalStateException("issuing an API token failed", e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(RETRIES.delay(attempt, ThreadLocalRandom.current()));
    }
  }

  private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]+)\"");

  /** Makes one change of {@code kind}; returns when the API answered (the change committed). */
  long make(Kind kind) {
    String path;
    String body;
    synchronized (random) {
      if (kind == Kind.PLACEMENT) {
        BulkCloud.SubnetRow subnet = cloud.subnets().get(random.nextInt(cloud.subnets().size()));
        path = "/api/v1/tenants/" + subnet.tenant() + "/vms";
        // The generated subnets (/16, VMs from 10.0.0.2 up) have no static range: name an address
        // above the generated ones, unique across the run.
        int n = names.incrementAndGet();
        body =
            ("{\"name\":\"scale-%d\",\"nics\":[{\"subnetId\":\"%s\",\"addressing\":\"STATIC\","
                    + "\"address\":\"10.0.%d.%d\"}]}")
                .formatted(n, subnet.id(), 200 + n / 250, 2 + n % 250);
      } else {
        UUID vm = cloud.vms().get(random.nextInt(cloud.vms().size()));
        String host = cloud.hosts().get(random.nextInt(cloud.hosts().size())).toString();
        path = "/api/v1/vms/" + vm + "/migrate";
        body = "{\"hostId\":\"" + host + "\"}";
      }
    }
    for (int attempt = 0; ; attempt++) {
      try {
        HttpResponse<String> r = http.send(post(path, body), HttpResponse.BodyHandlers.ofString());
        int code = r.statusCode();
        if (code / 100 == 2) {
          return System.nanoTime();
        }
        if (code == 503 && isProblem(r) && attempt < 8) {
          // Lost to a concurrent change (the burst) even after the fabric's own re-runs: nothing
          // committed; retry as the API asks (503 problem with Retry-After), with back-off.
          conflicts.incrementAndGet();
          retried.incrementAndGet();
          sleep(RETRIES.delay(attempt, ThreadLocalRandom.current()));
          continue;
        }
        if (code == 409 && attempt > 0 && kind == Kind.PLACEMENT) {
          resentAndTaken.incrementAndGet();
          return System.nanoTime();
        }
        if (code == 409 && kind == Kind.MIGRATION) {
          // Same host, or a migration of that VM still in flight: no change; pick another.
          return make(kind);
        }
        if (code != 502 && code != 503 || attempt >= 8) {
          throw new IllegalStateException(path + " answered " + code + ": " + r.body());
        }
      } catch (IOException e) {
        if (attempt >= 8) {
          throw new IllegalStateException(path + " failed", e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      retried.incrementAndGet();
      sleep(RETRIES.delay(attempt, ThreadLocalRandom.current()));
    }
  }

  /** A change made alone: the generations before and after it show exactly what it bumped. */
  Change measured(Kind kind, ScaleRun db) throws SQLException {
    long[] before = db.generations();
    long committed = make(kind);
    return new Change(kind, committed, ScaleRun.bumped(before, db.generations()));
  }

  /**
   * Waits until every bumped host's agent holds at least the change's generation; returns
   * commit→last applied in ms, or -1 if not within {@code max}.
   */
  static double appliedMs(Change change, SimulatedAgents agents, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      long last = change.committedNanos();
      boolean all = true;
      for (long[] host : change.bumped()) {
        long at = agents.reachedAt((int) host[0], host[1]);
        if (at < 0) {
          all = false;
          break;
        }
        last = Math.max(last, at);
      }
      if (all) {
        return (last - change.committedNanos()) / 1e6;
      }
      if (System.nanoTime() > deadline) {
        return -1;
      }
      sleep(Duration.ofMillis(2));
    }
  }

  /** Agents behind their host's intended generation right now. */
  static List<Integer> behind(long[] intended, SimulatedAgents agents) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < intended.length; i++) {
      if (agents.generation(i) < intended[i]) {
        out.add(i);
      }
    }
    return out;
  }

  private HttpRequest post(String path, String body) {
    return HttpRequest.newBuilder(balancer.resolve(path))
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A problem answered by a replica, not the balancer's own 503 (no replica reachable). */
  private static boolean isProblem(HttpResponse<String> r) {
    return r.headers().firstValue("Content-Type").orElse("").contains("problem+json");
  }
}
