package io.weft.portal.ui.tenant;

import static io.weft.portal.ui.SvgMarkup.line;
import static io.weft.portal.ui.SvgMarkup.text;

import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.VmNetwork;
import io.weft.fabric.Vnic;
import java.util.List;
import java.util.Map;

/**
 * Draws a tenant's VM networks, their subnets and the VMs in them as SVG text: one band per VM
 * network (its isolation boundary), subnets side by side joined by the network's distributed
 * router, VMs hanging under the subnet of each vNIC. Plain string building, no graphics library.
 */
final class TopologySvg {

  static final int WIDTH = 1100;
  private static final int COLUMNS = 4;
  private static final int COL_W = 255;
  private static final int SUBNET_H = 58;
  private static final int VM_H = 38;
  private static final int VM_GAP = 10;

  private TopologySvg() {}

  /** A network with its subnets and, per subnet id, the VMs with a vNIC there. */
  record NetworkPicture(
      VmNetwork network, List<Subnet> subnets, Map<String, List<Vm>> vmsBySubnet) {}

  static String render(List<NetworkPicture> networks) {
    StringBuilder body = new StringBuilder();
    int y = 10;
    for (NetworkPicture n : networks) {
      y = band(body, n, y) + 20;
    }
    int height = Math.max(y, 60);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
        + WIDTH
        + " "
        + height
        + "\" width=\"100%\" font-family=\"system-ui, sans-serif\" font-size=\"13\" role=\"img\""
        + " aria-label=\"Topology of your VM networks\">"
        + body
        + "</svg>";
  }

  private static int band(StringBuilder out, NetworkPicture n, int top) {
    int rows = Math.max(1, (n.subnets().size() + COLUMNS - 1) / COLUMNS);
    int[] rowHeights = new int[rows];
    for (int i = 0; i < n.subnets().size(); i++) {
      int vms = n.vmsBySubnet().getOrDefault(id(n.subnets().get(i)), List.of()).size();
      int h = SUBNET_H + 24 + Math.max(1, vms) * (VM_H + VM_GAP);
      rowHeights[i / COLUMNS] = Math.max(rowHeights[i / COLUMNS], h);
    }
    int height = 44;
    for (int h : rowHeights) {
      height += Math.max(h, SUBNET_H + 30) + 10;
    }
    out.append(rect(5, top, WIDTH - 10, height, 14, "#f3f6fb", "#8aa4c8", 1.5, "4 3"));
    out.append(text(22, top + 26, "VM network " + n.network().name(), 16, "600", "#1d3557"));
    out.append(
        text(
            WIDTH - 22,
            top + 26,
            n.subnets().size()
                + " subnet"
                + (n.subnets().size() == 1 ? "" : "s")
                + " · isolated routing domain",
            12,
            "400",
            "#5c6f87",
            "end"));
    if (n.subnets().isEmpty()) {
      out.append(
          text(22, top + 60, "No subnets yet: add one to place VMs here.", 13, "400", "#5c6f87"));
      return top + height;
    }
    int rowTop = top + 44;
    for (int r = 0; r < rows; r++) {
      int first = r * COLUMNS;
      int last = Math.min(n.subnets().size(), first + COLUMNS) - 1;
      if (last > first) {
        int routerY = rowTop + SUBNET_H / 2;
        out.append(
            line(x(0) + COL_W / 2, routerY, x(last - first) + COL_W / 2, routerY, "#8aa4c8", 3));
      }
      for (int i = first; i <= last; i++) {
        subnet(out, n.subnets().get(i), n.vmsBySubnet(), x(i - first), rowTop);
      }
      rowTop += Math.max(rowHeights[r], SUBNET_H + 30) + 10;
    }
    return top + height;
  }

  private static int x(int column) {
    return 22 + column * (COL_W + 10);
  }

  private static void subnet(
      StringBuilder out, Subnet s, Map<String, List<Vm>> vmsBySubnet, int left, int top) {
    int w = COL_W - 20;
    out.append(rect(left, top, w, SUBNET_H, 8, "#ffffff", "#2f6fb0", 1.5, null));
    out.append(text(left + 12, top + 20, s.name() + "  " + s.cidr(), 13, "600", "#1d3557"));
    out.append(
        text(
            left + 12,
            top + 40,
            "VSID " + s.vsid() + " · gateway " + s.gateway(),
            11,
            "400",
            "#5c6f87"));
    List<Vm> vms = vmsBySubnet.getOrDefault(id(s), List.of());
    int vmLeft = left + 24;
    int y = top + SUBNET_H + 20;
    if (vms.isEmpty()) {
      out.append(text(vmLeft, y + 16, "no VMs", 12, "400", "#8a99ad"));
    }
    for (Vm vm : vms) {
      out.append(line(left + 10, top + SUBNET_H, left + 10, y + VM_H / 2, "#b5c3d6", 1.5));
      out.append(line(left + 10, y + VM_H / 2, vmLeft, y + VM_H / 2, "#b5c3d6", 1.5));
      out.append(rect(vmLeft, y, w - 24, VM_H, 6, "#eef7ee", "#3d8b40", 1.2, null));
      out.append(text(vmLeft + 10, y + 16, vm.name(), 12, "600", "#1e4620"));
      out.append(text(vmLeft + 10, y + 31, address(vm, s), 11, "400", "#3f5f41"));
      y += VM_H + VM_GAP;
    }
  }

  private static String address(Vm vm, Subnet s) {
    return vm.nics().stream()
        .filter(n -> n.subnetId().equals(s.id()))
        .map(TopologySvg::address)
        .reduce((a, b) -> a + ", " + b)
        .orElse("");
  }

  private static String address(Vnic n) {
    return n.address() != null ? n.address() : "waiting for DHCP";
  }

  private static String id(Subnet s) {
    return s.id().value().toString();
  }

  private static String rect(
      int x, int y, int w, int h, int r, String fill, String stroke, double width, String dash) {
    return "<rect x=\""
        + x
        + "\" y=\""
        + y
        + "\" width=\""
        + w
        + "\" height=\""
        + h
        + "\" rx=\""
        + r
        + "\" fill=\""
        + fill
        + "\" stroke=\""
        + stroke
        + "\" stroke-width=\""
        + width
        + "\""
        + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"")
        + "/>";
  }
}
