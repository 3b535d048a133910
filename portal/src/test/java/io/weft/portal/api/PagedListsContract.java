package io.weft.portal.api;

import static io.weft.portal.api.FabricApiContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.portal.H2ApplicationTest;
import io.weft.portal.api.FabricApiContract.TenantSession;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The long lists page as scripts read them, on each database: the body stays a JSON array, the
 * total and the links to the neighbouring pages are in headers, following rel="next" reads every
 * item exactly once in a stable order, and a tenant pages through its own VMs only.
 */
abstract class PagedListsContract {

  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
  private static final Pattern PREV = Pattern.compile("<([^>]+)>;\\s*rel=\"prev\"");

  abstract int port();

  ApiClient operator;

  @BeforeEach
  void clients() {
    operator = ApiClient.basic(port(), "admin", H2ApplicationTest.ADMIN_PASSWORD);
  }

  /** Every item of a list, read by following rel="next" from the first page. */
  record Walk(List<JsonNode> items, List<ApiClient.Response> pages) {
    List<String> texts(String field) {
      return items.stream().map(i -> i.path(field).asString()).toList();
    }
  }

  static Walk walk(ApiClient client, String firstPage) {
    List<JsonNode> items = new ArrayList<>();
    List<ApiClient.Response> pages = new ArrayList<>();
    String next = firstPage;
    while (next != null) {
      ApiClient.Response page = client.get(next);
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      assertThat(page.body().isArray()).as("the body stays a JSON array").isTrue();
      page.body().forEach(items::add);
      pages.add(page);
      next = link(page, NEXT);
      assertThat(pages).as("the walk ends").hasSizeLessThan(1000);
    }
    return new Walk(items, pages);
  }

  /** The path and query of a Link header's target, as the client asks for it. */
  static String link(ApiClient.Response page, Pattern relation) {
    String header = page.header("Link");
    if (header == null) {
      return null;
    }
    Matcher m = relation.matcher(header);
    if (!m.find()) {
      return null;
    }
    URI target = URI.create(m.group(1));
    return target.getRawPath() + "?" + target.getRawQuery();
  }

  static long totalCount(ApiClient.Response page) {
    return Long.parseLong(page.header("X-Total-Count"));
  }

  static List<String> createVms(TenantSession t, List<String> names) {
    String web =
        FabricApiContract.subnet(t, FabricApiContract.networkOf(t, "prod"), "web", "10.0.0.0/24")
            .id();
    List<String> ids = new ArrayList<>();
    for (String name : names) {
      ApiClient.Response vm =
          t.api()
              .post(
                  t.path("/vms"),
                  Map.of(
                      "name",
                      name,
                      "nics",
                      List.of(Map.of("subnetId", web, "addressing", "DHCP"))));
      assertThat(vm.status()).as(vm.toString()).isEqualTo(201);
      ids.add(vm.id());
    }
    return ids;
  }

  @Test
  void aTenantPagesThroughItsVmsByNameEachExactlyOnce() {
    TenantSession t = FabricApiContract.signUp(port());
    List<String> names = List.of("vm-05", "vm-01", "vm-07", "vm-03", "vm-02", "vm-06", "vm-04");
    createVms(t, names);

    Walk walk = walk(t.api(), t.path("/vms?limit=3"));

    assertThat(walk.texts("name")).containsExactlyElementsOf(names.stream().sorted().toList());
    assertThat(walk.pages()).hasSize(3);
    assertThat(walk.pages()).allMatch(p -> totalCount(p) == 7);
    assertThat(link(walk.pages().getFirst(), PREV)).isNull();
    assertThat(link(walk.pages().get(1), PREV)).contains("offset=0").contains("limit=3");
    assertThat(walk.pages().getLast().body().size()).isEqualTo(1);
    ApiClient.Response beyond = t.api().get(t.path("/vms?offset=50"));
    assertThat(beyond.body().size()).isZero();
    assertThat(totalCount(beyond)).isEqualTo(7);
    assertThat(t.api().get(t.path("/vms")).body().size())
        .as("without parameters: the first page of the default size")
        .isEqualTo(7);
  }

  @Test
  void operatorsPageThroughEveryTenantsVmsEachExactlyOnce() {
    TenantSession a = FabricApiContract.signUp(port());
    TenantSession b = FabricApiContract.signUp(port());
    // Names are unique per tenant only: the id orders VMs of the same name.
    List<String> idsA = createVms(a, List.of("same-name", "web-2", "db"));
    List<String> idsB = createVms(b, List.of("same-name", "web-1"));

    Walk walk = walk(operator, "/api/v1/vms?limit=2");

    List<String> ids = walk.texts("id");
    assertThat(new HashSet<>(ids)).as("no VM twice").hasSameSizeAs(ids);
    assertThat(ids).containsAll(idsA).containsAll(idsB);
    assertThat(ids).hasSize((int) totalCount(walk.pages().getFirst()));
    assertThat(walk.texts("name")).isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(walk.texts("tenantId")).contains(a.tenantId(), b.tenantId());
  }

  @Test
  void theOpenApiDocumentDescribesThePagingParametersAndHeaders() {
    JsonNode paths = ApiClient.anonymous(port()).get("/v3/api-docs").body().path("paths");
    for (String list : List.of("/api/v1/vms", "/api/v1/tenants/{tenantId}/vms", "/api/v1/audit")) {
      JsonNode get = paths.path(list).path("get");
      List<String> parameters = new ArrayList<>();
      get.path("parameters").forEach(p -> parameters.add(p.path("name").asString()));
      assertThat(parameters).as(list).contains("offset", "limit").doesNotContain("request");
      JsonNode ok = get.path("responses").path("200");
      assertThat(ok.path("headers").has("X-Total-Count")).as(list + " " + ok).isTrue();
      assertThat(ok.path("headers").has("Link")).as(list).isTrue();
      assertThat(ok.path("content").toString()).as(list).contains("\"array\"");
      assertThat(ok.path("headers").path("X-Total-Count").path("schema").path("type").asString())
          .isEqualTo("integer");
      get.path("parameters")
          .forEach(p -> {
            if (p.path("name").asString().equals("limit")) {
              assertThat(p.path("schema").path("maximum").asInt()).isEqualTo(1000);
            }
          });
    }
  }

  @Test
  void aTenantNeverPagesAnotherTenantsVms() {
    TenantSession a = FabricApiContract.signUp(port());
    TenantSession b = FabricApiContract.signUp(port());
    createVms(a, List.of("a-1", "a-2"));
    List<String> idsB = createVms(b, List.of("b-1", "b-2", "b-3"));

    Walk own = walk(b.api(), b.path("/vms?limit=1"));
    assertThat(own.texts("id")).containsExactlyElementsOf(idsB);
    assertThat(own.texts("tenantId")).containsOnly(b.tenantId());
    assertProblem(a.api().get(b.path("/vms?limit=1000")), 404, "tenantId");
    assertProblem(a.api().get(b.path("/vms?offset=1&limit=1")), 404, "tenantId");
    assertProblem(a.api().get("/api/v1/vms?limit=10"), 403, null);
    assertProblem(a.api().get("/api/v1/audit?tenantId=" + b.tenantId() + "&limit=5"), 404, null);
  }

  @Test
  void vmListsCanBeSearchedByNameInAnyCase() {
    TenantSession a = FabricApiContract.signUp(port());
    TenantSession b = FabricApiContract.signUp(port());
    String tag = "q" + UUID.randomUUID().toString().substring(0, 8);
    createVms(a, List.of(tag + "-Web-1", tag + "-db", tag + "_x", tag + "-web-10"));
    List<String> idsB = createVms(b, List.of(tag + "-web-2", "other"));

    Walk web = walk(operator, "/api/v1/vms?limit=2&name=" + tag.toUpperCase() + "-WEB");
    assertThat(web.texts("name"))
        .as("every tenant's VMs, any case, the search kept across pages")
        .containsExactlyInAnyOrder(tag + "-Web-1", tag + "-web-10", tag + "-web-2");
    assertThat(totalCount(web.pages().getFirst())).isEqualTo(3);
    assertThat(link(web.pages().getFirst(), NEXT)).contains("name=");
    assertThat(walk(operator, "/api/v1/vms?name=" + tag + "_").texts("name"))
        .as("'_' matches only itself")
        .containsExactly(tag + "_x");
    assertThat(walk(operator, "/api/v1/vms?name=" + tag + "%25").items())
        .as("'%' matches only itself")
        .isEmpty();
    assertThat(walk(operator, "/api/v1/vms?name=%20" + tag + "-DB%20").texts("name"))
        .containsExactly(tag + "-db");

    assertThat(walk(b.api(), b.path("/vms?name=" + tag)).texts("id"))
        .containsExactly(idsB.getFirst());
    assertThat(walk(a.api(), a.path("/vms?name=web")).texts("tenantId"))
        .as("a tenant's search never finds another tenant's VMs")
        .containsOnly(a.tenantId());
    assertProblem(a.api().get("/api/v1/vms?name=" + tag), 403, null);
    assertProblem(a.api().get(b.path("/vms?name=" + tag)), 404, "tenantId");

    String tooLong = "x".repeat(101);
    assertProblem(operator.get("/api/v1/vms?name=" + tooLong), 400, "name");
    assertProblem(a.api().get(a.path("/vms?name=" + tooLong)), 400, "name");
    JsonNode paths = ApiClient.anonymous(port()).get("/v3/api-docs").body().path("paths");
    for (String list : List.of("/api/v1/vms", "/api/v1/tenants/{tenantId}/vms")) {
      List<String> parameters = new ArrayList<>();
      paths
          .path(list)
          .path("get")
          .path("parameters")
          .forEach(p -> parameters.add(p.path("name").asString()));
      assertThat(parameters).as(list).contains("name");
    }
  }

  @Test
  void badPagingParametersAreA400NamingTheParameter() {
    TenantSession t = FabricApiContract.signUp(port());
    for (String list : List.of(t.path("/vms"), "/api/v1/vms", "/api/v1/audit")) {
      assertProblem(operator.get(list + "?limit=0"), 400, "limit");
      assertProblem(operator.get(list + "?limit=-5"), 400, "limit");
      assertProblem(operator.get(list + "?limit=1001"), 400, "limit");
      assertProblem(operator.get(list + "?limit=ten"), 400, "limit");
      assertProblem(operator.get(list + "?limit=99999999999"), 400, "limit");
      assertProblem(operator.get(list + "?offset=-1"), 400, "offset");
      assertProblem(operator.get(list + "?offset=first"), 400, "offset");
      assertThat(operator.get(list + "?offset=0&limit=1000").status()).isEqualTo(200);
    }
    ApiClient.Response bad = operator.get("/api/v1/vms?limit=0");
    assertThat(bad.text("detail")).contains("limit").contains("between 1 and 1000");
    assertProblem(operator.get("/api/v1/audit?since=yesterday"), 400, "since");
    assertProblem(operator.get("/api/v1/audit?until=2025-13-01"), 400, "until");
    assertProblem(
        operator.get("/api/v1/audit?since=2025-02-01T00:00:00Z&until=2025-01-01T00:00:00Z"),
        400,
        "since");
  }

  @Test
  void theAuditLogPagesBackToTheOldestLine() {
    TenantSession t = FabricApiContract.signUp(port());
    createVms(t, List.of("one", "two"));
    String own = "/api/v1/audit?tenantId=" + t.tenantId();

    Walk tenantWalk = walk(t.api(), own + "&limit=2");
    assertThat(tenantWalk.texts("action").getLast())
        .as("the tenant's oldest line")
        .isEqualTo("tenant.signup");
    assertThat(tenantWalk.texts("tenantId")).containsOnly(t.tenantId());
    assertThat(tenantWalk.items()).hasSize((int) totalCount(tenantWalk.pages().getFirst()));
    assertNewestFirst(tenantWalk);

    Walk everything = walk(operator, "/api/v1/audit?limit=250");
    List<Long> ids = everything.items().stream().map(i -> i.path("id").asLong()).toList();
    assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    assertThat(ids).hasSize((int) totalCount(everything.pages().getFirst()));
    assertThat(ids.getLast())
        .as("the oldest line of all")
        .isEqualTo(ids.stream().min(Long::compare).orElseThrow());
    assertNewestFirst(everything);
  }

  @Test
  void theAuditLogFiltersByTimeRange() {
    TenantSession t = FabricApiContract.signUp(port());
    createVms(t, List.of("one", "two", "three"));
    String own = "/api/v1/audit?tenantId=" + t.tenantId();
    List<JsonNode> all = walk(t.api(), own + "&limit=1000").items();
    Instant middle = Instant.parse(all.get(all.size() / 2).path("at").asString());

    Walk since = walk(t.api(), own + "&limit=1&since=" + middle);
    Walk until = walk(t.api(), own + "&limit=1&until=" + middle);

    assertThat(since.items()).isNotEmpty().allMatch(e -> !at(e).isBefore(middle));
    assertThat(until.items()).allMatch(e -> at(e).isBefore(middle));
    assertThat(since.items().size() + until.items().size()).isEqualTo(all.size());
    assertThat(link(since.pages().getFirst(), NEXT))
        .as("the next link keeps the filters")
        .contains("since=")
        .contains("tenantId=" + t.tenantId());
  }

  private static Instant at(JsonNode entry) {
    return Instant.parse(entry.path("at").asString());
  }

  private static void assertNewestFirst(Walk walk) {
    List<Instant> times = walk.items().stream().map(PagedListsContract::at).toList();
    assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
  }
}
