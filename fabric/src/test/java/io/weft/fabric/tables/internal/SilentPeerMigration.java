package io.weft.fabric.tables.internal;

import io.weft.fabric.HostId;
import io.weft.fabric.Subnet;
import io.weft.fabric.Vm;
import io.weft.fabric.tables.HostTableService;
import java.util.List;
import org.springframework.context.ApplicationContext;

/**
 * A live migration whose peer never reports: three hosts, a VM moved from the first (the source) to
 * the second (the destination); the peer VM's host, the third, does not report again.
 */
record SilentPeerMigration(
    Cloud cloud, SimAgents agents, Vm mover, HostId source, HostId destination, HostId peer) {

  /** Left waiting on the peer: source and destination both applied and reported their part. */
  static SilentPeerMigration start(ApplicationContext ctx, HostTableService tables, String net) {
    SilentPeerMigration m = switching(ctx, tables, net);
    m.agents.syncAndReport(m.source); // it switched too; the peer's host never reports again
    return m;
  }

  /**
   * The destination applied the VM's port and reported it, so the peers are told to switch; neither
   * the source's nor the peer's host has synced since.
   */
  static SilentPeerMigration switching(
      ApplicationContext ctx, HostTableService tables, String net) {
    Cloud cloud = new Cloud(ctx).build(3, "VXLAN").ready();
    SimAgents agents = new SimAgents(tables);
    Subnet s = cloud.subnet(cloud.network("silent"), "s", net + ".0/24", false);
    Vm mover = cloud.vm("mover", List.of(Cloud.staticNic(s, net + ".10")));
    Vm other = cloud.vm("peer", List.of(Cloud.staticNic(s, net + ".20")));
    HostId source = cloud.hostIds.get(0);
    HostId destination = cloud.hostIds.get(1);
    HostId peer = cloud.hostIds.get(2);
    cloud.placeOn(mover, source);
    cloud.placeOn(other, peer);
    for (int i = 0; i < 4; i++) {
      cloud.hostIds.forEach(agents::syncAndReport);
    }
    cloud.vms.migrate(Cloud.OPERATOR, mover.id(), destination);
    agents.syncAndReport(destination); // it has the port: the peers are told to switch
    return new SilentPeerMigration(cloud, agents, mover, source, destination, peer);
  }
}
