package io.weft.ipam;

import java.util.Optional;

/**
 * The cloud-wide VSID pool ({@value Vsid#MIN}..{@value Vsid#MAX}). Same transaction and concurrency
 * guarantees as {@link AddressPoolService}.
 */
public interface VsidPoolService {

  /** The lowest free VSID; {@link PoolExhaustedException} when all are taken. */
  Vsid allocateVsid(String owner);

  /** Allocates a given VSID; {@link AddressInUseException} if taken. */
  void allocateVsid(Vsid vsid, String owner);

  /** Gives a VSID back; idempotent. */
  void releaseVsid(Vsid vsid);

  Optional<String> ownerOf(Vsid vsid);

  PoolUsage usage();
}
