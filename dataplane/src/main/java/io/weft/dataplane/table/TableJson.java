package io.weft.dataplane.table;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON wire format of tables (see {@code dataplane/TABLE-FORMAT.md}) and the table digest.
 * Thread-safe.
 */
public final class TableJson {

  /** The only format this agent reads and writes. */
  public static final int FORMAT_VERSION = 1;

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          // New optional fields from a newer fabric must not break an older agent.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private TableJson() {}

  /** The mapper configured for table records, for callers embedding tables in other JSON. */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  public static String write(TableMessage message) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("formatVersion", FORMAT_VERSION);
    switch (message) {
      case TableMessage.Snapshot s -> {
        root.put("kind", "snapshot");
        root.set("table", MAPPER.valueToTree(s.table()));
      }
      case TableMessage.Delta d -> {
        root.put("kind", "delta");
        root.set("delta", MAPPER.valueToTree(d.delta()));
      }
    }
    return MAPPER.writeValueAsString(root);
  }

  public static String writeSnapshot(HostTable table) {
    return write(new TableMessage.Snapshot(table));
  }

  public static String writeDelta(TableDelta delta) {
    return write(new TableMessage.Delta(delta));
  }

  /**
   * Parses a message; anything unreadable (bad JSON, wrong formatVersion, unknown kind, a field
   * that fails its record's checks) becomes an {@link InvalidTableException} with the reason. A
   * snapshot is also validated; a delta is validated when applied.
   */
  public static TableMessage read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new InvalidTableException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidTableException("table message must be a JSON object");
    }
    JsonNode version = root.get("formatVersion");
    if (version == null || !version.isInt() || version.intValue() != FORMAT_VERSION) {
      throw new InvalidTableException(
          "unsupported formatVersion " + version + " (this agent reads " + FORMAT_VERSION + ")");
    }
    String kind = root.path("kind").asString("");
    try {
      return switch (kind) {
        case "snapshot" -> {
          HostTable t = MAPPER.treeToValue(required(root, "table"), HostTable.class);
          TableValidator.validate(t);
          yield new TableMessage.Snapshot(t);
        }
        case "delta" ->
            new TableMessage.Delta(MAPPER.treeToValue(required(root, "delta"), TableDelta.class));
        default -> throw new InvalidTableException("unknown kind '" + kind + "'");
      };
    } catch (JacksonException e) {
      throw new InvalidTableException("bad " + kind + ": " + rootCause(e));
    }
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || !n.isObject()) {
      throw new InvalidTableException("message has no '" + field + "' object");
    }
    return n;
  }

  private static String rootCause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    if (c instanceof JacksonException je) {
      return je.getOriginalMessage();
    }
    return c.getMessage();
  }

  /**
   * SHA-256 over the canonical JSON of the table (networks by id, subnets by VSID, records by CA,
   * ports by id; list order never changes the digest), as {@code sha256:<hex>}. The fabric computes
   * the same over its intended table to compare with what the agent applied.
   */
  public static String digest(HostTable table) {
    byte[] canonical = MAPPER.writeValueAsBytes(canonical(table));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /**
   * SHA-256 over the canonical JSON of one VM network's part of a table (subnets, records and ports
   * sorted as for {@link #digest}), as {@code sha256:<hex>}: agents report one per VM network, so
   * the fabric can tell which network a host disagrees on without asking for its entries.
   */
  public static String networkDigest(VmNetworkTable network) {
    HostTable alone =
        canonical(
            new HostTable(
                "network",
                1,
                Encapsulation.NVGRE,
                IpAddress.parse("0.0.0.0"),
                1500,
                List.of(network)));
    byte[] canonical = MAPPER.writeValueAsBytes(alone.networks().getFirst());
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** Each VM network's {@link #networkDigest}, by routing domain id. */
  public static Map<String, String> networkDigests(HostTable table) {
    Map<String, String> out = new TreeMap<>();
    for (VmNetworkTable n : table.networks()) {
      out.put(n.routingDomainId().toString(), networkDigest(n));
    }
    return out;
  }

  /** The table with every list sorted by its key, the form the digest is computed over. */
  public static HostTable canonical(HostTable t) {
    List<VmNetworkTable> networks = new ArrayList<>();
    for (VmNetworkTable n : t.networks()) {
      List<VmSubnet> subnets = new ArrayList<>();
      for (VmSubnet s : n.subnets()) {
        DhcpConfig d = s.dhcp();
        if (d != null) {
          List<AddressRange> ranges =
              d.ranges().stream().sorted(Comparator.comparing(AddressRange::first)).toList();
          d = new DhcpConfig(ranges, d.leaseSeconds(), d.dnsServers());
        }
        subnets.add(new VmSubnet(s.vsid(), s.prefix(), s.gateway(), s.gatewayMac(), d));
      }
      subnets.sort(Comparator.comparingInt(VmSubnet::vsid));
      List<LookupRecord> records = new ArrayList<>(n.lookupRecords());
      records.sort(Comparator.comparing(LookupRecord::ca));
      List<PortEntry> ports = new ArrayList<>();
      for (PortEntry p : n.ports()) {
        List<IpAddress> allowed = p.allowedAddresses().stream().sorted().toList();
        ports.add(
            new PortEntry(
                p.portId(),
                p.vsid(),
                p.mac(),
                p.addressing(),
                allowed,
                p.dhcpGuard(),
                p.routerGuard(),
                p.broadcastPerSecond()));
      }
      ports.sort(Comparator.comparing(PortEntry::portId));
      networks.add(new VmNetworkTable(n.routingDomainId(), subnets, records, ports));
    }
    networks.sort(Comparator.comparing(VmNetworkTable::routingDomainId));
    return new HostTable(
        t.hostId(), t.generation(), t.encapsulation(), t.localPa(), t.overlayMtu(), networks);
  }
}
