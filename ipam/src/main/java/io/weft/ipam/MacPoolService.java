package io.weft.ipam;

import java.util.Optional;

/**
 * Cloud-wide unique MAC addresses from Weft's locally administered block {@code
 * 02:57:46:00:00:01}..{@code 02:57:46:ff:ff:ff} ({@code 57:46} is "WF"). Same transaction and
 * concurrency guarantees as {@link AddressPoolService}.
 */
public interface MacPoolService {

  MacAddress FIRST = new MacAddress(0x02_57_46_00_00_01L);
  MacAddress LAST = new MacAddress(0x02_57_46_ff_ff_ffL);

  /** The lowest free MAC of the block; {@link PoolExhaustedException} when none is left. */
  MacAddress allocateMac(String owner);

  /**
   * Records a given MAC (e.g. an imported VM's) as taken; {@link AddressInUseException} if it is.
   * MACs outside Weft's block are refused ({@link IpamValidationException}).
   */
  void allocateMac(MacAddress mac, String owner);

  /** Gives a MAC back; idempotent. */
  void releaseMac(MacAddress mac);

  Optional<String> ownerOf(MacAddress mac);

  PoolUsage usage();
}
