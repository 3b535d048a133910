/** {@code ./weft bench lab}: iperf3 through Weft agents vs kernel VXLAN vs Open vSwitch. */
package io.weft.bench.lab;
